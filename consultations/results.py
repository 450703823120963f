"""Published results of a consultation: online, assisted and in-person input merged, every table suppressed.

Counting happens in SQL (values/annotate), never per answer. ``results_for_page`` is what the public results
page shows; ``published_results``, ``published_channel_totals``, ``participation_profile`` and
``consultation_representativeness`` are also the tables of the systematisation report (``reports.py``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.utils.formats import number_format
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
)
from consultations.selectors import questionnaire
from engine.models import ReferenceDistribution
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


def published_channel_totals(consultation: Consultation, *, user=None):
    """The participation per channel as a published (suppressed) one-way table."""

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


def published_results(consultation: Consultation, *, user=None) -> list[PublishedQuestion]:
    """Per choice question, option × channel counts and option × gender identity (online and assisted
    answers; dialogues report no individual attributes), both suppressed by the engine."""

    by_gender: dict[int, dict[str, int]] = {}
    results = consultation_results(consultation, gender_counts=by_gender)
    totals: dict[str, int] = defaultdict(int)
    for counts in by_gender.values():
        for code, n in counts.items():
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


def participation_profile(consultation: Consultation, *, user=None):
    """Who took part by gender identity and channel: responses' participants plus dialogue attendance."""

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


def results_for_page(consultation: Consultation) -> dict:
    """What the public results page shows: every table published (suppressed), so the same for everyone.

    Computing it reads every answer (seconds at 100,000 responses), so it is kept in the shared cache under
    what changes it: the questionnaire and results versions (``consultations/receivers.py``), the number of
    submitted responses and the last submission, and the language of its texts.
    """

    def compute() -> dict:
        return {
            "questions": published_results(consultation),
            "channels": published_channel_totals(consultation),
            "profile": participation_profile(consultation),
            "representativeness": consultation_representativeness(consultation),
        }

    if settings.RESULTS_CACHE_SECONDS <= 0:
        return compute()
    submitted = (
        Response.objects.submitted()
        .filter(consultation=consultation)
        .aggregate(n=Count("pk"), last=Max("submitted_at"))
    )
    last = submitted["last"].isoformat() if submitted["last"] else "-"
    key = ":".join(
        str(part)
        for part in (
            "consultation-results",
            consultation.pk,
            consultation.created_at.timestamp(),
            consultation.questionnaire_version,
            consultation.results_version,
            submitted["n"],
            last,
            get_language(),
        )
    )
    cached = cache.get_or_set(key, compute, settings.RESULTS_CACHE_SECONDS)
    # None when the cache is unreachable (a miss that could not be stored): compute for this reader.
    return cached if cached is not None else compute()
