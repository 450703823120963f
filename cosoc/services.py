"""Every write of the COSOC app: keyword-only, one transaction, refusals as :class:`Refused` with a translated
message that staff and members read as it is (admin actions and pages show ``str(error)``).

Memberships keep the "COSOC members" group in step (that group needs a second factor, ``MFA_REQUIRED_GROUPS``);
a session moves planned → agenda published → held → minutes approved and nothing else; approved minutes never
change (a correction is a new version).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cosoc import fragments, notifications, permissions
from cosoc.models import (
    MEMBERS_GROUP,
    OBSERVATION_MAX_LENGTH,
    AgendaItem,
    Agreement,
    AgreementProgress,
    AgreementStatus,
    Attendance,
    AttendanceStatus,
    Membership,
    Minutes,
    MinutesStatus,
    Observation,
    Session,
    SessionStatus,
    Term,
)
from engine import search
from participants.models import Organization, User


class Refused(Exception):
    """A write the rules do not allow; ``str(error)`` is the translated reason."""


# --- Memberships -----------------------------------------------------------------------------------------


def _members_group() -> Group:
    group, _created = Group.objects.get_or_create(name=MEMBERS_GROUP)
    return group


def _sync_group(user: User) -> None:
    """In the group while the person holds a membership that is not ended (a second factor is then required)."""
    group = _members_group()
    if Membership.objects.filter(user=user, end__isnull=True).exists():
        user.groups.add(group)
    else:
        user.groups.remove(group)


def membership_create(
    *,
    term: Term,
    user: User,
    organization: Organization,
    role: str,
    start: datetime.date,
    public_name: str = "",
    published_gender: str = "",
    substitute_for: Membership | None = None,
) -> Membership:
    """Seat ``user`` for ``organization`` in ``term``; the category is the organisation's."""
    if not term.start <= start <= term.end:
        raise Refused(_("La fecha de inicio debe estar dentro del periodo."))
    name = public_name or user.name
    if not name:
        raise Refused(_("Indique el nombre público de la persona integrante."))
    with transaction.atomic():
        if Membership.objects.filter(term=term, user=user, end__isnull=True).exists():
            raise Refused(_("Esta persona ya es integrante de este periodo."))
        membership = Membership(
            term=term,
            user=user,
            public_name=name,
            organization=organization,
            category=organization.category,
            role=role,
            start=start,
            published_gender=published_gender,
            substitute_for=substitute_for,
        )
        membership.full_clean()
        membership.save()
        _sync_group(user)
    return membership


def membership_end(*, membership: Membership, end: datetime.date, reason: str) -> Membership:
    """End a seat (resignation, replacement, end of term…); the person leaves the members' group unless they
    hold another open seat."""
    reason = reason.strip()
    if not reason:
        raise Refused(_("Indique el motivo del término."))
    if end < membership.start:
        raise Refused(_("El término no puede ser anterior al inicio."))
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.end is not None:
            raise Refused(_("Esta participación en el consejo ya terminó."))
        locked.end = end
        locked.reason_for_leaving = reason
        locked.save(update_fields=["end", "reason_for_leaving"])
        _sync_group(locked.user)
    membership.end, membership.reason_for_leaving = end, reason
    return membership


def membership_save(*, membership: Membership) -> Membership:
    """Admin edits of a seat (role, public name, published gender…); group membership follows."""
    with transaction.atomic():
        membership.category = membership.organization.category
        membership.full_clean()
        membership.save()
        _sync_group(membership.user)
    return membership


def memberships_sync_groups(*, today: datetime.date | None = None) -> int:
    """Close seats of terms that ended (periodic): nobody keeps the group, or its second-factor rule, forever."""
    today = today or timezone.localdate()
    expired = Membership.objects.filter(end__isnull=True, term__end__lt=today).select_related("term", "user")
    count = 0
    for membership in expired:
        membership_end(membership=membership, end=membership.term.end, reason=_("Fin del periodo"))
        count += 1
    return count


# --- Sessions: the state machine -------------------------------------------------------------------------


def _locked(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("term").get(pk=session.pk)


def _refresh(session: Session, locked: Session) -> Session:
    for field in ("status", "agenda_published_at", "agenda_changed_at"):
        setattr(session, field, getattr(locked, field))
    return session


def session_publish_agenda(*, session: Session) -> Session:
    """Planned → agenda published: the agenda and public documents go public, members are told (each in their
    language) and the review area opens."""
    with transaction.atomic():
        locked = _locked(session)
        if locked.status != SessionStatus.PLANNED:
            raise Refused(
                _("La tabla de «%(session)s» ya fue publicada (estado: %(status)s).")
                % {"session": locked, "status": locked.get_status_display()}
            )
        if not locked.items.exists():
            raise Refused(
                _("No se puede publicar la tabla de «%(session)s»: no tiene puntos.") % {"session": locked}
            )
        now = timezone.now()
        locked.status = SessionStatus.AGENDA_PUBLISHED
        locked.agenda_published_at = locked.agenda_changed_at = now
        locked.save(update_fields=["status", "agenda_published_at", "agenda_changed_at"])
        search.reindex(locked)
        notifications.agenda_published(session=locked)
    return _refresh(session, locked)


def session_agenda_changed(*, session: Session) -> None:
    """An agenda item or document changed: the agenda shows when (only once it is published)."""
    if session.status == SessionStatus.PLANNED:
        return
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(agenda_changed_at=now)
    session.agenda_changed_at = now
    search.reindex(session)
    fragments.content_changed()  # QuerySet.update sends no signal


def session_mark_held(*, session: Session) -> Session:
    """Agenda published → held (on or after the session's date); observations on items close."""
    with transaction.atomic():
        locked = _locked(session)
        if locked.status != SessionStatus.AGENDA_PUBLISHED:
            raise Refused(
                _(
                    "Solo una sesión con la tabla publicada puede marcarse como realizada; «%(session)s» está: %(status)s."
                )
                % {"session": locked, "status": locked.get_status_display()}
            )
        if locked.date > timezone.localdate():
            raise Refused(
                _("«%(session)s» todavía no ocurre: no puede marcarse como realizada.") % {"session": locked}
            )
        locked.status = SessionStatus.HELD
        locked.save(update_fields=["status"])
    return _refresh(session, locked)


# --- Attendance and quorum -------------------------------------------------------------------------------


def attendance_record(*, session: Session, membership: Membership, status: str) -> Attendance:
    """One member's attendance at a session; a member of another term, or not sitting that day, is refused."""
    if status not in AttendanceStatus.values:
        raise Refused(_("Elija presente, ausente o ausente con excusa."))
    if (
        membership.term_id != session.term_id
        or not Membership.objects.sitting_on(session.date).filter(pk=membership.pk).exists()
    ):
        raise Refused(
            _("%(member)s no integraba el consejo el día de la sesión.") % {"member": membership.public_name}
        )
    if session.status == SessionStatus.MINUTES_APPROVED:
        raise Refused(_("El acta ya está aprobada: la asistencia no puede cambiar."))
    attendance, _created = Attendance.objects.update_or_create(
        session=session, membership=membership, defaults={"status": status}
    )
    return attendance


# --- Observations ----------------------------------------------------------------------------------------


def _author_name(user: User, session: Session) -> str:
    membership = permissions.active_membership(user, session.term)
    if membership is not None:
        return membership.public_name
    return _("%(name)s (secretaría ejecutiva)") % {"name": user.get_full_name()}


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise Refused(_("Escriba su observación antes de enviarla."))
    if len(text) > OBSERVATION_MAX_LENGTH:
        raise Refused(
            _("La observación es demasiado larga: use como máximo %(limit)s caracteres (tiene %(length)s).")
            % {"limit": OBSERVATION_MAX_LENGTH, "length": len(text)}
        )
    return text


def observation_post(
    *,
    author: User,
    text: str,
    item: AgendaItem | None = None,
    minutes: Minutes | None = None,
    parent: Observation | None = None,
) -> Observation:
    """An observation on an agenda item (while the agenda is in review) or a comment on the shared draft
    minutes, or a reply to either; only members of the current term and the executive secretary post.

    The same author's same text in the same place is stored once, even from two requests at once (a double
    click, a second tab): the later one gets the first one back."""
    if (item is None) == (minutes is None):
        raise ValueError("An observation is about an agenda item or about draft minutes")
    session = item.session if item is not None else minutes.session  # type: ignore[union-attr]
    if item is not None and not permissions.may_observe(author, session):
        raise Refused(_("Esta sesión no está en revisión: ya no se reciben observaciones sobre su tabla."))
    if minutes is not None and not permissions.may_comment_on_minutes(author, minutes):
        raise Refused(_("Este borrador de acta no está abierto a comentarios."))
    if parent is not None and (
        parent.item_id != (item.pk if item else None)
        or parent.minutes_id != (minutes.pk if minutes else None)
    ):
        raise Refused(_("La respuesta debe ser sobre el mismo punto que la observación."))
    text = _clean_text(text)
    thread = parent.parent or parent if parent is not None else None
    with transaction.atomic():
        _locked(session)  # posts to one session wait for each other: the check below sees the earlier one
        earlier = Observation.objects.filter(
            session=session, item=item, minutes=minutes, parent=thread, author=author, text=text
        ).first()
        if earlier is not None:
            return earlier
        return Observation.objects.create(
            session=session,
            item=item,
            minutes=minutes,
            parent=thread,
            author=author,
            author_name=_author_name(author, session),
            text=text,
        )


# --- Minutes ---------------------------------------------------------------------------------------------


def minutes_save(*, minutes: Minutes) -> Minutes:
    """Write a draft; an approved version never changes (correct it with :func:`minutes_correct`)."""
    with transaction.atomic():
        if minutes.pk:
            stored = Minutes.objects.select_for_update().get(pk=minutes.pk)
            if stored.status == MinutesStatus.APPROVED:
                raise Refused(_("Un acta aprobada no se modifica: cree una corrección (una nueva versión)."))
        else:
            if minutes.session.status not in (SessionStatus.HELD, SessionStatus.MINUTES_APPROVED):
                raise Refused(_("El acta se redacta después de realizada la sesión."))
            if (
                Minutes.objects.filter(session=minutes.session)
                .exclude(status=MinutesStatus.APPROVED)
                .exists()
            ):
                raise Refused(_("Esta sesión ya tiene un borrador de acta: edite ese borrador."))
            last = Minutes.objects.filter(session=minutes.session).order_by("-version").first()
            minutes.version = last.version + 1 if last else 1
        minutes.full_clean()
        minutes.save()
    return minutes


def minutes_share(*, minutes: Minutes) -> Minutes:
    """Draft → shared: members of the current term comment on it in the review area."""
    with transaction.atomic():
        locked = Minutes.objects.select_for_update().select_related("session__term").get(pk=minutes.pk)
        if locked.status != MinutesStatus.DRAFT:
            raise Refused(_("Solo un borrador puede compartirse con el consejo."))
        if locked.session.status not in (SessionStatus.HELD, SessionStatus.MINUTES_APPROVED):
            raise Refused(_("El acta se comparte después de realizada la sesión."))
        locked.status = MinutesStatus.SHARED
        locked.save(update_fields=["status"])
        notifications.minutes_shared(minutes=locked)
    minutes.status = locked.status
    return minutes


def minutes_approve(*, minutes: Minutes) -> Minutes:
    """A draft becomes the approved minutes, published as a page and a PDF; the session's agreements go public.
    Refused unless the session was held (or this is a correction of approved minutes)."""
    with transaction.atomic():
        locked = Minutes.objects.select_for_update().select_related("session__term").get(pk=minutes.pk)
        session = _locked(locked.session)
        if locked.status == MinutesStatus.APPROVED:
            raise Refused(_("Esta versión del acta ya está aprobada."))
        if session.status not in (SessionStatus.HELD, SessionStatus.MINUTES_APPROVED):
            raise Refused(
                _(
                    "No se puede aprobar el acta de «%(session)s»: la sesión no se ha realizado (estado: %(status)s)."
                )
                % {"session": session, "status": session.get_status_display()}
            )
        if not locked.body:
            raise Refused(_("El acta está vacía: escriba el resumen antes de aprobarla."))
        first_approval = session.status == SessionStatus.HELD
        locked.status = MinutesStatus.APPROVED
        locked.approved_at = timezone.now()
        locked.save(update_fields=["status", "approved_at"])
        session.status = SessionStatus.MINUTES_APPROVED
        session.save(update_fields=["status"])
        search.reindex(session)
        for agreement in session.agreements.all():
            search.reindex(agreement)
        notifications.minutes_approved(minutes=locked, correction=not first_approval)
    minutes.status, minutes.approved_at = locked.status, locked.approved_at
    minutes.session.status = session.status
    return minutes


def minutes_correct(*, minutes: Minutes, note: str = "") -> Minutes:
    """A correction of approved minutes: a new draft version, dated, starting from the approved text."""
    with transaction.atomic():
        locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if locked.status != MinutesStatus.APPROVED:
            raise Refused(_("Solo se corrige un acta aprobada; un borrador se edita directamente."))
        if (
            Minutes.objects.filter(session_id=locked.session_id)
            .exclude(status=MinutesStatus.APPROVED)
            .exists()
        ):
            raise Refused(_("Ya hay una corrección en preparación para esta acta."))
        if Minutes.objects.filter(session_id=locked.session_id, version__gt=locked.version).exists():
            raise Refused(_("Corrija la última versión aprobada del acta."))
        copy = {field: getattr(locked, field) for field in _MINUTES_COPIED}
        return Minutes.objects.create(
            session_id=locked.session_id, version=locked.version + 1, correction_note=note, **copy
        )


_MINUTES_COPIED = [
    "started_at",
    "ended_at",
    "executive_secretary",
    *(f"body_{code}" for code, _name in settings.LANGUAGES),
]


# --- Agreements ------------------------------------------------------------------------------------------


def agreements_set_status(*, agreements: Iterable[Agreement], status: str) -> int:
    """The admin's bulk action; each change reindexes and tells the agreement's followers."""
    if status not in AgreementStatus.values:
        raise Refused(_("Estado de acuerdo desconocido."))
    changed = 0
    with transaction.atomic():
        for agreement in Agreement.objects.select_for_update().filter(pk__in=[a.pk for a in agreements]):
            if agreement.status == status:
                continue
            agreement.status = status
            agreement.save(update_fields=["status", "updated_at"])
            notifications.agreement_updated(agreement=agreement)
            changed += 1
    return changed


def agreement_progress_add(
    *, agreement: Agreement, text: str, date: datetime.date | None = None
) -> AgreementProgress:
    text = (text or "").strip()
    if not text:
        raise Refused(_("Escriba el avance."))
    with transaction.atomic():
        progress = AgreementProgress.objects.create(
            agreement=agreement, text=text, date=date or timezone.localdate()
        )
        Agreement.objects.filter(pk=agreement.pk).update(updated_at=timezone.now())
        notifications.agreement_updated(agreement=agreement)
    return progress
