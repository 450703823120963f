"""Reads for public-account pages; each asks ``permissions`` and owns its select/prefetch."""

from __future__ import annotations

import statistics
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from public_accounts import permissions
from public_accounts.models import (
    SHARED_ROW_KEY,
    AnswersDocument,
    Channel,
    Commitment,
    PresentationEvent,
    PublicAccount,
    Question,
    Section,
    Status,
)


@dataclass
class AccountAccess:
    account: PublicAccount
    preview: bool = False


def account_access(*, year: int, user, shared: bool = False) -> AccountAccess:
    """The account of ``year`` if ``user`` may see it (else Http404); its row only (``account_content``
    loads what its page shows). ``shared``: the row may come from the copy the account's page keeps for
    ``FRAGMENT_CACHE_SECONDS`` (as long as its shared content); who may see it is decided now, by its dates."""
    account = _shared_account(year) if shared else PublicAccount.objects.filter(year=year).first()
    if account is None or not permissions.may_view(user, account):
        raise Http404
    return AccountAccess(account=account, preview=not account.is_public)


def _shared_account(year: int) -> PublicAccount | None:
    seconds = settings.FRAGMENT_CACHE_SECONDS
    key = SHARED_ROW_KEY.format(year=year)
    account = cache.get(key) if seconds > 0 else None
    if account is None:
        account = PublicAccount.objects.filter(year=year).first()
        if account is not None and seconds > 0:
            cache.set(key, account, seconds)
    return account


def account_content(account: PublicAccount) -> PublicAccount:
    """Loads the sections, budget rows, attachments, presentations and answer documents the account's page
    shows, one query each, onto ``account``."""
    prefetch_related_objects(
        [account],
        Prefetch("sections", queryset=Section.objects.order_by("order", "pk")),
        "budget_lines",
        "attachments",
        Prefetch("events", queryset=PresentationEvent.objects.order_by("starts_at")),
        Prefetch("answer_documents", queryset=AnswersDocument.objects.order_by("-version")),
    )
    return account


def account_list(user) -> list[PublicAccount]:
    return list(permissions.accounts_visible_to(user).order_by("-year"))


def previous_commitments(account: PublicAccount) -> list[Commitment]:
    """Last year's commitments, reported in this year's account (whatever last year's account's state)."""
    return list(Commitment.objects.filter(account__year=account.year - 1).order_by("order", "pk"))


def public_questions(account: PublicAccount, *, section_id: int | None = None) -> QuerySet[Question]:
    """Accepted questions and merged duplicates, oldest first, with what the list shows in one query."""
    questions = (
        Question.objects.filter(permissions.public_questions_q(), account=account)
        .select_related("section", "merged_into")
        .order_by("created_at", "pk")
    )
    if section_id is not None:
        questions = questions.filter(section_id=section_id)
    return questions


def questions_know_their_account(questions: Iterable[Question], account: PublicAccount) -> None:
    """The questions of one page (and the questions they were merged into, on whatever page) know their
    account already: their links need its year, and asking would cost a query per question."""
    for question in questions:
        question.account = account
        if question.merged_into is not None:
            question.merged_into.account = account


def question_access(*, year: int, pk: int, user, own: Collection[int] = ()) -> Question:
    """One question if ``user`` may see it (else Http404). ``own``: questions this browser sent with a
    confirmed email (no account), which their author sees in every state."""
    question = (
        Question.objects.select_related("account", "section", "participant", "merged_into")
        .filter(account__year=year, pk=pk)
        .first()
    )
    if question is None or not permissions.may_view_question(user, question, own=question.pk in own):
        raise Http404
    return question


def public_events() -> QuerySet[PresentationEvent]:
    """Presentations of public accounts, from a day ago on (the iCal feed)."""
    return (
        PresentationEvent.objects.filter(account__in=PublicAccount.objects.public())
        .filter(ends_at__gte=timezone.now() - timedelta(days=1))
        .select_related("account")
        .order_by("starts_at")
    )


def own_questions(user) -> QuerySet[Question]:
    if not user.is_authenticated:
        return Question.objects.none()
    return (
        Question.objects.filter(participant__user=user)
        .select_related("account", "section", "merged_into")
        .order_by("-created_at", "-pk")
    )


@dataclass
class SectionAnswers:
    title: str
    questions: list[Question] = field(default_factory=list)


def published_answers(account: PublicAccount) -> QuerySet[Question]:
    """Every accepted question with a published answer, by section in the account's order (questions without
    a section last: PostgreSQL puts NULL last in ascending order), oldest first within a section."""
    return (
        Question.objects.published()
        .filter(account=account)
        .select_related("section")
        .order_by("section__order", "section_id", "created_at", "pk")
    )


def group_by_section(questions: Iterable[Question]) -> list[SectionAnswers]:
    """Questions in ``published_answers`` order, grouped under their section's title."""
    groups: list[SectionAnswers] = []
    key: object = object()
    for question in questions:
        if not groups or question.section_id != key:
            key = question.section_id
            groups.append(SectionAnswers(question.section.title if question.section else _("Otros temas")))
        groups[-1].questions.append(question)
    return groups


def answers_by_section(account: PublicAccount) -> list[SectionAnswers]:
    """Every accepted question with a published answer exactly once, grouped by section in the account's
    order, questions without a section last: the answers document."""
    return group_by_section(published_answers(account))


def channel_counts(account: PublicAccount) -> dict[str, dict[str, int]]:
    """Questions and distinct people by channel, in person and online counted together (one GROUP BY)."""
    rows = (
        Question.objects.filter(account=account)
        .exclude(status=Status.REJECTED)
        .order_by()  # the model's ordering would split the groups
        .values("channel")
        .annotate(questions=Count("pk"), people=Count("participant", distinct=True))
    )
    counts = {channel: {"questions": 0, "people": 0} for channel in Channel.values}
    for row in rows:
        counts[row["channel"]] = {"questions": row["questions"], "people": row["people"]}
    return counts


@dataclass
class AnswerTimes:
    answered: int
    median_days: float | None
    by_deadline: int

    @property
    def share_by_deadline(self) -> float | None:
        return None if not self.answered else round(100 * self.by_deadline / self.answered, 1)


def answer_times(account: PublicAccount) -> AnswerTimes:
    rows = list(
        Question.objects.published()
        .filter(account=account)
        .values_list("created_at", "answered_at", "due_date")
    )
    days = [(answered - created).total_seconds() / 86400 for created, answered, _due in rows if answered]
    on_time = sum(
        1
        for _created, answered, due in rows
        if answered and due and timezone.localtime(answered).date() <= due
    )
    return AnswerTimes(
        answered=len(days),
        median_days=round(statistics.median(days), 1) if days else None,
        by_deadline=on_time,
    )
