"""Issue 11, item 10: no text in a CSV or XLSX export runs as a spreadsheet formula, whatever control characters
or spaces come before it. Control characters are stripped first, then the text is neutralised: the other order
turned "\\x01=1+1" into "=1+1"."""

import csv
import io

from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from engine.reports import Category, CountTable, ReportDocument, ReportSection, publish
from engine.reports.renderers import FORMULA_TRIGGERS, cell_value, render_csv, render_xlsx, without_controls

CONTROLS = "".join(chr(code) for code in range(32) if chr(code) not in "\t\n")
# Text made mostly of what matters here: triggers, controls, spaces, and some ordinary letters.
texts = (
    st.text(alphabet=st.sampled_from([*"=+-@ \t\n\r", *CONTROLS[:6], *"aZ1(;)é"]), max_size=12) | st.text()
)


def runs_as_formula(cell: str) -> bool:
    return cell.lstrip(" ").startswith(FORMULA_TRIGGERS)


@given(texts)
@example("\x01=1+1")
@example("\x00@SUM(A1)")
@example("\x1f\x02+cmd")
@example("  =HYPERLINK(1)")
@example("\r-2+3")
def test_no_cell_runs_as_a_formula(text):
    cell = cell_value(text)
    assert not runs_as_formula(cell)
    assert not any(ch in CONTROLS for ch in cell)


@given(texts)
def test_cells_change_only_what_they_must(text):
    cleaned = without_controls(text)
    cell = cell_value(text)
    # Either the cleaned text itself, or the cleaned text behind one apostrophe: nothing is lost or reordered.
    assert cell == cleaned or (cell == "'" + cleaned and runs_as_formula(cleaned))


@given(st.integers() | st.floats(allow_nan=False))
def test_numbers_stay_numbers(number):
    assert cell_value(number) == number


def document(labels: list[str]) -> ReportDocument:
    table = CountTable(
        title=labels[0],
        rows=[Category(str(n), label) for n, label in enumerate(labels)],
        columns=[Category("x", labels[-1])],
        counts=[[20 + n] for n in range(len(labels))],
        row_heading=labels[0],
    )
    return ReportDocument(title=labels[-1], sections=[ReportSection(title="s", tables=[publish(table)])])


labels = st.lists(texts, min_size=1, max_size=4, unique=True)


@settings(max_examples=40, deadline=None)
@given(labels)
def test_csv_exports_hold_no_formula(values):
    rows = csv.reader(io.StringIO(render_csv(document(values)).decode("utf-8-sig"), newline=""))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if runs_as_formula(cell)]
    assert not [cell for cell in cells if any(ch in CONTROLS for ch in cell)]


@settings(max_examples=25, deadline=None)
@given(labels)
def test_xlsx_exports_open_and_hold_no_formula(values):
    workbook = load_workbook(io.BytesIO(render_xlsx(document(values))))
    cells = [
        cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None
    ]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert not [cell.value for cell in cells if isinstance(cell.value, str) and runs_as_formula(cell.value)]
