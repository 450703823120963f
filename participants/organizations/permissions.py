"""Who may see and do what in the organisation registry. Every page, POST, download and admin action asks
these predicates, and nothing else decides.

- The public list and the public page show accredited organisations only, to everyone.
- A representative (``OrganizationRepresentative``) sees their organisation whatever its status, updates it
  while it is not rejected, and downloads its documents.
- Staff with ``participants.review_organization`` (and a second factor) decide on applications; staff with
  ``participants.view_organization`` read applications and their documents.

Views turn ``False`` into a 404, never a 403 that would confirm the organisation exists.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from participants.choices import OrganizationStatus
from participants.models import Organization, OrganizationDocument
from participants.permissions import ANONYMOUS, staff_may

__all__ = [
    "ANONYMOUS",
    "is_representative",
    "may_apply",
    "may_manage_representatives",
    "may_read_applications",
    "may_review",
    "may_update",
    "may_view",
    "may_view_document",
    "may_view_private",
    "public_q",
    "visible_to",
]

EDITABLE_STATUSES = (
    OrganizationStatus.APPLIED,
    OrganizationStatus.CHANGES_REQUESTED,
    OrganizationStatus.ACCREDITED,
)


def is_representative(user, organization: Organization) -> bool:
    """Whether ``user`` acts for ``organization``; remembered on the user for the rest of the request."""
    if not user.is_authenticated or organization.pk is None:
        return False
    cache = getattr(user, "_represented_organizations", None)
    if cache is None:
        cache = user._represented_organizations = set(
            Organization.objects.filter(representatives__user=user).values_list("pk", flat=True)
        )
    return organization.pk in cache


def may_read_applications(user) -> bool:
    """Staff who read every application, its contact details and its documents."""
    return staff_may(user, "participants.view_organization")


def may_review(user) -> bool:
    """Staff who accredit, ask for changes or reject."""
    return staff_may(user, "participants.review_organization")


def public_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": OrganizationStatus.ACCREDITED})


def visible_to(user) -> QuerySet[Organization]:
    """The organisations of the public list: accredited ones, for everyone (staff read the rest in admin)."""
    return Organization.objects.filter(public_q())


def may_view(user, organization: Organization) -> bool:
    """The public page: accredited organisations; representatives and staff see theirs in any status."""
    return organization.is_accredited or may_view_private(user, organization)


def may_view_private(user, organization: Organization) -> bool:
    """Status, staff's reasons, contact details and documents: its representatives and staff."""
    return is_representative(user, organization) or may_read_applications(user)


def may_apply(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def may_update(user, organization: Organization) -> bool:
    return is_representative(user, organization) and organization.status in EDITABLE_STATUSES


def may_manage_representatives(user, organization: Organization) -> bool:
    return may_update(user, organization)


def may_view_document(user, document: OrganizationDocument) -> bool:
    return may_view_private(user, document.organization)
