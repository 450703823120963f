"""Figures read one way: the reader's decimal separator on pages and in PDFs, Chile's time in every format,
the representativeness index explained (never a bare 0.00 when a group is missing), tagged PDFs without
near-empty pages, and charts whose text stays readable on a phone."""

import csv
import io
import shutil
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from engine.reports import Category, CountTable, ReportDocument, ReportSection, publish, representativeness
from engine.reports.charts import FONT_SIZE, WIDTH, bar_chart
from engine.reports.renderers import render_csv, render_pdf, render_pdf_html, render_xlsx
from engine.reports.tables import decimal_display, percent_display
from tests.engine.factories import ReferenceDistributionFactory, ReferenceShareFactory, participants
from tests.helpers import pdf_objects, pdf_page_texts

# 15:30 UTC on 3 December is 12:30 in Santiago (summer time, UTC-3).
GENERATED = datetime(2026, 12, 3, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "ratio", "share", "count"),
    [
        ("es", "0,13", "12,5 %", "12\xa0345"),
        ("ht", "0,13", "12,5 %", "12\xa0345"),
        ("en", "0.13", "12.5 %", "12,345"),
    ],
)
def test_one_decimal_separator_per_language(language, ratio, share, count):
    with translation.override(language):
        assert decimal_display(Decimal("0.13"), 2) == ratio
        assert percent_display(Decimal("12.5")) == share
        assert (
            publish(
                CountTable.one_way_table(title="t", rows=[Category("a", "a")], counts=[12345])
            ).total.display
            == count
        )
    assert decimal_display(None, 2) == "—"


@pytest.fixture
def reference(db):
    distribution = ReferenceDistributionFactory(attribute="nationality", excluded_categories="CL")
    for category, share in (("VE", "38"), ("PE", "13.6"), ("HT", "9.8"), ("*", "38.6")):
        ReferenceShareFactory(distribution=distribution, category=category, share=Decimal(share))
    return distribution


def test_a_group_nobody_came_from_is_named_instead_of_a_score_of_zero(reference):
    participants(40, nationality="VE")
    participants(20, nationality="PE")
    participants(10, nationality="AR")  # others
    result = representativeness(distribution=reference)
    rows = {row.category.code: row for row in result.rows}
    assert rows["HT"].ratio == 0  # nobody from Haiti took part
    assert result.score is None and result.score_display == "—"
    assert [category.code for category in result.absent] == ["HT"]
    assert "Haití" in result.note
    assert "1" in result.explanation  # what 1 means, in words


def test_representativeness_numbers_follow_the_language(reference):
    participants(60, nationality="VE")
    participants(20, nationality="HT")
    participants(10, nationality="PE")
    participants(10, nationality="AR")
    with translation.override("es"):
        result = representativeness(distribution=reference)
        rows = {row.category.code: row for row in result.rows}
        assert (rows["VE"].participant_share_display, rows["VE"].ratio_display) == ("60,0 %", "1,58")
        assert rows["VE"].reference_share_display == "38,0 %"
        assert result.score_display == "0,13"
    with translation.override("en"):
        assert rows["VE"].ratio_display == "1.58" and result.score_display == "0.13"


def document(sections: int = 1) -> ReportDocument:
    return ReportDocument(
        title="Informe",
        generated_at=GENERATED,
        sections=[
            ReportSection(
                title=f"¿Pregunta {n}?",
                tables=[
                    publish(
                        CountTable.one_way_table(
                            title=f"Pregunta {n}",
                            rows=[Category("a", "Sí"), Category("b", "No")],
                            counts=[30 + n, 20],
                        )
                    )
                ],
            )
            for n in range(sections)
        ],
    )


def test_spreadsheet_and_csv_give_chile_time():
    with translation.override("es"):
        text = render_csv(document()).decode("utf-8-sig")
        workbook = load_workbook(io.BytesIO(render_xlsx(document())))
    generated = next(line[0] for line in csv.reader(io.StringIO(text)) if line and "Generado" in line[0])
    assert "12:30" in generated and "15:30" not in generated
    cover = [row[0].value for row in workbook.worksheets[0].iter_rows() if row[0].value]
    assert any("12:30" in str(value) for value in cover)


def test_pdf_gives_chile_time():
    with translation.override("es"):
        html = render_pdf_html(document())
    assert "12:30" in html and "15:30" not in html


def test_pdf_is_tagged_and_declared_pdf_ua():
    with translation.override("ht"):
        content = render_pdf(document())
    objects = pdf_objects(content)
    assert b"/StructTreeRoot" in objects
    assert b"/Marked true" in objects
    assert b"pdfuaid:part" in objects
    assert b"/Lang (ht)" in objects


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils' pdftotext is not installed")
def test_short_sections_share_pages(tmp_path):
    with translation.override("es"):
        pages = pdf_page_texts(render_pdf(document(sections=8)), tmp_path)
    # Cover, contents with the methodology, then the eight short questions two or three to a page.
    assert len(pages) <= 6, [len(page) for page in pages]
    # Beyond the cover, no page is left nearly empty (the last may be short).
    assert all(len(page.strip()) > 300 for page in pages[1:-1]), [len(page) for page in pages]


def test_chart_text_is_phone_sized_and_long_labels_wrap():
    label = "Información en creole haitiano en todas las oficinas regionales del país"
    table = publish(CountTable.one_way_table(title="t", rows=[Category("a", label)], counts=[40]))
    chart = bar_chart(table)
    # Drawn 360 units wide with 14-unit text: at least 12 px on a 320 px wide column.
    assert WIDTH == 360 and FONT_SIZE * 320 / WIDTH >= 12
    (group,) = chart.groups
    assert len(group.lines) == 2
    assert " ".join(line.text for line in group.lines).replace("…", "") in label
    assert all(len(line.text) <= 40 for line in group.lines)
