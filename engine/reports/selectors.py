"""Reads that feed reports: disaggregation and representativeness, aggregated in SQL; the published files."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.db.models import Count, Field, QuerySet
from django.utils.functional import Promise
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from engine.models import (
    DISAGGREGATION_ATTRIBUTES,
    OTHER_CATEGORY,
    ReferenceDistribution,
    ReportFormat,
    ReportJob,
)
from engine.reports.suppression import publish
from engine.reports.tables import (
    UNKNOWN,
    Category,
    CountTable,
    PublishedCell,
    PublishedTable,
    category_label,
    decimal_display,
    ordered_categories,
    percent_display,
)
from participants.choices import PREFER_NOT_TO_SAY
from participants.models import Participant


def _participant_queryset(queryset: QuerySet | None, participant_path: str | None) -> tuple[QuerySet, str]:
    if queryset is None:
        return Participant.objects.all(), ""
    if participant_path is None:
        participant_path = "" if queryset.model is Participant else "participant"
    return queryset, participant_path


def _check_attribute(attribute: str) -> None:
    if attribute not in DISAGGREGATION_ATTRIBUTES:
        raise ValueError(f"{attribute!r} cannot be disaggregated; choose one of {DISAGGREGATION_ATTRIBUTES}")


def attribute_label(attribute: str) -> str | Promise:
    return cast(Field, Participant._meta.get_field(attribute)).verbose_name


def disaggregate(
    queryset: QuerySet | None = None,
    *,
    rows: str,
    columns: str | None = None,
    participant_path: str | None = None,
    distinct: bool = False,
    title: str | Promise = "",
    sensitive: bool = False,
) -> CountTable:
    """Count ``queryset`` (participants by default) by one attribute or a pair, in one GROUP BY query.

    ``queryset`` may be anything with a path to a participant — responses, questions, attendances; the path
    defaults to ``participant`` (``participant_path=""`` for participants themselves). ``distinct=True``
    counts people rather than rows (a person who answered twice counts once).
    """
    _check_attribute(rows)
    if columns is not None:
        _check_attribute(columns)
        if columns == rows:
            raise ValueError("rows and columns must be different attributes")
    queryset, path = _participant_queryset(queryset, participant_path)
    prefix = f"{path}__" if path else ""
    keys = [f"{prefix}{rows}"] + ([f"{prefix}{columns}"] if columns else [])
    counter = Count(path or "pk", distinct=True) if distinct else Count("pk")
    groups = list(queryset.order_by().values(*keys).annotate(n=counter).values_list(*keys, "n"))

    def code(value) -> str:
        return UNKNOWN if value is None else str(value)

    counts: dict[tuple[str, str], int] = {}
    row_totals: dict[str, int] = {}
    column_totals: dict[str, int] = {}
    for group in groups:
        row_code = code(group[0])
        column_code = code(group[1]) if columns else "n"
        n = group[-1]
        counts[row_code, column_code] = counts.get((row_code, column_code), 0) + n
        row_totals[row_code] = row_totals.get(row_code, 0) + n
        column_totals[column_code] = column_totals.get(column_code, 0) + n

    row_categories = ordered_categories(rows, row_totals)
    if columns is None:
        return CountTable.one_way_table(
            title=title or _("Participantes por %(attribute)s") % {"attribute": attribute_label(rows)},
            rows=row_categories,
            counts=[counts.get((category.code, "n"), 0) for category in row_categories],
            row_heading=attribute_label(rows),
            row_attribute=rows,
            sensitive=sensitive,
        )
    column_categories = ordered_categories(columns, column_totals)
    return CountTable(
        title=title
        or _("Participantes por %(rows)s y %(columns)s")
        % {"rows": attribute_label(rows), "columns": attribute_label(columns)},
        rows=row_categories,
        columns=column_categories,
        counts=[[counts.get((r.code, c.code), 0) for c in column_categories] for r in row_categories],
        row_heading=attribute_label(rows),
        column_heading=attribute_label(columns),
        row_attribute=rows,
        column_attribute=columns,
        sensitive=sensitive,
    )


def publish_disaggregation(
    queryset: QuerySet | None = None,
    *,
    rows: str,
    columns: str | None = None,
    user=None,
    raw=False,
    **options,
) -> PublishedTable:
    """``disaggregate`` and ``publish`` in one call, for mechanism views and report builders."""
    return publish(disaggregate(queryset, rows=rows, columns=columns, **options), user=user, raw=raw)


# --- Representativeness -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RepresentativenessRow:
    category: Category
    count: PublishedCell
    participant_share: Decimal | None
    reference_share: Decimal
    ratio: Decimal | None

    @property
    def participant_share_display(self) -> str:
        return percent_display(self.participant_share)

    @property
    def reference_share_display(self) -> str:
        return percent_display(self.reference_share)

    @property
    def ratio_display(self) -> str:
        return decimal_display(self.ratio, 2)


@dataclass(frozen=True)
class Representativeness:
    distribution: ReferenceDistribution
    table: PublishedTable
    rows: list[RepresentativenessRow]
    score: Decimal | None
    score_is_partial: bool
    # Categories of the reference population in which nobody took part: the score is not computed then.
    absent: tuple[Category, ...] = ()

    @property
    def title(self) -> str:
        return str(self.table.title)

    @property
    def score_display(self) -> str:
        return decimal_display(self.score, 2)

    @property
    def explanation(self) -> str:
        """What the numbers mean, in plain words, for the page and every export."""
        return str(
            _(
                "La razón compara la presencia de cada grupo entre quienes participaron con su presencia en la "
                "población: 1 es la misma proporción; menos de 1, el grupo participó menos de lo que le "
                "correspondería; más de 1, más. El índice global divide la razón más baja por la más alta: 1 "
                "quiere decir que todos los grupos participaron en proporción a su tamaño."
            )
        )

    @property
    def note(self) -> str:
        text: str | Promise = _(
            "Razón = porcentaje entre participantes ÷ porcentaje en la población de referencia (1 = igual "
            "presencia). Índice global = razón más baja ÷ razón más alta (1 = participación proporcional)."
        )
        parts = [str(text)]
        if self.absent:
            parts.append(
                _("No se calcula el índice global porque nadie participó en: %(categories)s.")
                % {"categories": ", ".join(str(category.label) for category in self.absent)}
            )
        if self.score_is_partial:
            parts.append(str(_("El índice omite las categorías ocultas para proteger a las personas.")))
        return " ".join(parts)


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def representativeness(
    *,
    distribution: ReferenceDistribution,
    queryset: QuerySet | None = None,
    participant_path: str | None = None,
    distinct: bool = False,
    user=None,
    raw: bool = False,
) -> Representativeness:
    """Participants' share of each reference category against the reference share, their ratio and one
    score (lowest ratio / highest ratio). People who declined or gave no answer are left out of the shares.

    Counts go through the same suppression as every table; a hidden count hides its share and ratio too,
    since share × total would give it back.
    """
    attribute = distribution.attribute
    shares = {share.category: share.share for share in distribution.shares.all()}
    table = disaggregate(
        queryset,
        rows=attribute,
        participant_path=participant_path,
        distinct=distinct,
        title=_("Representatividad según %(name)s") % {"name": distribution},
    )
    declined = {UNKNOWN, PREFER_NOT_TO_SAY, "ZZ"} | distribution.excluded
    reference_counts: dict[str, int] = dict.fromkeys(shares, 0)
    for category, line in zip(table.rows, table.counts, strict=True):
        if category.code in declined:
            continue
        target = category.code if category.code in shares else OTHER_CATEGORY
        if target in reference_counts:
            reference_counts[target] += line[0]
    categories = [
        Category(code, _("Otras") if code == OTHER_CATEGORY else category_label(attribute, code))
        for code in sorted(shares, key=lambda code: (code == OTHER_CATEGORY, -shares[code], code))
    ]
    comparison = CountTable.one_way_table(
        title=table.title,
        rows=categories,
        counts=[reference_counts[category.code] for category in categories],
        row_heading=attribute_label(attribute),
        row_attribute=attribute,
    )
    published = publish(comparison, user=user, raw=raw)
    total = published.total
    rows: list[RepresentativenessRow] = []
    for category, (cell,) in zip(published.rows, published.cells, strict=True):
        reference_share = shares[category.code]
        participant_share = ratio = None
        if cell.is_shown and total.is_shown and total.value:
            count = cast(int, cell.value)  # a shown cell has its value
            participant_share = _percent(count, total.value)
            if reference_share:
                ratio = (Decimal(count) * 100 / total.value / reference_share).quantize(Decimal("0.01"))
        rows.append(RepresentativenessRow(category, cell, participant_share, reference_share, ratio))
    ratios = [row.ratio for row in rows if row.ratio is not None]
    # A group of the population with nobody taking part makes the score 0 whatever the others do: say so
    # instead of printing a bare 0.
    absent = tuple(row.category for row in rows if row.ratio == 0 and row.reference_share)
    score = None
    if ratios and max(ratios) > 0 and not absent:
        score = (min(ratios) / max(ratios)).quantize(Decimal("0.01"))
    partial = any(row.ratio is None and row.reference_share for row in rows)
    return Representativeness(distribution, published, rows, score, partial, absent)


# --- Published report files ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedReportFile:
    """A report file staff published: its language and format (the public page builds the link)."""

    language: str
    format: str

    @property
    def language_name(self) -> str:
        return str(get_language_info(self.language)["name_local"])

    @property
    def format_name(self) -> str:
        return self.format.upper()


def _language_order(language: str) -> list[str]:
    """The reader's language, then the default one, then the rest in the portal's order."""
    codes = [code for code, _name in settings.LANGUAGES]
    return list(dict.fromkeys([language, settings.LANGUAGE_CODE, *codes]))


def published_report_files(kind: str, *, language: str, **parameters) -> list[PublishedReportFile]:
    """Every published file of a report, the reader's ``language`` first, then by format (PDF, XLSX, CSV).

    One query, whatever the number of files.
    """
    formats = list(ReportFormat.values)
    languages = _language_order(language)
    files = {
        PublishedReportFile(language=code, format=fmt)
        for code, fmt in ReportJob.objects.published(kind, **parameters).values_list("language", "format")
    }

    def order(item: PublishedReportFile) -> tuple[int, int]:
        return (
            languages.index(item.language) if item.language in languages else len(languages),
            formats.index(item.format) if item.format in formats else len(formats),
        )

    return sorted(files, key=order)


def published_report_job(kind: str, *, format: str, language: str, **parameters) -> ReportJob | None:
    """The published job the public downloads in ``format``: in the reader's ``language`` when staff
    published one, else the default language's, else any. Its file is loaded with it."""
    candidates = dict(
        ReportJob.objects.published(kind, **parameters).filter(format=format).values_list("language", "pk")
    )
    for code in [*_language_order(language), *candidates]:
        if code in candidates:
            return ReportJob.objects.select_related("file").filter(pk=candidates[code]).first()
    return None
