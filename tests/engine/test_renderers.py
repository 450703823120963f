"""CSV, XLSX and PDF renderers: formula injection neutralised, files open, accents and Kreyòl survive."""

import csv
import io
import shutil
import subprocess

import pytest
from django.utils import translation
from openpyxl import load_workbook

from engine.reports import Category, CountTable, ReportDocument, ReportSection, publish
from engine.reports.renderers import (
    neutralise,
    render_csv,
    render_pdf,
    render_pdf_html,
    render_xlsx,
    without_controls,
)

MALICIOUS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "\0cmd"]


def hostile_document() -> ReportDocument:
    table = CountTable(
        title="=cmd|' /C calc'!A0",
        rows=[Category(str(n), label) for n, label in enumerate(MALICIOUS)],
        columns=[Category("x", "-columna"), Category("y", "Región de Aysén")],
        counts=[[20 + n, 30 + n] for n in range(len(MALICIOUS))],
        row_heading="+encabezado",
    )
    return ReportDocument(
        title="@título",
        subtitle="participación",
        sections=[ReportSection(title="s", tables=[publish(table)])],
    )


@pytest.mark.parametrize("value", MALICIOUS)
def test_neutralise(value):
    assert neutralise(value).startswith("'" + value[0])
    assert neutralise("Perú") == "Perú" and neutralise(12) == 12 and neutralise(-3) == -3


def test_csv_cells_never_start_a_formula():
    rows = list(csv.reader(io.StringIO(render_csv(hostile_document()).decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row if cell]
    assert not [cell for cell in cells if cell[0] in "=+-@\t\r\0"]
    for value in MALICIOUS:
        # Control characters go first ("\rcmd" is plain "cmd"); what is left and looks like a formula is quoted.
        cleaned = without_controls(value)
        assert ("'" + cleaned if cleaned[0] in "=+-@\t" else cleaned) in cells
    assert "'=cmd|' /C calc'!A0" in cells
    assert "Región de Aysén" in cells  # accents intact (UTF-8 with BOM for spreadsheets)


def test_xlsx_opens_and_cells_are_text_not_formulas():
    workbook = load_workbook(io.BytesIO(render_xlsx(hostile_document())))
    assert len(workbook.sheetnames) == 2  # summary + one table
    values = [
        cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None
    ]
    assert not [cell for cell in values if cell.data_type == "f"]
    strings = [cell.value for cell in values if isinstance(cell.value, str)]
    assert not [text for text in strings if text[0] in "=+-@\t\r\0"]
    assert "'=cmd|' /C calc'!A0" in strings and "'@título" in strings
    numbers = [cell.value for cell in values if isinstance(cell.value, int)]
    assert 20 in numbers  # counts stay numbers


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return " ".join(result.stdout.decode("utf-8").split())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils' pdftotext is not installed")
def test_pdf_keeps_spanish_accents_and_kreyol(tmp_path):
    table = CountTable.one_way_table(
        title="Participación por región",
        rows=[Category("CL-AI", "Región de Aysén"), Category("CL-RM", "Región Metropolitana")],
        counts=[12, 40],
        row_heading="Región",
    )
    document = ReportDocument(
        title="Informe de participación",
        subtitle="Rapò sou Patisipasyon sitwayen yo",
        sections=[ReportSection(title="Participación ciudadana en Ñuble", tables=[publish(table)])],
    )
    with translation.override("es"):
        text = pdf_text(render_pdf(document), tmp_path)
    for expected in ("participación", "Región de Aysén", "Patisipasyon", "Ñuble", "Metodología", "Contenido"):
        assert expected in text
    assert "«< 5»" in text or "< 5" in text  # the methodology explains suppression


def test_pdf_chart_is_accessible_svg_with_the_same_numbers():
    table = CountTable.one_way_table(
        title="Participantes por región",
        rows=[Category("a", "Arica"), Category("b", "Biobío"), Category("c", "Coquimbo")],
        counts=[3, 4, 40],
    )
    html = render_pdf_html(
        ReportDocument(title="t", sections=[ReportSection(title="s", tables=[publish(table)])])
    )
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "<script" not in html
    # The hidden count has no bar, only its marker; the table beside the chart has the same numbers.
    assert svg.count("&lt; 5") == 2 and ">40<" in svg
    table_html = html[html.index("<table") :]
    assert table_html.count("&lt; 5</td>") == 2 and ">40<" in table_html and ">47<" in table_html
    assert ">3<" not in html and ">4<" not in html
