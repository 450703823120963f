"""Small-cell suppression: no published value from 1 to k-1, and no hidden value recoverable from totals.

The recoverability check is independent of the algorithm: it solves the table's linear system (every row and
column adds up to its total) over the rationals and asks, for each hidden entry, whether the published
entries pin it down.
"""

from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.reports import Category, CountTable, publish, suppression_pattern
from engine.reports.tables import HIDDEN, SHOWN, SMALL
from tests.helpers import grant


def grid_of(counts: list[list[int]]) -> list[list[int]]:
    table = CountTable(
        title="t",
        rows=[Category(str(i), str(i)) for i in range(len(counts))],
        columns=[Category(str(j), str(j)) for j in range(len(counts[0]))],
        counts=counts,
    )
    return table.extended()


def _rank(matrix: list[list[Fraction]]) -> int:
    rows = [list(row) for row in matrix]
    rank = 0
    width = len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][column] != 0:
                factor = rows[i][column] / rows[rank][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


def recoverable(grid: list[list[int]], pattern: list[list[str]]) -> list[tuple[int, int]]:
    """Hidden entries whose value follows exactly from the published ones and the additivity equations."""
    n_rows, n_cols = len(grid), len(grid[0])
    unknowns = [(i, j) for i in range(n_rows) for j in range(n_cols) if pattern[i][j] != SHOWN]
    if not unknowns:
        return []
    index = {entry: n for n, entry in enumerate(unknowns)}
    equations = []
    for i in range(n_rows):  # cells of a row minus its total = 0
        equations.append([Fraction(0)] * len(unknowns))
        for j in range(n_cols):
            if (i, j) in index:
                equations[-1][index[i, j]] += -1 if j == n_cols - 1 else 1
    for j in range(n_cols):
        equations.append([Fraction(0)] * len(unknowns))
        for i in range(n_rows):
            if (i, j) in index:
                equations[-1][index[i, j]] += -1 if i == n_rows - 1 else 1
    full = _rank(equations)
    found = []
    for entry, column in index.items():
        # Determined iff its column is independent of the others (no kernel vector moves it).
        without = [row[:column] + row[column + 1 :] for row in equations]
        if _rank(without) == full - 1:
            found.append(entry)
    return found


def assert_safe(grid: list[list[int]], pattern: list[list[str]], k: int) -> None:
    for i, line in enumerate(grid):
        for j, value in enumerate(line):
            if pattern[i][j] == SHOWN:
                assert not 1 <= value < k, f"published small value {value} at {(i, j)}"
            if 1 <= value < k:
                assert pattern[i][j] == SMALL
    assert recoverable(grid, pattern) == []
    # The rule of thumb statistical offices use holds too: no row or column hides exactly one entry.
    lines = [list(line) for line in pattern] + [list(column) for column in zip(*pattern, strict=True)]
    for line in lines:
        assert sum(1 for status in line if status != SHOWN) != 1


counts_strategy = st.integers(min_value=1, max_value=6).flatmap(
    lambda n_cols: st.lists(
        st.lists(
            st.one_of(st.just(0), st.integers(1, 12), st.integers(13, 400)),
            min_size=n_cols,
            max_size=n_cols,
        ),
        min_size=1,
        max_size=6,
    )
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts=counts_strategy, k=st.sampled_from([5, 10]))
def test_random_tables_are_safe(counts, k):
    grid = grid_of(counts)
    assert_safe(grid, suppression_pattern(grid, k), k)


@settings(max_examples=100, deadline=None)
@given(counts=counts_strategy)
def test_published_tables_show_true_values_or_nothing(counts):
    table = CountTable(
        title="t",
        rows=[Category(str(i), str(i)) for i in range(len(counts))],
        columns=[Category(str(j), str(j)) for j in range(len(counts[0]))],
        counts=counts,
    )
    published = publish(table)
    grid = table.extended()
    entries = [[*line, total] for line, total in zip(published.cells, published.row_totals, strict=True)]
    entries.append([*published.column_totals, published.total])
    for true_line, line in zip(grid, entries, strict=True):
        for true_value, cell in zip(true_line, line, strict=True):
            assert cell.value == (true_value if cell.is_shown else None)


def test_the_checker_does_detect_recoverable_cells():
    grid = grid_of([[3, 40], [50, 60]])
    naive = [[SMALL, SHOWN, SHOWN], [SHOWN, SHOWN, SHOWN], [SHOWN, SHOWN, SHOWN]]
    assert recoverable(grid, naive) == [(0, 0)]


def test_bridge_between_two_safe_blocks_is_closed():
    # Two blocks of small cells joined through one shared line: pairing lines alone leaves a bridge.
    grid = grid_of([[2, 2, 90, 90], [2, 2, 90, 90], [90, 90, 2, 2], [90, 90, 2, 2]])
    pattern = suppression_pattern(grid, 5)
    assert_safe(grid, pattern, 5)


def test_small_margin_is_hidden_and_protected():
    # A whole row of 1 person: its total (1) is small too, and the grand total would give it away.
    grid = grid_of([[1, 0, 0], [30, 40, 50], [20, 25, 35]])
    pattern = suppression_pattern(grid, 5)
    assert pattern[0][3] == SMALL
    assert_safe(grid, pattern, 5)


def test_tiny_table_hides_everything_that_could_identify():
    grid = grid_of([[1, 1], [1, 0]])
    pattern = suppression_pattern(grid, 5)
    assert_safe(grid, pattern, 5)
    assert pattern[-1][-1] == SMALL  # even the grand total of 3


def test_secondary_suppression_hides_the_smallest_nonzero():
    grid = grid_of([[3, 100, 20, 0], [200, 300, 400, 500]])
    pattern = suppression_pattern(grid, 5)
    assert pattern[0][0] == SMALL
    assert pattern[0][2] == HIDDEN  # 20, not 100, and never the zero
    assert pattern[0][3] == SHOWN


# --- publish() ------------------------------------------------------------------------------------


def make_table(**options) -> CountTable:
    return CountTable(
        title="Participantes",
        rows=[Category("a", "A"), Category("b", "B")],
        columns=[Category("x", "X"), Category("y", "Y")],
        counts=[[3, 40], [50, 60]],
        **options,
    )


def test_publish_marks_cells_and_shows_markers(settings):
    published = publish(make_table())
    assert published.k == 5
    first = published.cells[0]
    assert first[0].display == "< 5" and first[0].value is None
    assert "x" in {cell.display for line in published.cells for cell in line} | {
        cell.display for cell in published.row_totals + published.column_totals
    }
    assert "«< 5»" in published.note


def test_sensitive_attribute_raises_the_threshold():
    assert publish(make_table(column_attribute="gender_identity")).k == 10
    assert publish(make_table(row_attribute="region")).k == 5
    assert publish(make_table(sensitive=True)).k == 10


def test_thresholds_come_from_settings(settings):
    settings.ENGINE_SUPPRESSION_K = 3
    published = publish(make_table())
    assert published.cells[0][0].display == "3"


@pytest.mark.django_db
def test_raw_counts_need_the_dedicated_permission(staff_member):
    with pytest.raises(PermissionDenied):
        publish(make_table(), raw=True)
    with pytest.raises(PermissionDenied):
        publish(make_table(), user=staff_member, raw=True)
    grant(staff_member, "view_raw_counts")
    raw = publish(make_table(), user=staff_member, raw=True)
    assert raw.cells[0][0].value == 3 and raw.raw
    assert "uso interno" in raw.note


def test_templates_refuse_unpublished_tables():
    template = Template("{% load engine_reports %}{% report_table table %}")
    with pytest.raises(TypeError, match="published"):
        template.render(Context({"table": make_table()}))
    html = template.render(Context({"table": publish(make_table())}))
    assert "&lt; 5" in html and ">3<" not in html
