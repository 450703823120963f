"""Accessible bar charts as plain SVG, drawn by a Django template from a published table.

Only published numbers are drawn: a hidden cell gets no bar, just its marker ("< 5" or "x"), so a bar's
length can never give away what the table hides. The template puts a title and a description in the SVG and
the same numbers as a table next to it, so screen readers and print both get everything.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from engine.reports.tables import PublishedCell, PublishedTable

# Colour-blind-safe and dark enough for white text and for 3:1 against white (WCAG 1.4.11).
PALETTE = ("#0f69b4", "#c0392b", "#2d7d32", "#6a1b9a", "#b35900", "#00758a", "#5d4037", "#455a64")
# Drawn for a phone: each label sits on its own line above its bars, so the chart is as wide as a 360 px
# screen and its 14-unit text stays at least 12 px tall there (pages and the PDF cap its width, see CSS).
WIDTH = 360
FONT_SIZE = 14
LINE_HEIGHT = 18
VALUE_SPACE = 64
BAR_SPACE = WIDTH - VALUE_SPACE
LABEL_CHARACTERS = 40
MAX_GROUPS = 30
MAX_BARS = 72


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    height: float
    colour: str
    value: str
    value_x: float
    text_y: float
    series: str


@dataclass(frozen=True)
class TextLine:
    text: str
    y: float


@dataclass(frozen=True)
class BarGroup:
    label: str
    lines: list[TextLine]
    bars: list[Bar]


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: str
    x: int
    y: int


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    width: int
    height: int
    font_size: int
    groups: list[BarGroup]
    legend: list[LegendItem]
    legend_height: int


def _wrap(text: str | Promise, limit: int = LABEL_CHARACTERS, lines: int = 2) -> list[str]:
    """At most ``lines`` lines of at most ``limit`` characters, cut at spaces; the table has the whole label."""
    words = str(text).split()
    wrapped: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= limit or not current:
            current = candidate
        else:
            wrapped.append(current)
            current = word
    wrapped.append(current)
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: limit - 1].rstrip() + "…"
    return [line if len(line) <= limit else line[: limit - 1] + "…" for line in wrapped]


def bar_chart(table: PublishedTable) -> BarChart:
    series: list[str] = (
        [str(table.columns[0].label)] if table.one_way else [str(c.label) for c in table.columns]
    )
    lines: list[tuple[str, list[PublishedCell]]] = [
        (str(row.label), cells) for row, cells in zip(table.rows, table.cells, strict=True)
    ]
    note = ""
    if not table.one_way and len(table.rows) * len(table.columns) > MAX_BARS:
        # Too many bars to read: chart the row totals and leave the detail to the table.
        series = [str(_("Total"))]
        lines = [(str(row.label), [total]) for row, total in zip(table.rows, table.row_totals, strict=True)]
        note = _("El gráfico muestra los totales de cada fila; el detalle está en la tabla.")
    if len(lines) > MAX_GROUPS:
        lines = lines[:MAX_GROUPS]
        note = _("El gráfico muestra las %(n)s primeras categorías; la tabla las tiene todas.") % {
            "n": MAX_GROUPS
        }

    shown = [cell.value for _label, cells in lines for cell in cells if cell.is_shown and cell.value]
    scale = BAR_SPACE / max(shown) if shown else 0
    bar_height = 16
    # One legend entry per line: long series names stay readable on a phone.
    legend = [
        LegendItem(_wrap(name, 36, 1)[0], PALETTE[index % len(PALETTE)], 0, 4 + LINE_HEIGHT * index)
        for index, name in enumerate(series)
        if len(series) > 1
    ]
    legend_height = LINE_HEIGHT * len(legend) + 8 if legend else 0
    y = float(legend_height)
    groups = []
    for label, cells in lines:
        text_lines = []
        for text in _wrap(label):
            y += LINE_HEIGHT
            text_lines.append(TextLine(text, y - 4))
        y += 2
        bars = []
        for index, cell in enumerate(cells):
            width = round(cell.value * scale, 1) if cell.is_shown and cell.value else 0
            bars.append(
                Bar(
                    y=y,
                    width=width,
                    height=bar_height,
                    colour=PALETTE[index % len(PALETTE)],
                    value=cell.display,
                    value_x=width + 4,
                    text_y=y + bar_height - 3,
                    series=series[index],
                )
            )
            y += bar_height + 2
        groups.append(BarGroup(label=label, lines=text_lines, bars=bars))
        y += 8
    description = _(
        "Gráfico de barras horizontales: %(title)s. Las celdas ocultas no tienen barra. "
        "Los mismos datos están en la tabla que acompaña al gráfico."
    ) % {"title": table.title}
    if note:
        description = f"{description} {note}"
    return BarChart(
        id=f"chart-{uuid.uuid4().hex[:10]}",
        title=str(table.title),
        description=description,
        width=WIDTH,
        height=int(y + 4),
        font_size=FONT_SIZE,
        groups=groups,
        legend=legend,
        legend_height=legend_height,
    )
