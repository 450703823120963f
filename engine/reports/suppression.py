"""Small-cell suppression: the one helper every published table, chart and export goes through.

Primary suppression hides every entry (cell or margin) with 1 <= n < k. Secondary suppression then hides
more entries until no hidden value can be computed exactly from what is published.

Why the fixed point below is enough: write the table with its margins as an (R+1) x (C+1) grid. Each row
and each column of that grid is one linear equation (cells add up to their total). Flipping the sign of the
margin entries turns the system into the incidence matrix of a bipartite graph — grid rows on one side,
grid columns on the other, one edge per hidden entry. A hidden entry is determined by the published ones
exactly when its edge lies on no cycle, i.e. when it is a *bridge*. So we (1) give every line holding a
hidden entry a second one, and (2) close a cycle through any remaining bridge by hiding one more entry that
joins both sides, repeating until neither applies. Every step hides the smallest non-zero entry available,
so as little as possible is lost.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied

from engine.models import is_sensitive
from engine.permissions import may_see_raw_counts
from engine.reports.tables import HIDDEN, SHOWN, SMALL, CountTable, PublishedCell, PublishedTable

Entry = tuple[int, int]


def threshold(*, sensitive: bool) -> int:
    return settings.ENGINE_SUPPRESSION_K_SENSITIVE if sensitive else settings.ENGINE_SUPPRESSION_K


def is_sensitive_table(table: CountTable) -> bool:
    return table.sensitive or is_sensitive(table.row_attribute) or is_sensitive(table.column_attribute)


def table_threshold(table: CountTable) -> int:
    return threshold(sensitive=is_sensitive_table(table))


def suppression_pattern(grid: Sequence[Sequence[int]], k: int) -> list[list[str]]:
    """SHOWN, SMALL or HIDDEN for every entry of ``grid``, a table whose last row and column are its totals."""
    n_rows, n_cols = len(grid), len(grid[0])
    small = {(i, j) for i in range(n_rows) for j in range(n_cols) if 1 <= grid[i][j] < k}
    hidden = set(small)
    while True:
        _pair_lonely_entries(grid, hidden)
        bridge = _find_bridge(hidden, n_rows, n_cols)
        if bridge is None:
            break
        hidden.add(_entry_closing_cycle(grid, hidden, bridge))
    return [
        [SMALL if (i, j) in small else HIDDEN if (i, j) in hidden else SHOWN for j in range(n_cols)]
        for i in range(n_rows)
    ]


def _cheapest(grid: Sequence[Sequence[int]], candidates: list[Entry]) -> Entry:
    """The entry whose loss costs least: non-zero first (a hidden zero protects nothing), then the smallest,
    then an inner cell rather than a margin."""
    last_row, last_col = len(grid) - 1, len(grid[0]) - 1

    def cost(entry: Entry) -> tuple:
        i, j = entry
        value = grid[i][j]
        return (value == 0, value, i == last_row or j == last_col, i, j)

    return min(candidates, key=cost)


def _pair_lonely_entries(grid: Sequence[Sequence[int]], hidden: set[Entry]) -> None:
    """Until no line (row or column of the grid with margins) holds exactly one hidden entry."""
    n_rows, n_cols = len(grid), len(grid[0])
    lines = [[(i, j) for j in range(n_cols)] for i in range(n_rows)]
    lines += [[(i, j) for i in range(n_rows)] for j in range(n_cols)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(1 for entry in line if entry in hidden) == 1:
                hidden.add(_cheapest(grid, [entry for entry in line if entry not in hidden]))
                changed = True


def _find_bridge(hidden: set[Entry], n_rows: int, n_cols: int) -> Entry | None:
    """A hidden entry lying on no cycle of the row/column graph (Tarjan's bridges, iteratively)."""
    # Nodes 0..n_rows-1 are grid rows, n_rows.. are grid columns.
    adjacency: dict[int, list[tuple[int, Entry]]] = {}
    for i, j in hidden:
        adjacency.setdefault(i, []).append((n_rows + j, (i, j)))
        adjacency.setdefault(n_rows + j, []).append((i, (i, j)))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    counter = 0
    for root in sorted(adjacency):
        if root in order:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack: list[tuple[int, Entry | None, int]] = [(root, None, 0)]
        while stack:
            node, via, index = stack[-1]
            neighbours = adjacency[node]
            if index < len(neighbours):
                stack[-1] = (node, via, index + 1)
                neighbour, entry = neighbours[index]
                if entry == via:
                    continue
                if neighbour in order:
                    low[node] = min(low[node], order[neighbour])
                else:
                    order[neighbour] = low[neighbour] = counter
                    counter += 1
                    stack.append((neighbour, entry, 0))
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        return via
    return None


def _entry_closing_cycle(grid: Sequence[Sequence[int]], hidden: set[Entry], bridge: Entry) -> Entry:
    """A published entry joining the two sides of ``bridge``, which then lies on a cycle."""
    n_rows, n_cols = len(grid), len(grid[0])
    adjacency: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for i, j in hidden - {bridge}:
        adjacency.setdefault(("r", i), []).append(("c", j))
        adjacency.setdefault(("c", j), []).append(("r", i))

    def component(start: tuple[str, int]) -> set[tuple[str, int]]:
        seen = {start}
        frontier = [start]
        while frontier:
            for neighbour in adjacency.get(frontier.pop(), []):
                if neighbour not in seen:
                    seen.add(neighbour)
                    frontier.append(neighbour)
        return seen

    # Removing a bridge splits its component in two halves; an entry joining them closes a cycle.
    row_side, column_side = component(("r", bridge[0])), component(("c", bridge[1]))
    candidates = [
        (i, j)
        for i in range(n_rows)
        for j in range(n_cols)
        if (i, j) not in hidden
        and (
            (("r", i) in row_side and ("c", j) in column_side)
            or (("r", i) in column_side and ("c", j) in row_side)
        )
    ]
    return _cheapest(grid, candidates)


def publish(table: CountTable, *, user=None, raw: bool = False) -> PublishedTable:
    """The table as it may be shown: suppressed, or raw for staff holding ``engine.view_raw_counts``."""
    k = table_threshold(table)
    grid = table.extended()
    if raw:
        if not may_see_raw_counts(user):
            raise PermissionDenied("Raw counts need the engine.view_raw_counts permission.")
        pattern = [[SHOWN] * len(line) for line in grid]
    else:
        pattern = suppression_pattern(grid, k)

    def cell(i: int, j: int) -> PublishedCell:
        status = pattern[i][j]
        return PublishedCell(value=grid[i][j] if status == SHOWN else None, status=status, k=k)

    n_rows, n_cols = len(table.rows), len(table.columns)
    return PublishedTable(
        title=table.title,
        rows=list(table.rows),
        columns=list(table.columns),
        cells=[[cell(i, j) for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[cell(i, n_cols) for i in range(n_rows)],
        column_totals=[cell(n_rows, j) for j in range(n_cols)],
        total=cell(n_rows, n_cols),
        k=k,
        row_heading=table.row_heading,
        column_heading=table.column_heading,
        one_way=table.one_way,
        sensitive=is_sensitive_table(table),
        raw=raw,
        attributes=tuple(a for a in (table.row_attribute, table.column_attribute) if a),
    )
