"""Reads for the COSOC's pages: they own select_related/prefetch_related and ask ``permissions``.

``session_access(user, pk)`` is the one door to a session for every page about it (404 when ``user`` may not
see it). Query counts do not grow with the number of rows (tests/cosoc/test_query_counts.py).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.http import urlencode

from cosoc import permissions
from cosoc.models import (
    AgendaDocument,
    AgendaItem,
    Agreement,
    AgreementProgress,
    AgreementQuerySet,
    AgreementStatus,
    Attendance,
    AttendanceStatus,
    Council,
    InvitedParticipant,
    Membership,
    Minutes,
    MinutesStatus,
    Observation,
    Quorum,
    Session,
    Term,
)
from participants.choices import GenderIdentity, OrganizationCategory, Region

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SESSIONS_PER_PAGE = 20
AGREEMENTS_PER_PAGE = 25


# --- Council ---------------------------------------------------------------------------------------------


@dataclass
class Balance:
    """Counts shown on the council page: every member by category and region; gender only of members who
    agreed to publish it (the rest are counted as "not published")."""

    categories: list[tuple[StrOrPromise, int]]
    regions: list[tuple[StrOrPromise, int]]
    genders: list[tuple[StrOrPromise, int]]
    gender_not_published: int
    total: int


@dataclass
class CouncilPage:
    council: Council | None
    term: Term | None
    members: list[Membership] = field(default_factory=list)
    balance: Balance | None = None


def current_term() -> Term | None:
    return Term.objects.current().select_related("council").first()


def council_page() -> CouncilPage:
    term = current_term()
    if term is None:
        return CouncilPage(council=Council.objects.first(), term=None)
    members = list(
        Membership.objects.active()
        .filter(term=term)
        .select_related("organization", "substitute_for")
        .by_role()
    )
    return CouncilPage(council=term.council, term=term, members=members, balance=balance_of(members))


def balance_of(members: list[Membership]) -> Balance:
    categories = Counter(m.category for m in members)
    regions = Counter(m.organization.region for m in members)
    genders = Counter(m.published_gender for m in members if m.published_gender)
    region_labels = dict(Region.choices)
    return Balance(
        categories=[(label, categories[value]) for value, label in OrganizationCategory.choices],
        regions=sorted(
            ((region_labels.get(r, r), n) for r, n in regions.items()), key=lambda x: (-x[1], x[0])
        ),
        genders=[(label, genders[value]) for value, label in GenderIdentity.choices if genders[value]],
        gender_not_published=sum(1 for m in members if not m.published_gender),
        total=len(members),
    )


# --- Sessions --------------------------------------------------------------------------------------------


def with_links(page: Page, query: str = "") -> Page:
    """``page.previous_link`` and ``page.next_link`` for ``engine/_pagination.html``: ``query`` (the valid
    filters, already encoded) and the page number, none for the first page. Built from what the page was
    cached under, never from the address as typed (``engine.pagination.paginate`` copies the request's)."""

    def link(number: int) -> str:
        return "?" + "&".join(part for part in (query, f"pagina={number}" if number > 1 else "") if part)

    page.previous_link = link(page.number - 1) if page.has_previous() else ""  # type: ignore[attr-defined]
    page.next_link = link(page.number + 1) if page.has_next() else ""  # type: ignore[attr-defined]
    return page


def sessions_page(user, page_number: str | int | None) -> Page:
    sessions = (
        permissions.sessions_visible_to(user)
        .upcoming_first()
        .select_related("term")
        .annotate(item_count=Count("items", distinct=True))
    )
    return with_links(Paginator(sessions, SESSIONS_PER_PAGE).get_page(page_number))


def next_session(user) -> Session | None:
    return (
        permissions.sessions_visible_to(user)
        .upcoming()
        .select_related("term")
        .order_by("date", "starts_at")
        .first()
    )


def ical_sessions(user) -> QuerySet[Session]:
    """Sessions of the last 12 months and every future one, as ``user`` may see them (ANONYMOUS for feeds)."""
    since = timezone.localdate() - datetime.timedelta(days=365)
    return permissions.sessions_visible_to(user).filter(date__gte=since).order_by("date", "starts_at")


@dataclass
class SessionAccess:
    session: Session
    may_review: bool


def session_row(pk: int) -> Session | None:
    return Session.objects.select_related("term__council").filter(pk=pk).first()


def session_access(user, pk: int, row: Session | None = None) -> SessionAccess:
    """``row``: the session as read a moment ago (the session page's shared copy of a public session's row,
    under the content version); the permissions decide on it as on a fresh one."""
    session = row or session_row(pk)
    if session is None or not permissions.may_view_session(user, session):
        raise Http404
    return SessionAccess(session=session, may_review=permissions.may_review(user, session))


def _items(session: Session, user) -> QuerySet[AgendaItem]:
    documents = AgendaDocument.objects.filter(permissions.documents_visible_q(user, session)).order_by("pk")
    return session.items.prefetch_related(Prefetch("documents", queryset=documents)).order_by("order", "pk")


def approved_minutes(session: Session) -> list[Minutes]:
    """Approved versions, newest first (the first is the one in force)."""
    return list(session.minutes.filter(status=MinutesStatus.APPROVED).order_by("-version"))


@dataclass
class SessionDetail:
    session: Session
    items: list[AgendaItem]
    minutes: list[Minutes]
    agreements: list[Agreement]
    invited: list[InvitedParticipant]
    attendance: list[Attendance]
    quorum: Quorum | None


def session_detail(session: Session, user) -> SessionDetail:
    minutes = approved_minutes(session)
    agreements = (
        list(
            permissions.agreements_visible_to(user)
            .filter(session=session)
            .with_overdue()
            .prefetch_related("progress")
            .order_by("pk")
        )
        if minutes
        else []
    )
    attendance: list[Attendance] = []
    quorum = None
    if session.status in ("held", "minutes_approved"):
        attendance = list(
            session.attendance.select_related("membership__organization").order_by("membership__public_name")
        )
        quorum = session_quorum(session)
    return SessionDetail(
        session=session,
        items=list(_items(session, user)),
        minutes=minutes,
        agreements=agreements,
        invited=list(session.invited_participants.all()),
        attendance=attendance,
        quorum=quorum,
    )


def session_quorum(session: Session) -> Quorum:
    sitting = Membership.objects.filter(term_id=session.term_id).sitting_on(session.date).count()
    present = session.attendance.filter(status=AttendanceStatus.PRESENT).count()
    return Quorum(required=session.term.council.quorum_required(sitting), present=present, sitting=sitting)


@dataclass
class ReviewPage:
    session: Session
    items: list[AgendaItem]
    draft: Minutes | None
    may_observe: bool
    may_comment: bool


def _threads() -> Prefetch:
    return Prefetch(
        "observations",
        queryset=Observation.objects.filter(parent__isnull=True)
        .prefetch_related("replies")
        .order_by("created_at"),
        to_attr="threads",
    )


def review_page(session: Session, user) -> ReviewPage:
    items = list(_items(session, user).prefetch_related(_threads()))
    draft = (
        session.minutes.filter(status=MinutesStatus.SHARED)
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=Observation.objects.filter(parent__isnull=True).prefetch_related("replies"),
                to_attr="threads",
            )
        )
        .first()
    )
    return ReviewPage(
        session=session,
        items=items,
        draft=draft,
        may_observe=permissions.may_observe(user, session),
        may_comment=bool(draft and permissions.may_comment_on_minutes(user, draft)),
    )


def minutes_for_page(session: Session, version: int | None = None) -> tuple[Minutes, list[Minutes]]:
    versions = approved_minutes(session)
    if not versions:
        raise Http404
    chosen = next((m for m in versions if m.version == version), None) if version else versions[0]
    if chosen is None:
        raise Http404
    return chosen, versions


@dataclass
class MinutesDocument:
    minutes: Minutes
    versions: list[Minutes]
    present: list[Attendance]
    invited: list[InvitedParticipant]
    items: list[AgendaItem]
    agreements: list[Agreement]
    quorum: Quorum


def minutes_document(session: Session, version: int | None = None) -> MinutesDocument:
    minutes, versions = minutes_for_page(session, version)
    return MinutesDocument(
        minutes=minutes,
        versions=versions,
        present=list(
            session.attendance.filter(status=AttendanceStatus.PRESENT)
            .select_related("membership__organization")
            .order_by("membership__public_name")
        ),
        invited=list(session.invited_participants.filter(present=True)),
        items=list(session.items.order_by("order", "pk")),
        agreements=list(session.agreements.order_by("pk")),
        quorum=session_quorum(session),
    )


# --- Agreements ------------------------------------------------------------------------------------------


@dataclass
class AgreementFilters:
    status: str = ""
    session: int | None = None
    year: int | None = None

    @classmethod
    def from_query(cls, query) -> AgreementFilters:
        status = query.get("estado", "")
        session = query.get("sesion", "")
        year = query.get("anio", "")
        return cls(
            status=status if status in AgreementStatus.values else "",
            session=int(session) if session.isdigit() else None,
            year=int(year) if year.isdigit() and len(year) == 4 else None,
        )

    def query(self) -> str:
        """The filters as a query string, for the pagination and export links (only the valid ones)."""
        params = {"estado": self.status, "sesion": self.session or "", "anio": self.year or ""}
        return urlencode({key: value for key, value in params.items() if value})


def agreements_filtered(user, filters: AgreementFilters) -> AgreementQuerySet:
    agreements = permissions.agreements_visible_to(user)
    if filters.session:
        agreements = agreements.filter(session_id=filters.session)
    if filters.year:
        agreements = agreements.filter(session__date__year=filters.year)
    if filters.status:
        agreements = agreements.filter(status=filters.status)
    return agreements


@dataclass
class AgreementSummary:
    done: int
    total: int
    overdue: int


def agreements_summary(user, filters: AgreementFilters) -> AgreementSummary:
    """ "12 of 30 agreements done" for the filters other than status (the status filter narrows the list)."""
    base = agreements_filtered(user, AgreementFilters(session=filters.session, year=filters.year))
    today = timezone.localdate()
    counts = base.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=AgreementStatus.DONE)),
        overdue=Count(
            "pk",
            filter=Q(status__in=[AgreementStatus.PENDING, AgreementStatus.IN_PROGRESS], due_date__lt=today),
        ),
    )
    return AgreementSummary(done=counts["done"], total=counts["total"], overdue=counts["overdue"])


def agreements_for_list(user, filters: AgreementFilters) -> QuerySet[Agreement]:
    return (
        agreements_filtered(user, filters)
        .select_related("session")
        .with_overdue()
        .prefetch_related(Prefetch("progress", queryset=AgreementProgress.objects.order_by("date", "pk")))
        .order_by("-is_overdue", "-session__date", "pk")
    )


def agreements_page(user, filters: AgreementFilters, page_number) -> Page:
    """A page of the tracker; its links keep the filters."""
    page = Paginator(agreements_for_list(user, filters), AGREEMENTS_PER_PAGE).get_page(page_number)
    return with_links(page, filters.query())


def agreement_filter_choices(user) -> tuple[list[Session], list[int]]:
    sessions = list(
        permissions.sessions_visible_to(user)
        .filter(pk__in=permissions.agreements_visible_to(user).values("session_id"))
        .order_by("-date")
    )
    years = sorted({s.date.year for s in sessions}, reverse=True)
    return sessions, years
