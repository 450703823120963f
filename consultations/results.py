"""Published results of a consultation: online, assisted and in-person input merged, every table suppressed.

Counting happens in SQL (values/annotate), never per answer. ``results_for_page`` is what the public results
page shows; ``published_results``, ``published_channel_totals``, ``participation_profile`` and
``consultation_representativeness`` are also the tables of the systematisation report (``reports.py``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from consultations.models import (
    Answer,
    AnswerOption,
    Channel,
    Consultation,
    DialogueAttendance,
    DialogueOptionCount,
    DialogueSynthesis,
    ModerationStatus,
    Option,
    Question,
    QuestionKind,
    Response,
    ResultsSnapshot,
)
from consultations.selectors import questionnaire
from engine.models import ReferenceDistribution
from engine.queue import enqueue
from engine.reports import publish, representativeness
from engine.reports.tables import (
    SHOWN,
    SMALL,
    Category,
    CountTable,
    PublishedCell,
    PublishedTable,
    ordered_categories,
)

# The report kind's slug: public downloads are the finished jobs of this kind (``reports.py`` registers it).
CONSULTATION_RESULTS = "consultation-results"


@dataclass
class OptionResult:
    option: Option
    by_channel: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_channel.values())


@dataclass
class QuestionResult:
    question: Question
    options: list[OptionResult] = field(default_factory=list)
    respondents_by_channel: dict[str, int] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    syntheses: list[DialogueSynthesis] = field(default_factory=list)
    other_count: int = 0

    @property
    def respondents(self) -> int:
        return sum(self.respondents_by_channel.values())

    def rows(self) -> list[dict]:
        """Counts and percentages per option; the denominator is who answered the question."""
        total = self.respondents or 1
        return [
            {
                "option": r.option,
                "total": r.total,
                "percent": round(100 * r.total / total, 1),
                "by_channel": r.by_channel,
            }
            for r in self.options
        ]


CHANNEL_ORDER = [Channel.ONLINE, Channel.ASSISTED_PAPER, Channel.ASSISTED_PHONE, Channel.IN_PERSON]


GENDER = "answer__response__participant__gender_identity"


def consultation_results(
    consultation: Consultation, *, gender_counts: dict[int, dict[str, int]] | None = None
) -> list[QuestionResult]:
    """Online, assisted and in-person input merged in one dataset, with a breakdown by channel.

    A fixed number of queries: one per kind of count, whatever the number of responses or questions.
    Given ``gender_counts`` (option id → gender identity → n), the same pass over the answers fills it too,
    so the published results read the biggest table once.
    """
    sections = questionnaire(consultation)
    results: dict[int, QuestionResult] = {}
    option_results: dict[int, OptionResult] = {}
    for section in sections:
        for question in section.questions.all():
            result = QuestionResult(question=question)
            for option in question.options.all():
                option_result = OptionResult(option=option)
                result.options.append(option_result)
                option_results[option.pk] = option_result
            results[question.pk] = result

    submitted = Q(
        answer__response__consultation=consultation, answer__response__status=Response.Status.SUBMITTED
    )
    # Ranking questions count first places; the other choice questions count every choice.
    keys = ["option_id", "answer__response__channel"] + ([GENDER] if gender_counts is not None else [])
    choice_rows = (
        AnswerOption.objects.filter(submitted)
        .filter(Q(rank__isnull=True) | Q(rank=1))
        .values(*keys)
        .annotate(n=Count("id"))
    )
    for row in choice_rows:
        by_channel = option_results[row["option_id"]].by_channel
        channel = row["answer__response__channel"]
        by_channel[channel] = by_channel.get(channel, 0) + row["n"]
        if gender_counts is not None:
            genders = gender_counts.setdefault(row["option_id"], {})
            gender = row[GENDER] or ""
            genders[gender] = genders.get(gender, 0) + row["n"]

    respondent_rows = (
        Answer.objects.filter(response__consultation=consultation, response__status=Response.Status.SUBMITTED)
        .values("question_id", "response__channel")
        .annotate(n=Count("id"), others=Count("id", filter=~Q(other_text="")))
    )
    for row in respondent_rows:
        result = results[row["question_id"]]
        result.respondents_by_channel[row["response__channel"]] = row["n"]
        result.other_count += row["others"]

    dialogue_rows = (
        DialogueOptionCount.objects.filter(dialogue__consultation=consultation)
        .values("option_id", "option__question_id")
        .annotate(n=Sum("count"))
    )
    in_person_respondents: dict[int, int] = defaultdict(int)
    for row in dialogue_rows:
        option_results[row["option_id"]].by_channel[Channel.IN_PERSON] = row["n"]
        question = results[row["option__question_id"]].question
        # For one-answer questions every count is a person; for several answers the largest count is a floor.
        if question.kind in (QuestionKind.SINGLE, QuestionKind.SCALE, QuestionKind.RANKING):
            in_person_respondents[question.pk] += row["n"]
        else:
            in_person_respondents[question.pk] = max(in_person_respondents[question.pk], row["n"])
    for question_id, n in in_person_respondents.items():
        results[question_id].respondents_by_channel[Channel.IN_PERSON] = n

    texts = (
        Answer.objects.filter(
            response__consultation=consultation,
            response__status=Response.Status.SUBMITTED,
            moderation=ModerationStatus.APPROVED,
        )
        .exclude(published_text="")
        .values_list("question_id", "published_text")
        .order_by("pk")
    )
    for question_id, text in texts:
        results[question_id].texts.append(text)
    for synthesis in DialogueSynthesis.objects.filter(dialogue__consultation=consultation).select_related(
        "dialogue"
    ):
        results[synthesis.question_id].syntheses.append(synthesis)
    return [results[q.pk] for s in sections for q in s.questions.all()]


@dataclass
class ResultsCounts:
    """Everything the published results count, in no language: read once, published in each."""

    results: list[QuestionResult]
    by_gender: dict[int, dict[str, int]]
    channel_totals: dict[str, int]
    profile: dict[str, list[int]]


def results_counts(consultation: Consultation) -> ResultsCounts:
    by_gender: dict[int, dict[str, int]] = {}
    results = consultation_results(consultation, gender_counts=by_gender)
    return ResultsCounts(
        results=results,
        by_gender=by_gender,
        channel_totals=_channel_totals(consultation),
        profile=_profile_counts(consultation),
    )


def _channel_totals(consultation: Consultation) -> dict[str, int]:
    totals = dict(
        Response.objects.submitted()
        .filter(consultation=consultation)
        .values_list("channel")
        .annotate(n=Count("id"))
    )
    attendance = DialogueAttendance.objects.filter(
        dialogue__consultation=consultation, attribute="total"
    ).aggregate(n=Sum("count"))["n"]
    totals[Channel.IN_PERSON] = attendance or 0
    return totals


def published_channel_totals(consultation: Consultation, *, user=None, counts: ResultsCounts | None = None):
    """The participation per channel as a published (suppressed) one-way table."""
    totals = counts.channel_totals if counts is not None else _channel_totals(consultation)
    return publish(
        CountTable.one_way_table(
            title=_("Participación por canal"),
            rows=[Category(channel, Channel(channel).label) for channel in CHANNEL_ORDER],
            counts=[totals.get(channel, 0) for channel in CHANNEL_ORDER],
            row_heading=_("Canal"),
            unit=_("Personas"),
        ),
        user=user,
    )


# --- Published results: every table goes through the engine's small-cell suppression -----------------

CHANNEL_COLUMNS = [
    ("online", (Channel.ONLINE,)),
    ("assisted", (Channel.ASSISTED_PAPER, Channel.ASSISTED_PHONE)),
    ("in_person", (Channel.IN_PERSON,)),
]


def _channel_categories():

    labels = {"online": _("En línea"), "assisted": _("Asistidas"), "in_person": _("Diálogos presenciales")}
    return [Category(code, labels[code]) for code, _channels in CHANNEL_COLUMNS]


def _by_column(by_channel: dict[str, int]) -> list[int]:
    return [sum(by_channel.get(channel, 0) for channel in channels) for _code, channels in CHANNEL_COLUMNS]


@dataclass
class PublishedQuestion:
    result: QuestionResult
    table: PublishedTable | None = None
    by_gender: PublishedTable | None = None

    def _small(self, n: int) -> str:
        k = self.table.k if self.table is not None else 5
        return PublishedCell(value=n, status=SMALL if 1 <= n < k else SHOWN, k=k).display

    @property
    def respondents_display(self) -> str:
        """For one-answer questions the respondents are the table's total, so they share its suppression."""
        if self.table is not None and self.result.question.kind in (QuestionKind.SINGLE, QuestionKind.SCALE):
            return self.table.total.display
        return self._small(self.result.respondents)

    @property
    def other_display(self) -> str:
        return self._small(self.result.other_count)

    @property
    def percentages(self) -> list[tuple[str, str]]:
        """Share of the people who answered, per option: shown only where the option's total and the number of
        respondents are both published, since a percentage of a hidden count would give it back."""
        if self.table is None:
            return []
        respondents_shown = not self.respondents_display.startswith("<") and self.respondents_display != "x"
        shares = []
        for row, cell in zip(self.result.rows(), self.table.row_totals, strict=True):
            shown = respondents_shown and cell.is_shown
            shares.append((row["option"].text, f"{number_format(row['percent'], 1)} %" if shown else "—"))
        return shares


def published_results(
    consultation: Consultation, *, user=None, counts: ResultsCounts | None = None
) -> list[PublishedQuestion]:
    """Per choice question, option × channel counts and option × gender identity (online and assisted
    answers; dialogues report no individual attributes), both suppressed by the engine."""

    if counts is None:
        by_gender: dict[int, dict[str, int]] = {}
        results = consultation_results(consultation, gender_counts=by_gender)
    else:
        results, by_gender = counts.results, counts.by_gender
    totals: dict[str, int] = defaultdict(int)
    for per_gender in by_gender.values():
        for code, n in per_gender.items():
            totals[code] += n
    genders = ordered_categories("gender_identity", dict(totals))
    published = []
    for result in results:
        item = PublishedQuestion(result=result)
        if result.question.is_choice and result.options:
            rows = [Category(str(r.option.pk), r.option.text) for r in result.options]
            item.table = publish(
                CountTable(
                    title=result.question.text,
                    rows=rows,
                    columns=_channel_categories(),
                    counts=[_by_column(r.by_channel) for r in result.options],
                    row_heading=_("Opción"),
                    column_heading=_("Canal"),
                ),
                user=user,
            )
            item.by_gender = publish(
                CountTable(
                    title=_("%(question)s, según identidad de género") % {"question": result.question.text},
                    rows=rows,
                    columns=genders,
                    counts=[
                        [by_gender.get(r.option.pk, {}).get(g.code, 0) for g in genders]
                        for r in result.options
                    ],
                    row_heading=_("Opción"),
                    column_heading=_("Identidad de género"),
                    column_attribute="gender_identity",
                ),
                user=user,
            )
        published.append(item)
    return published


def _profile_counts(consultation: Consultation) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    rows = (
        Response.objects.submitted()
        .filter(consultation=consultation)
        .values("participant__gender_identity", "channel")
        .annotate(n=Count("id"))
    )
    for row in rows:
        code = row["participant__gender_identity"] or ""
        for index, (_code, channels) in enumerate(CHANNEL_COLUMNS):
            if row["channel"] in channels:
                counts[code][index] += row["n"]
    attendance = (
        DialogueAttendance.objects.filter(dialogue__consultation=consultation, attribute="gender_identity")
        .values("category")
        .annotate(n=Sum("count"))
    )
    for row in attendance:
        counts[row["category"]][2] += row["n"]
    return dict(counts)


def participation_profile(consultation: Consultation, *, user=None, counts: ResultsCounts | None = None):
    """Who took part by gender identity and channel: responses' participants plus dialogue attendance."""
    counts_by_gender = counts.profile if counts is not None else _profile_counts(consultation)
    return _published_profile(counts_by_gender, user=user)


def _published_profile(counts: dict[str, list[int]], *, user=None):
    genders = ordered_categories("gender_identity", {code: sum(line) for code, line in counts.items()})
    return publish(
        CountTable(
            title=_("Participación según identidad de género y canal"),
            rows=genders,
            columns=_channel_categories(),
            counts=[counts.get(g.code, [0, 0, 0]) for g in genders],
            row_heading=_("Identidad de género"),
            column_heading=_("Canal"),
            row_attribute="gender_identity",
        ),
        user=user,
    )


def consultation_representativeness(consultation: Consultation, *, user=None):
    """Respondents' nationalities against the latest reference distribution, when staff entered one."""

    distribution = ReferenceDistribution.objects.filter(attribute="nationality").order_by("-year").first()
    if distribution is None:
        return None
    return representativeness(
        distribution=distribution,
        queryset=Response.objects.submitted().filter(consultation=consultation),
        participant_path="participant",
        user=user,
    )


# --- The results page: computed on write, read from the last copy -------------------------------------


def results_page_html(consultation: Consultation, *, counts: ResultsCounts | None = None) -> str:
    """The results part of the page, in the active language."""
    counts = counts if counts is not None else results_counts(consultation)
    context = {
        "questions": published_results(consultation, counts=counts),
        "channels": published_channel_totals(consultation, counts=counts),
        "profile": participation_profile(consultation, counts=counts),
        "representativeness": consultation_representativeness(consultation),
    }
    return render_to_string("consultations/_results.html", context)


def results_page_languages(consultation: Consultation) -> dict[str, str]:
    """The results part of the page in every language, from one reading of the answers."""
    counts = results_counts(consultation)
    pages = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            pages[code] = results_page_html(consultation, counts=counts)
    return pages


@dataclass(frozen=True)
class ResultsCopy:
    html: str
    computed_at: datetime | None  # None: computed for this reader (a preview, or the cache is off)
    # Computed from the consultation's current counters: a page showing it may be shared as it is (an older
    # copy is shown while the next one is computed, but only to this reader).
    current: bool = True


def _copy_key(pk: int, created_at: datetime, questionnaire_version: int, results_version: int, language: str):
    stamp = created_at.timestamp()
    return f"consultation-results:{pk}:{stamp}:{questionnaire_version}:{results_version}:{language}"


def _scheduled_key(pk: int) -> str:
    return f"consultation-results:scheduled:{pk}"


def _lock_key(pk: int) -> str:
    return f"consultation-results:computing:{pk}"


def _again_key(pk: int) -> str:
    return f"consultation-results:again:{pk}"


def results_for_reader(consultation: Consultation) -> ResultsCopy | None:
    """The last computed results page in the reader's language, at once; None while a first copy is being
    computed. Nothing here counts or waits: the copy is made by ``results_refresh`` (Celery) after each change,
    and a reader who finds no copy, or one older than the consultation's counters, only asks for one.

    Readers share the copy through the cache under the consultation's counters (the view loaded them with the
    consultation), and read it from the database when the cache is empty or Redis is down.
    """
    if settings.RESULTS_CACHE_SECONDS <= 0 or not consultation.results_are_public:
        # Off, or a staff preview before publication: computed for this reader, never shared.
        return ResultsCopy(html=mark_safe(results_page_html(consultation)), computed_at=None)  # noqa: S308  (our template's output)
    language = get_language()
    key = _copy_key(
        consultation.pk,
        consultation.created_at,
        consultation.questionnaire_version,
        consultation.results_version,
        language,
    )
    cached = cache.get(key)
    if cached is not None:
        html, computed_at = cached
        return ResultsCopy(html=mark_safe(html), computed_at=computed_at)  # noqa: S308  (our template's output)
    snapshot = ResultsSnapshot.objects.filter(consultation=consultation, language=language).first()
    current = snapshot is not None and (snapshot.questionnaire_version, snapshot.results_version) == (
        consultation.questionnaire_version,
        consultation.results_version,
    )
    if (
        not current
        and results_refresh_schedule(consultation_id=consultation.pk, delay=0 if snapshot is None else None)
        and current_app.conf.task_always_eager
    ):
        # Without a worker the task ran in this process (development, tests): the new copy exists now.
        snapshot = ResultsSnapshot.objects.filter(consultation=consultation, language=language).first()
        current = snapshot is not None and (snapshot.questionnaire_version, snapshot.results_version) == (
            consultation.questionnaire_version,
            consultation.results_version,
        )
    if snapshot is None:
        return None
    if current:
        cache.add(key, (snapshot.html, snapshot.computed_at), settings.RESULTS_CACHE_SECONDS)
    return ResultsCopy(html=mark_safe(snapshot.html), computed_at=snapshot.computed_at, current=current)  # noqa: S308  (our template's output)


def results_refresh_schedule(*, consultation_id: int, delay: float | None = None) -> bool:
    """Ask for the results to be computed again, after the caller's commit, at most once per
    ``RESULTS_REFRESH_SECONDS`` per consultation: changes during that window are all in the next copy.
    Returns whether a computation was asked for (False: one is already waiting)."""
    delay = settings.RESULTS_REFRESH_SECONDS if delay is None else delay
    # Redis down: ``add`` succeeds, so every change asks (the broker is probably down as well: the beat
    # sweep, ``results_refresh_sweep``, catches up).
    if not cache.add(_scheduled_key(consultation_id), 1, delay + settings.RESULTS_LOCK_SECONDS):
        return False
    from consultations.tasks import results_refresh_task  # noqa: PLC0415  (tasks imports this module)

    def send() -> None:
        enqueue(results_refresh_task, consultation_id, countdown=delay)

    if results_refresh_task.app.conf.task_always_eager:
        # No worker (development without Redis, tests): computed right here, in the caller's transaction, so
        # it counts what the caller wrote, and a rollback takes the copy back with it.
        send()
    else:
        transaction.on_commit(send)
    return True


def results_refresh(*, consultation_id: int) -> bool:
    """Compute the results page of one consultation in every language and keep it for the readers.

    Single flight: while one process computes, another run only leaves word to compute again once it is done
    (Redis down: the lock cannot be taken or checked, so it computes; two runs write the same copy). Returns
    whether this run computed."""
    if not cache.add(_lock_key(consultation_id), 1, settings.RESULTS_LOCK_SECONDS):
        cache.set(_again_key(consultation_id), 1, settings.RESULTS_LOCK_SECONDS)
        return False
    try:
        # Changes from now on ask for a new run: this one may already have read past them.
        cache.delete(_scheduled_key(consultation_id))
        consultation = Consultation.objects.filter(pk=consultation_id).first()
        if consultation is None:
            return False
        computed_at = timezone.now()
        pages = results_page_languages(consultation)
        stamp = (consultation.questionnaire_version, consultation.results_version)
        versions = {"questionnaire_version": stamp[0], "results_version": stamp[1]}
        with transaction.atomic():
            for language, html in pages.items():
                ResultsSnapshot.objects.update_or_create(
                    consultation=consultation,
                    language=language,
                    defaults={"html": html, "computed_at": computed_at, **versions},
                )
        if settings.RESULTS_CACHE_SECONDS > 0:
            cache.set_many(
                {
                    _copy_key(consultation.pk, consultation.created_at, *stamp, language): (
                        html,
                        computed_at,
                    )
                    for language, html in pages.items()
                },
                settings.RESULTS_CACHE_SECONDS,
            )
    finally:
        cache.delete(_lock_key(consultation_id))
    if cache.get(_again_key(consultation_id)) is not None:
        cache.delete(_again_key(consultation_id))
        results_refresh_schedule(consultation_id=consultation_id, delay=0)
    return True


def results_refresh_sweep() -> int:
    """Beat: ask again for the copies a lost task left behind (broker or Redis down): public results with
    no copy, a copy older than the counters, or a response submitted after it was computed."""
    newer_response = Response.objects.submitted().filter(
        consultation=OuterRef("consultation"), submitted_at__gt=OuterRef("computed_at")
    )
    stale = ResultsSnapshot.objects.filter(
        Q(questionnaire_version__lt=F("consultation__questionnaire_version"))
        | Q(results_version__lt=F("consultation__results_version"))
        | Exists(newer_response)
    ).values("consultation_id")
    pending = Consultation.objects.with_public_results().filter(
        ~Exists(ResultsSnapshot.objects.filter(consultation=OuterRef("pk"))) | Q(pk__in=stale)
    )
    asked = 0
    for pk in pending.values_list("pk", flat=True):
        asked += results_refresh_schedule(consultation_id=pk)
    return asked
