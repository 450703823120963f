"""Every write of the organisation registry: keyword-only, one transaction, clear refusals.

Refusals raise :class:`RegistryRefusal` with a translated message that says what to do; nothing is
half-written. The representatives hear of every decision (``notifications``) in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.choices import OrganizationStatus
from participants.models import (
    Organization,
    OrganizationDecision,
    OrganizationDocument,
    OrganizationRepresentative,
    User,
)
from participants.organizations import notifications
from participants.organizations.rut import normalize

# What a representative writes; status, reasons and dates are staff's.
APPLICATION_FIELDS = (
    "legal_name",
    "rut",
    "other_registration",
    "legal_form",
    "category",
    "region",
    "commune",
    "description",
    "website",
    "contact_email",
    "contact_phone",
)
# Fields an accredited organisation changes only with staff's approval.
REVIEWED_FIELDS = ("legal_name", "category")


class RegistryRefusal(Exception):
    """A refused registry action; ``str(error)`` is the translated message for the person."""


@dataclass(frozen=True)
class NewDocument:
    kind: str
    file: File


def _locked(organization: Organization) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization.pk)


def _add_documents(organization: Organization, documents: Iterable[NewDocument], by: User) -> None:
    for document in documents:
        row = OrganizationDocument(organization=organization, kind=document.kind, uploaded_by=by)
        row.file_name = (document.file.name or "")[:255]
        row.file.save(document.file.name or "documento", document.file, save=False)
        row.save()


def _clean(data: Mapping) -> dict:
    values = {name: data[name] for name in APPLICATION_FIELDS if name in data}
    if "rut" in values:
        values["rut"] = normalize(values["rut"] or "")
    return values


def _save(organization: Organization) -> None:
    organization.full_clean()
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError as error:
        raise RegistryRefusal(_("Ya hay una organización registrada con este RUT.")) from error


def organization_apply(
    *, user: User, data: Mapping, documents: Iterable[NewDocument] = (), position: str = ""
) -> Organization:
    """A signed-in person applies for their organisation and becomes its first representative."""
    with transaction.atomic():
        organization = Organization(
            **_clean(data), status=OrganizationStatus.APPLIED, submitted_at=timezone.now()
        )
        _save(organization)
        OrganizationRepresentative.objects.create(organization=organization, user=user, position=position)
        _add_documents(organization, documents, user)
        notifications.application_received(organization=organization)
    return organization


def organization_update(
    *, organization: Organization, by: User, data: Mapping, documents: Iterable[NewDocument] = ()
) -> Organization:
    """A representative updates the organisation.

    Before accreditation everything changes at once, and an application staff sent back for changes goes
    back to them. Once accredited, a new legal name or category waits for staff's approval."""
    with transaction.atomic():
        locked = _locked(organization)
        if locked.status == OrganizationStatus.REJECTED:
            raise RegistryRefusal(
                _("Una postulación rechazada ya no se puede modificar; puede postular de nuevo.")
            )
        values = _clean(data)
        if locked.is_accredited:
            for name in REVIEWED_FIELDS:
                new = values.pop(name, getattr(locked, name))
                if new != getattr(locked, name):
                    setattr(locked, f"requested_{name}", new)
                elif name == "legal_name":
                    locked.requested_legal_name = ""
                else:
                    locked.requested_category = None
        for name, value in values.items():
            setattr(locked, name, value)
        if locked.status == OrganizationStatus.CHANGES_REQUESTED:
            locked.status = OrganizationStatus.APPLIED
            locked.submitted_at = timezone.now()
        _save(locked)
        _add_documents(locked, documents, by)
    return locked


def _decide(organization: Organization, *, by: User, decision: str, reason: str = "") -> None:
    OrganizationDecision.objects.create(
        organization=organization, decision=decision, reason=reason, decided_by=by
    )


def _needs_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise RegistryRefusal(_("Escriba el motivo: la organización lo leerá para saber qué hacer."))
    return reason


def _reviewable(organization: Organization) -> Organization:
    locked = _locked(organization)
    if locked.status != OrganizationStatus.APPLIED:
        raise RegistryRefusal(
            _("«%(name)s» no tiene una postulación por revisar (estado: %(status)s).")
            % {"name": locked.legal_name, "status": locked.get_status_display()}
        )
    return locked


def organization_accredit(*, organization: Organization, by: User) -> Organization:
    with transaction.atomic():
        locked = _reviewable(organization)
        now = timezone.now()
        locked.status = OrganizationStatus.ACCREDITED
        locked.accredited_at = now
        locked.reviewed_at = now
        locked.review_reason = ""
        locked.save()
        _decide(locked, by=by, decision=OrganizationDecision.Decision.ACCREDITED)
        notifications.accredited(organization=locked)
    return locked


def organization_request_changes(*, organization: Organization, by: User, reason: str) -> Organization:
    reason = _needs_reason(reason)
    with transaction.atomic():
        locked = _reviewable(organization)
        locked.status = OrganizationStatus.CHANGES_REQUESTED
        locked.reviewed_at = timezone.now()
        locked.review_reason = reason
        locked.save()
        _decide(locked, by=by, decision=OrganizationDecision.Decision.CHANGES_REQUESTED, reason=reason)
        notifications.changes_requested(organization=locked, reason=reason)
    return locked


def organization_reject(*, organization: Organization, by: User, reason: str) -> Organization:
    reason = _needs_reason(reason)
    with transaction.atomic():
        locked = _reviewable(organization)
        locked.status = OrganizationStatus.REJECTED
        locked.reviewed_at = timezone.now()
        locked.review_reason = reason
        locked.save()
        _decide(locked, by=by, decision=OrganizationDecision.Decision.REJECTED, reason=reason)
        notifications.rejected(organization=locked, reason=reason)
    return locked


def _with_requested_change(organization: Organization) -> Organization:
    locked = _locked(organization)
    if not locked.has_requested_change:
        raise RegistryRefusal(
            _("«%(name)s» no pidió cambiar su nombre ni su categoría.") % {"name": locked.legal_name}
        )
    return locked


def organization_change_approve(*, organization: Organization, by: User) -> Organization:
    with transaction.atomic():
        locked = _with_requested_change(organization)
        if locked.requested_legal_name:
            locked.legal_name = locked.requested_legal_name
        if locked.requested_category is not None:
            locked.category = locked.requested_category
        locked.requested_legal_name = ""
        locked.requested_category = None
        locked.reviewed_at = timezone.now()
        locked.save()
        _decide(locked, by=by, decision=OrganizationDecision.Decision.CHANGE_APPROVED)
        notifications.change_decided(organization=locked, approved=True)
    return locked


def organization_change_refuse(*, organization: Organization, by: User, reason: str) -> Organization:
    reason = _needs_reason(reason)
    with transaction.atomic():
        locked = _with_requested_change(organization)
        locked.requested_legal_name = ""
        locked.requested_category = None
        locked.reviewed_at = timezone.now()
        locked.save()
        _decide(locked, by=by, decision=OrganizationDecision.Decision.CHANGE_REFUSED, reason=reason)
        notifications.change_decided(organization=locked, approved=False, reason=reason)
    return locked


def representative_add(
    *, organization: Organization, by: User, email: str, position: str = ""
) -> OrganizationRepresentative:
    """Another person with an account on the portal may act for the organisation."""
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None:
        raise RegistryRefusal(
            _("No hay una cuenta con el correo %(email)s. Pida a esa persona que cree su cuenta primero.")
            % {"email": email}
        )
    with transaction.atomic():
        _locked(organization)
        representative, created = OrganizationRepresentative.objects.get_or_create(
            organization=organization, user=user, defaults={"position": position}
        )
    if not created:
        raise RegistryRefusal(_("%(email)s ya representa a la organización.") % {"email": user.email})
    return representative


def representative_remove(*, representative: OrganizationRepresentative, by: User) -> None:
    with transaction.atomic():
        _locked(representative.organization)
        if representative.organization.representatives.count() <= 1:
            raise RegistryRefusal(
                _("La organización necesita al menos una persona que la represente: agregue otra antes.")
            )
        representative.delete()
