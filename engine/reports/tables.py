"""Count tables before and after small-cell suppression.

A :class:`CountTable` holds true counts and never leaves the server; :func:`engine.reports.publish` turns it
into a :class:`PublishedTable`, the only thing templates, charts and renderers receive.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import cast

from django.db.models import Field
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from participants.choices import PREFER_NOT_TO_SAY
from participants.models import Participant

UNKNOWN = ""


@dataclass(frozen=True)
class Category:
    code: str
    label: str | Promise


@dataclass
class CountTable:
    """True counts: ``counts[i][j]`` people in row category ``i`` and column category ``j``.

    A one-way table has a single column whose heading is the unit ("Personas").
    """

    title: str | Promise
    rows: list[Category]
    columns: list[Category]
    counts: list[list[int]]
    row_heading: str | Promise = ""
    column_heading: str | Promise = ""
    row_attribute: str | None = None
    column_attribute: str | None = None
    # Forces the stricter threshold, e.g. for a consultation question about health.
    sensitive: bool = False
    one_way: bool = False

    def __post_init__(self) -> None:
        if len(self.counts) != len(self.rows) or any(len(line) != len(self.columns) for line in self.counts):
            raise ValueError("counts must have one line per row category and one value per column category")

    @property
    def row_totals(self) -> list[int]:
        return [sum(line) for line in self.counts]

    @property
    def column_totals(self) -> list[int]:
        return [sum(line[j] for line in self.counts) for j in range(len(self.columns))]

    @property
    def total(self) -> int:
        return sum(self.row_totals)

    def extended(self) -> list[list[int]]:
        """The counts with their margins: row totals as a last column, column totals as a last row."""
        rows = [[*line, sum(line)] for line in self.counts]
        rows.append([*self.column_totals, self.total])
        return rows

    @classmethod
    def one_way_table(
        cls,
        *,
        title: str | Promise,
        rows: list[Category],
        counts: list[int],
        row_heading: str | Promise = "",
        row_attribute: str | None = None,
        sensitive: bool = False,
        unit: str | Promise = "",
    ) -> CountTable:
        return cls(
            title=title,
            rows=rows,
            columns=[Category("n", unit or _("Personas"))],
            counts=[[n] for n in counts],
            row_heading=row_heading,
            row_attribute=row_attribute,
            sensitive=sensitive,
            one_way=True,
        )


def decimal_display(value, places: int) -> str:
    """A decimal with the reader's decimal separator ("0,13" in Spanish and Kreyòl, "0.13" in English), or a
    dash when there is none."""
    return "—" if value is None else number_format(value, places, force_grouping=True)


def percent_display(value, places: int = 1) -> str:
    return "—" if value is None else f"{decimal_display(value, places)} %"


# --- Published tables ---------------------------------------------------------------------------------

SHOWN = "shown"
SMALL = "small"  # primary suppression: 1 <= n < k
HIDDEN = "hidden"  # secondary suppression: hidden so that a small cell cannot be deduced


@dataclass(frozen=True)
class PublishedCell:
    value: int | None
    status: str = SHOWN
    k: int = 0

    @property
    def is_shown(self) -> bool:
        return self.status == SHOWN

    @property
    def display(self) -> str:
        if self.status == SMALL:
            return f"< {self.k}"
        if self.status == HIDDEN:
            return "x"
        return number_format(cast(int, self.value), force_grouping=True)  # shown cells have a value

    @property
    def export_value(self) -> int | str:
        """Numbers stay numbers in CSV and spreadsheets; hidden cells become their marker."""
        return cast(int, self.value) if self.status == SHOWN else self.display

    def __str__(self) -> str:
        return self.display


@dataclass(frozen=True)
class PublishedRow:
    category: Category
    cells: list[PublishedCell]
    total: PublishedCell


@dataclass(frozen=True)
class PublishedTable:
    title: str | Promise
    rows: list[Category]
    columns: list[Category]
    cells: list[list[PublishedCell]]
    row_totals: list[PublishedCell]
    column_totals: list[PublishedCell]
    total: PublishedCell
    k: int
    row_heading: str | Promise = ""
    column_heading: str | Promise = ""
    one_way: bool = False
    sensitive: bool = False
    raw: bool = False
    attributes: tuple[str, ...] = field(default=())

    def __iter__(self) -> Iterator[PublishedRow]:
        for category, cells, total in zip(self.rows, self.cells, self.row_totals, strict=True):
            yield PublishedRow(category, cells, total)

    @property
    def hidden_count(self) -> int:
        entries = [
            *(c for line in self.cells for c in line),
            *self.row_totals,
            *self.column_totals,
            self.total,
        ]
        return sum(1 for cell in entries if not cell.is_shown)

    @property
    def note(self) -> str:
        """The one-line methodology note printed under every table."""
        if self.raw:
            return str(_("Recuentos sin supresión de celdas pequeñas: solo para uso interno, no publicar."))
        return str(
            _(
                "Para proteger la identidad de las personas, los valores entre 1 y %(max)s se muestran como "
                "«< %(k)s» y los marcados «x» se ocultan para que no se puedan deducir de los totales."
            )
            % {"max": self.k - 1, "k": self.k}
        )


# --- Categories of participant attributes --------------------------------------------------------------


def category_codes(attribute: str) -> set[str] | None:
    """Valid codes of an attribute, or None when any value is acceptable."""
    if attribute == "nationality":
        return {code for code, _name in countries}
    field = cast(Field, Participant._meta.get_field(attribute))
    if field.choices:
        return {str(value) for value, _label in field.flatchoices}
    return None


def category_label(attribute: str, code: str | None) -> str | Promise:
    if code is None or code == UNKNOWN:
        return _("Sin dato")
    if attribute == "nationality":
        return countries.name(code) or code
    labels = dict(cast(Field, Participant._meta.get_field(attribute)).flatchoices)
    return labels.get(code, code)


def ordered_categories(attribute: str, totals: dict[str, int]) -> list[Category]:
    """Every choice of a short list, in its own order (zeros are information too); countries by size.

    Codes found in the data but missing from the choices still get a row, so no count is ever dropped.
    """
    if attribute == "nationality":
        declined = {"ZZ", UNKNOWN}
        present = sorted(
            (code for code in totals if code not in declined),
            key=lambda code: (-totals[code], str(category_label(attribute, code))),
        )
        codes = [*present, *(code for code in ("ZZ", UNKNOWN) if totals.get(code))]
    else:
        codes = [
            str(value) for value, _label in cast(Field, Participant._meta.get_field(attribute)).flatchoices
        ]
        extra = sorted(code for code in totals if code not in codes and code != UNKNOWN)
        if PREFER_NOT_TO_SAY in codes:
            codes.remove(PREFER_NOT_TO_SAY)
            codes = [*codes, *extra, PREFER_NOT_TO_SAY]
        else:
            codes = [*codes, *extra]
        if totals.get(UNKNOWN):
            codes.append(UNKNOWN)
    return [Category(code, category_label(attribute, code)) for code in codes]
