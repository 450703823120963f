"""Reads for consultation pages. The results pipeline lives in ``results.py``; who may see what in
``permissions.py``, which every read here asks."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations import answers as answer_rules
from consultations import permissions
from consultations.answers import AnswerValue
from consultations.models import (
    Answer,
    Commitment,
    Consultation,
    ConsultationDocument,
    Dialogue,
    Option,
    Phase,
    Question,
    QuestionKind,
    Response,
    Section,
)
from engine.notifications.selectors import is_following
from engine.rows import RowReader
from participants.models import Participant

# The index's order: open, then announced (both soonest closing first), then closed ones, newest first.
OPEN_RANK, ANNOUNCED_RANK, CLOSED_RANK, DRAFT_RANK = range(4)


def _phase_rank(now) -> Case:
    """``Consultation.phase_at`` in SQL, as the index's group order."""
    closed = [Phase.CLOSED, Phase.RESULTS, Phase.RESPONSE]
    return Case(
        When(phase_override=Phase.OPEN, then=Value(OPEN_RANK)),
        When(phase_override=Phase.ANNOUNCED, then=Value(ANNOUNCED_RANK)),
        When(phase_override__in=closed, then=Value(CLOSED_RANK)),
        When(~Q(phase_override=""), then=Value(DRAFT_RANK)),
        When(
            Q(response_published_at__lte=now) | Q(results_published_at__lte=now) | Q(closes_at__lte=now),
            then=Value(CLOSED_RANK),
        ),
        When(opens_at__lte=now, then=Value(OPEN_RANK)),
        When(announced_at__lte=now, then=Value(ANNOUNCED_RANK)),
        default=Value(DRAFT_RANK),
        output_field=IntegerField(),
    )


def consultation_index() -> QuerySet[Consultation]:
    """The public index, one ordered list for the paginator: open, announced, then closed consultations
    (drafts announced for later are left out), the page's view groups each page by phase."""
    now = timezone.now()
    return (
        permissions.visible_to(permissions.ANONYMOUS)
        .select_related("topic")
        .annotate(phase_rank=_phase_rank(now))
        .filter(phase_rank__lt=DRAFT_RANK)
        .order_by(
            "phase_rank",
            Case(When(phase_rank__lt=CLOSED_RANK, then=F("closes_at"))).asc(nulls_last=True),
            F("closes_at").desc(),
            "pk",
        )
    )


def consultation_documents(consultation: Consultation) -> QuerySet[ConsultationDocument]:
    return consultation.documents.order_by("order", "pk")


def consultation_dialogues(consultation: Consultation) -> QuerySet[Dialogue]:
    return consultation.dialogues.order_by("starts_at", "pk")


def consultation_commitments(consultation: Consultation) -> QuerySet[Commitment]:
    return consultation.commitments.order_by("order", "due_date", "pk")


@dataclass
class ConsultationAccess:
    """One consultation and what the person asking may do with it, found once per request."""

    consultation: Consultation
    # The person's own response (signed in, or by a confirmed email), never anyone else's; None in a preview.
    own_response: Response | None = None
    # Staff walking through the questionnaire as a citizen would: nothing is stored.
    preview: bool = False
    # The keyed hash of an email confirmed by someone without an account ("" otherwise).
    email_hash: str = ""
    may_answer: bool = False
    # ``consultation_page`` only: the status of the reader's own response ("" without one) and whether they
    # follow the consultation.
    response_status: str = ""
    following: bool = False

    @property
    def response(self) -> Response | None:
        return None if self.preview else self.own_response


def _no_confirmed_email(consultation_id: int) -> str:
    return ""


def consultation_access(
    *,
    slug: str,
    user,
    confirmed_email: Callable[[int], str] = _no_confirmed_email,
    preview_requested: bool = False,
    lean: bool = False,
    with_response: bool = False,
) -> ConsultationAccess:
    """The consultation ``slug`` if ``user`` may see it (else Http404), with their own response if asked.

    ``lean`` skips what only the public pages show (documents, commitments, dialogues): the answering pages,
    which respondents reload many times in a row, find a signed-in person's response and its consultation in
    one query. ``confirmed_email(consultation_id)`` gives the email hash a person without an account
    confirmed for that consultation (the view reads it from the session).
    """
    response = None
    if with_response and lean and user.is_authenticated:
        response = (
            Response.objects.select_related("consultation", "participant")
            .filter(consultation__slug=slug, participant__user=user)
            .first()
        )
    consultation = response.consultation if response is not None else _consultation(slug, lean=lean)
    if consultation is None or not permissions.may_view(user, consultation):
        raise Http404
    hashed = "" if user.is_authenticated else confirmed_email(consultation.pk)
    if with_response and response is None:
        owner: dict[str, object] | None
        if user.is_authenticated and not lean:  # (lean already looked)
            owner = {"participant__user": user}
        else:
            owner = {"email_hash": hashed} if hashed else None
        if owner is not None:
            response = (
                Response.objects.select_related("participant")
                .filter(consultation=consultation, **owner)
                .first()
            )
    preview = permissions.may_preview(user) and (preview_requested or not consultation.is_published)
    return ConsultationAccess(
        consultation=consultation,
        own_response=response,
        preview=preview,
        email_hash=hashed,
        may_answer=preview or permissions.may_answer(user, consultation, confirmed_email=bool(hashed)),
    )


# What the consultation's page reads of the row on every view (its title and summary, who may answer, its
# phase): a third of the columns, and a third of the cost of reading it. What the page shares between readers
# is rendered from the whole row (``consultation_full``), once per shared copy.
PAGE_FIELDS = (
    "slug",
    "title",
    "summary",
    "allow_anonymous",
    "modality",
    "is_published",
    "announced_at",
    "opens_at",
    "closes_at",
    "results_published_at",
    "response_published_at",
    "phase_override",
)


# The reader's own response status, as a column of the consultation's row. Written as SQL: the ORM's
# Subquery over the participant join cost 0.45 ms of CPU to compile on every view of the page, a tenth of it.
# Table names come from the models; the reader's id is a query parameter.
_READER_STATUS_SQL = (
    f"SELECT r.status FROM {Response._meta.db_table} r JOIN {Participant._meta.db_table} p"  # noqa: S608
    f" ON p.id = r.participant_id WHERE r.consultation_id = {Consultation._meta.db_table}.id AND p.user_id = %s"
    " LIMIT 1"
)


def consultation_full(consultation: Consultation) -> Consultation:
    """The whole row of a consultation read with ``PAGE_FIELDS`` only, for what renders the shared parts."""
    if not consultation.get_deferred_fields():
        return consultation
    return Consultation.objects.get(pk=consultation.pk)


def consultation_page(*, slug: str, user, preview_requested: bool = False) -> ConsultationAccess:
    """The consultation's own page in one query (404 as ``consultation_access``): the consultation and, for a
    signed-in reader, the status of their own response and whether they follow it. What the page shares
    between readers (its topic, position paper, lists, SERMIG's response) is read only to render it."""
    row = _PAGE_WITH_READER.get(slug=slug, reader=user.pk) if user.is_authenticated else _PAGE.get(slug=slug)
    consultation, preview = _viewable(row, user, preview_requested)
    return ConsultationAccess(
        consultation=consultation,
        preview=preview,
        may_answer=preview or permissions.may_answer(user, consultation),
        # A preview shows the page as a citizen without a response would see it.
        response_status="" if preview else getattr(consultation, "reader_response_status", None) or "",
        following=user.is_authenticated and is_following(user=user, target=consultation),
    )


# The results page reads the counters its shared copy is kept under, besides what the consultation page reads.
RESULTS_PAGE_FIELDS = (*PAGE_FIELDS, "created_at", "questionnaire_version", "results_version")


def results_page(*, slug: str, user, preview_requested: bool = False) -> ConsultationAccess:
    """The consultation of a results page (404 as ``consultation_access``), read with
    ``RESULTS_PAGE_FIELDS`` only: what the page shares is rendered from ``consultation_full``."""
    consultation, preview = _viewable(_RESULTS_PAGE.get(slug=slug), user, preview_requested)
    return ConsultationAccess(consultation=consultation, preview=preview)


def _page_reader(fields: tuple[str, ...], *, with_reader: bool) -> RowReader[Consultation]:
    """A page's read of one consultation by slug (and the reader's response status), compiled once."""

    def build(slug: str, reader: int | None = None) -> QuerySet[Consultation]:
        queryset = Consultation.objects.filter(slug=slug).only(*fields).order_by()
        if with_reader:
            queryset = queryset.annotate(reader_response_status=RawSQL(_READER_STATUS_SQL, [reader]))  # noqa: S611
        return queryset

    stand_ins: dict = {"slug": "\x00slug", "reader": -918_273_645} if with_reader else {"slug": "\x00slug"}
    return RowReader(build, **stand_ins)


_PAGE = _page_reader(PAGE_FIELDS, with_reader=False)
_PAGE_WITH_READER = _page_reader(PAGE_FIELDS, with_reader=True)
_RESULTS_PAGE = _page_reader(RESULTS_PAGE_FIELDS, with_reader=False)


def _viewable(consultation: Consultation | None, user, preview_requested: bool) -> tuple[Consultation, bool]:
    """``consultation`` if ``user`` may see it (else Http404), and whether this is a staff preview (asked for,
    or any unpublished consultation)."""
    if consultation is None or not permissions.may_view(user, consultation):
        raise Http404
    return consultation, permissions.may_preview(user) and (
        preview_requested or not consultation.is_published
    )


def _consultation(slug: str, *, lean: bool) -> Consultation | None:
    queryset = Consultation.objects.filter(slug=slug)
    if not lean:
        # Its documents, dialogues and commitments are lists of their own, one page at a time.
        queryset = queryset.select_related("topic", "plan", "institutional_response")
    return queryset.first()


QUESTIONNAIRE_CACHE_SIZE = 64
_questionnaires: dict[tuple, list[Section]] = {}
_questionnaires_lock = threading.Lock()


def questionnaire(consultation: Consultation) -> list[Section]:
    """Sections with their questions and options, to read only: they are shared between requests.

    Respondents reload these pages many times in a row, and building the structure costs more than the rest
    of an answering request, so each process keeps the last few in memory. The key holds the consultation's
    ``questionnaire_version``, which every write to a section, question or option bumps in the same
    transaction (``consultations/receivers.py``): a changed questionnaire is read afresh on the next request.
    """
    key = (consultation.pk, consultation.created_at, consultation.questionnaire_version)
    sections = _questionnaires.get(key)
    if sections is None:
        sections = questionnaire_from_db(consultation)
        with _questionnaires_lock:  # threaded servers (runserver, gthread) share the dict
            while len(_questionnaires) >= QUESTIONNAIRE_CACHE_SIZE:
                _questionnaires.pop(next(iter(_questionnaires)))
            _questionnaires[key] = sections
    return sections


def questionnaire_from_db(consultation: Consultation) -> list[Section]:
    """Sections with their questions and options: three queries whatever the size."""
    # Not through ``consultation.sections``: the shared sections must not hold this request's consultation.
    return list(
        Section.objects.filter(consultation_id=consultation.pk)
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.select_related("depends_on_option")
                .order_by("order", "pk")
                .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("order", "pk"))),
            )
        )
        .order_by("order", "pk")
    )


def response_answers(response: Response) -> dict[int, AnswerValue]:
    """Question id → the answer given, with its chosen options and ranks, in one query."""
    rows = (
        Answer.objects.filter(response=response)
        .order_by("pk", "choices__pk")
        .values_list(
            "response_id", "question_id", "text", "other_text", "choices__option_id", "choices__rank"
        )
    )
    return _answer_values(rows).get(response.pk, {})


def _answer_values(rows) -> dict:
    """Response id → question id → AnswerValue, from rows of (response, question, text, other text, option,
    rank), one row per chosen option."""
    values: dict = defaultdict(dict)
    for response_id, question_id, text, other_text, option_id, rank in rows:
        value = values[response_id].get(question_id)
        if value is None:
            value = values[response_id][question_id] = AnswerValue(text=text, other_text=other_text)
        if option_id is None:
            continue
        if rank is not None:
            value.ranks[option_id] = rank
        else:
            value.option_ids.append(option_id)
    return values


def participant_answers(participant) -> list[tuple[Response, list[tuple[Question, AnswerValue]]]]:
    """Every response of one person with its answers in the questionnaire's order: four queries, whatever
    the number of responses ("my data")."""
    responses = list(
        Response.objects.filter(participant=participant).select_related("consultation").order_by("created_at")
    )
    rows = (
        Answer.objects.filter(response__participant=participant)
        .order_by("pk", "choices__pk")
        .values_list(
            "response_id", "question_id", "text", "other_text", "choices__option_id", "choices__rank"
        )
    )
    values = _answer_values(rows)
    questions = (
        Question.objects.filter(pk__in={q for answers in values.values() for q in answers})
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("order", "pk")))
        .order_by("section__order", "section_id", "order", "pk")
    )
    ordered = list(questions)
    return [
        (response, [(q, values[response.pk][q.pk]) for q in ordered if q.pk in values.get(response.pk, {})])
        for response in responses
    ]


def answer_text(question: Question, value: AnswerValue | None) -> str:
    """A person's answer as people read it: the options' texts, a ranking in order, or what they wrote."""
    if value is None or value.is_empty:
        return _("Sin respuesta")
    options = {option.pk: option.text for option in question.options.all()}
    if question.kind == QuestionKind.RANKING:
        ordered = sorted(value.ranks.items(), key=lambda item: item[1])
        return " · ".join(f"{rank}. {options.get(option_id, '')}" for option_id, rank in ordered)
    if question.is_choice:
        chosen = [options.get(option_id, "") for option_id in value.option_ids]
        if value.other_text:
            chosen.append(f"{_('Otra')}: {value.other_text}")
        return ", ".join(chosen)
    return value.text


def resume_step(consultation: Consultation, response: Response | None) -> int | None:
    """The section a person's draft continues at (``answers.resume_step``); None: only the review is left."""
    if response is None:
        return 1
    sections = questionnaire(consultation)
    answers = response_answers(response)
    return answer_rules.resume_step(
        [list(section.questions.all()) for section in sections],
        chosen=answer_rules.chosen_options(answers.values()),
        answered=set(answers),
    )


def drafts_closing_soon(*, within_hours: int = 48) -> QuerySet[Response]:
    now = timezone.now()
    return (
        Response.objects.drafts()
        .filter(
            permissions.visible_q(permissions.ANONYMOUS, "consultation__"),
            reminded_at__isnull=True,
            participant__user__isnull=False,
            consultation__phase_override__in=["", Phase.OPEN],
            consultation__closes_at__gt=now,
            consultation__closes_at__lte=now + timedelta(hours=within_hours),
        )
        .select_related("consultation", "participant__user")
    )


def upcoming_dialogues() -> QuerySet[Dialogue]:
    return (
        Dialogue.objects.filter(permissions.visible_q(permissions.ANONYMOUS, "consultation__"))
        .filter(ends_at__gte=timezone.now())
        .select_related("consultation")
        .order_by("starts_at")
    )


def calendar_dialogues(*, since) -> QuerySet[Dialogue]:
    """The iCal feed: public dialogues that end after ``since`` (the past year and what is planned), the
    latest first, so that a cut keeps the planned ones."""
    return (
        Dialogue.objects.filter(permissions.visible_q(permissions.ANONYMOUS, "consultation__"))
        .filter(ends_at__gte=since)
        .select_related("consultation")
        .order_by("-starts_at", "-pk")
    )
