"""Who may see and do what in the COSOC. Every surface asks these predicates, and nothing else decides.

Three levels of visibility:

- **public**: sessions once their agenda is published (agenda items, documents marked public), approved
  minutes, agreements of sessions whose minutes are approved, the council and its members;
- **members only**: the review area of a session (members-only documents, observations and replies, the draft
  minutes shared for comments). Only people with an **active membership of the session's term, while that
  term is the current one**, get in — not ex-members, not members of another term — and the executive
  secretary (staff holding ``cosoc.take_part_in_review``, with a second factor). Other staff do not;
- **staff only**: planned sessions and unshared drafts, for staff who manage sessions.

Pages, POSTs, downloads, the search index, the sitemap, the iCal feeds, the home page blocks and emails all
call the predicate of the object they show; "is it public?" is ``may_view_*(ANONYMOUS, obj)``. Views turn
``False`` into a 404. ``tests/cosoc/test_permissions.py`` is the access matrix of this module.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cosoc import fragments
from cosoc.models import (
    PUBLIC_STATUSES,
    AgendaDocument,
    Agreement,
    AgreementQuerySet,
    DocumentVisibility,
    Membership,
    Minutes,
    MinutesStatus,
    Session,
    SessionQuerySet,
    SessionStatus,
    Term,
)
from participants.permissions import ANONYMOUS, staff_may

__all__ = [
    "ANONYMOUS",
    "active_membership",
    "agreements_visible_to",
    "documents_visible_to",
    "is_secretary",
    "may_comment_on_minutes",
    "may_manage",
    "may_observe",
    "may_review",
    "may_view_agreement",
    "may_view_document",
    "may_view_minutes",
    "may_view_session",
    "sessions_visible_to",
]


def is_secretary(user) -> bool:
    """The COSOC executive secretary: staff with the role's permission and a second factor."""
    return staff_may(user, "cosoc.take_part_in_review")


def may_manage(user) -> bool:
    """Staff who prepare sessions (see planned sessions and unshared drafts before they are public)."""
    return staff_may(user, "cosoc.change_session")


def active_membership(user, term: Term) -> Membership | None:
    """``user``'s seat in ``term`` if it is active today and ``term`` is the current term; remembered on the
    user object for the rest of the request, and in the shared cache under the COSOC content version and the
    day, in a key that names the user (every save of a seat or an organisation changes the version; the user's
    own ``is_active`` is read live): one query per user, term and change, not per request."""
    if not user.is_authenticated or not user.is_active or not term.is_current():
        return None
    remembered = user.__dict__.setdefault("_cosoc_memberships", {})
    if term.pk not in remembered:
        remembered[term.pk] = fragments.shared(
            "seat",
            [user.pk, term.pk],
            lambda: (
                Membership.objects.active()
                .filter(user=user, term=term)
                .select_related("organization")
                .first()
            ),
        )
    return remembered[term.pk]


def _is_reviewer(user, session: Session) -> bool:
    return is_secretary(user) or active_membership(user, session.term) is not None


def may_view_session(user, session: Session) -> bool:
    return session.status in PUBLIC_STATUSES or may_manage(user)


def may_review(user, session: Session) -> bool:
    """The members-only area of a session: its published agenda, members' documents, observations, draft."""
    return session.status in PUBLIC_STATUSES and _is_reviewer(user, session)


def may_observe(user, session: Session) -> bool:
    """Observations on agenda items are posted while the agenda is in review (published, session not held)."""
    return session.status == SessionStatus.AGENDA_PUBLISHED and may_review(user, session)


def may_comment_on_minutes(user, minutes: Minutes) -> bool:
    return minutes.status == MinutesStatus.SHARED and may_review(user, minutes.session)


def may_view_document(user, document: AgendaDocument) -> bool:
    session = document.item.session
    if document.visibility == DocumentVisibility.PUBLIC and session.status in PUBLIC_STATUSES:
        return True
    return may_review(user, session) or may_manage(user)


def may_view_minutes(user, minutes: Minutes) -> bool:
    if minutes.status == MinutesStatus.APPROVED:
        return True
    if minutes.status == MinutesStatus.SHARED and may_review(user, minutes.session):
        return True
    return may_manage(user)


def may_view_agreement(user, agreement: Agreement) -> bool:
    return agreement.session.status == SessionStatus.MINUTES_APPROVED or may_manage(user)


def sessions_visible_to(user) -> SessionQuerySet:
    sessions = Session.objects.all()
    return sessions if may_manage(user) else sessions.filter(status__in=PUBLIC_STATUSES)


def documents_visible_q(user, session: Session, prefix: str = "") -> Q:
    """The documents of ``session`` ``user`` may open, as a filter (``prefix="documents__"`` from items)."""
    if may_review(user, session) or may_manage(user):
        return Q()
    if session.status not in PUBLIC_STATUSES:
        return Q(pk__in=[])
    return Q(**{f"{prefix}visibility": DocumentVisibility.PUBLIC})


def documents_visible_to(user) -> QuerySet[AgendaDocument]:
    """Every document ``user`` may open, across sessions (the search index asks it for ANONYMOUS)."""
    documents = AgendaDocument.objects.all()
    if may_manage(user):
        return documents
    public = Q(visibility=DocumentVisibility.PUBLIC, item__session__status__in=PUBLIC_STATUSES)
    if is_secretary(user):
        return documents.filter(public | Q(item__session__status__in=PUBLIC_STATUSES))
    if not user.is_authenticated or not user.is_active:
        return documents.filter(public)
    # Membership.active() holds only seats of the current term: other terms' members see public documents only.
    member_terms = Membership.objects.active().filter(user=user).values("term_id")
    return documents.filter(
        public | Q(item__session__status__in=PUBLIC_STATUSES, item__session__term__in=member_terms)
    )


def agreements_visible_to(user) -> AgreementQuerySet:
    agreements = Agreement.objects.all()
    return (
        agreements if may_manage(user) else agreements.filter(session__status=SessionStatus.MINUTES_APPROVED)
    )
