"""CSV, XLSX and PDF from one ReportDocument. Every renderer only sees published (suppressed) tables."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from engine.pdf import html_to_pdf
from engine.reports.charts import bar_chart
from engine.reports.document import ReportDocument
from engine.reports.selectors import Representativeness
from engine.reports.tables import PublishedTable

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise(value):
    """Text that a spreadsheet would read as a formula gets a leading apostrophe; numbers stay numbers.
    Leading spaces do not hide a formula (some spreadsheets trim them when importing a CSV)."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def without_controls(text: str) -> str:
    """NUL and the other C0 controls but tab and newline: XLSX refuses them and they break CSV readers."""
    return "".join(ch for ch in text if ch in "\t\n" or ord(ch) >= 32)


def cell_value(value) -> object:
    """What a renderer writes in a cell: numbers as numbers, anything else as text without control characters,
    then neutralised. In that order: neutralising first let "\x01=1+1" through as "=1+1"."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        return value
    return neutralise(without_controls(str(value)))


@dataclass(frozen=True)
class Sheet:
    title: str
    lines: list[list[object]]
    header_rows: tuple[int, ...]


def _table_lines(table: PublishedTable) -> Sheet:
    lines: list[list[object]] = [[table.title]]
    headers = []
    if not table.one_way and table.column_heading:
        lines.append(["", capfirst(str(table.column_heading))])
        headers.append(len(lines) - 1)
    columns = [column.label for column in table.columns]
    lines.append([capfirst(str(table.row_heading)), *columns, *([] if table.one_way else [_("Total")])])
    headers.append(len(lines) - 1)
    for row in table:
        lines.append(
            [
                row.category.label,
                *(cell.export_value for cell in row.cells),
                *([] if table.one_way else [row.total.export_value]),
            ]
        )
    lines.append(
        [
            _("Total"),
            *(cell.export_value for cell in table.column_totals),
            *([] if table.one_way else [table.total.export_value]),
        ]
    )
    lines.append([table.note])
    return Sheet(str(table.title), lines, tuple(headers))


def _representativeness_lines(item: Representativeness) -> Sheet:
    lines: list[list[object]] = [
        [item.title],
        [
            capfirst(str(item.table.row_heading)),
            _("Participantes"),
            _("% entre participantes"),
            _("% en la referencia"),
            _("Razón"),
        ],
    ]
    for row in item.rows:
        lines.append(
            [
                row.category.label,
                row.count.export_value,
                float(row.participant_share) if row.participant_share is not None else "—",
                float(row.reference_share),
                float(row.ratio) if row.ratio is not None else "—",
            ]
        )
    lines.append([_("Total"), item.table.total.export_value])
    lines.append(
        [_("Índice global de representatividad"), float(item.score) if item.score is not None else "—"]
    )
    lines.append([item.explanation])
    lines.append([item.note])
    lines.append([item.table.note])
    return Sheet(item.title, lines, (1,))


def _cover_lines(document: ReportDocument) -> list[list[object]]:
    lines: list[list[object]] = [[document.title]]
    if document.subtitle:
        lines.append([document.subtitle])
    lines.append([_("Servicio Nacional de Migraciones — Participación ciudadana")])
    lines.append(
        [
            _("Generado el %(date)s")
            % {"date": formats.date_format(localtime(document.generated_at), "DATETIME_FORMAT")}
        ]
    )
    lines.append([])
    lines.append([_("Metodología")])
    lines.extend([paragraph] for paragraph in document.methodology())
    return lines


def _sheets(document: ReportDocument) -> Iterator[Sheet]:
    for section in document.sections:
        for table in section.tables:
            yield _table_lines(table)
        for item in section.representativeness:
            yield _representativeness_lines(item)


def render_csv(document: ReportDocument) -> bytes:
    """One CSV with every table one after another; UTF-8 with BOM so spreadsheets keep the accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in _cover_lines(document):
        writer.writerow([cell_value(value) for value in line])
    for sheet in _sheets(document):
        writer.writerow([])
        for line in sheet.lines:
            writer.writerow([cell_value(value) for value in line])
    return buffer.getvalue().encode("utf-8-sig")


def _sheet_title(title: str, used: set[str]) -> str:
    # Excel: at most 31 characters on one line, none of []:*?/\ and unique in the workbook.
    text = without_controls(str(title))
    cleaned = "".join(" " if ch in "[]:*?/\\\t\n" else ch for ch in text).strip("' ") or "Tabla"
    candidate = cleaned[:31]
    number = 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate = cleaned[: 31 - len(suffix)] + suffix
        number += 1
    used.add(candidate.lower())
    return candidate


def render_xlsx(document: ReportDocument) -> bytes:
    # Heavy: openpyxl adds 0.1-0.4 s and ~5 MB to every process importing this module (django.setup() does).
    from openpyxl import Workbook  # noqa: PLC0415  (heavy: loaded on the first spreadsheet)
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415  (heavy: loaded on the first spreadsheet)

    workbook = Workbook()
    cover = workbook.active
    used: set[str] = set()
    cover.title = _sheet_title(_("Resumen"), used)
    for line in _cover_lines(document):
        cover.append([cell_value(value) for value in line])
    cover["A1"].font = Font(bold=True, size=14)
    cover.column_dimensions["A"].width = 110
    for row in cover.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    for sheet in _sheets(document):
        worksheet = workbook.create_sheet(_sheet_title(sheet.title, used))
        for line in sheet.lines:
            worksheet.append([cell_value(value) for value in line])
        worksheet["A1"].font = Font(bold=True, size=12)
        for index in sheet.header_rows:
            for cell in worksheet[index + 1]:
                cell.font = Font(bold=True)
        worksheet.column_dimensions["A"].width = 44
        worksheet.freeze_panes = worksheet.cell(row=max(sheet.header_rows) + 2, column=2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_pdf_html(document: ReportDocument) -> str:
    sections = []
    for number, section in enumerate(document.sections, start=1):
        figures = [{"table": table, "chart": bar_chart(table)} for table in section.tables]
        sections.append({"number": number, "section": section, "figures": figures})
    return render_to_string(
        "engine/report_pdf.html",
        {
            "document": document,
            "sections": sections,
            "methodology": document.methodology(),
            "LANGUAGE_CODE": translation.get_language(),
        },
    )


def render_pdf(document: ReportDocument) -> bytes:
    return html_to_pdf(render_pdf_html(document))


RENDERERS = {
    "csv": (render_csv, "text/csv; charset=utf-8"),
    "xlsx": (render_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": (render_pdf, "application/pdf"),
}


def render(document: ReportDocument, format: str) -> tuple[bytes, str]:
    renderer, content_type = RENDERERS[format]
    return renderer(document), content_type
