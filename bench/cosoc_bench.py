"""COSOC bench (issue 15): the public council, the sessions list, a session page and the agreements tracker with
``BENCH_COSOC_SESSIONS`` (200) synthetic sessions and ``BENCH_COSOC_AGREEMENTS`` (1,000) agreements, against the
bare view, anonymous (through the page cache, and with a cookie that bypasses it) and signed in as the demo
councillor (no page cache).

1. In a child process (``bench/cosoc_measures.py``): each page's queries with the demo data only, then the
   synthetic sessions and agreements are inserted and the queries counted again: budget ≤ 1 (constant).
2. Under the bench's gunicorn, round-robin with the bare view. Budgets (DESIGN.md §7): anonymous pages served
   from the page cache ≥ 0.50 of the bare view; first renders (a cookie) and the member's pages ≥ 0.25.

The synthetic rows and the member's bench session are deleted afterwards.
"""

from __future__ import annotations

import os

from common import BARE_VIEW, Budget, Row, Section, log, measured_row, run_child, signed_in_cookies
from load import Target

TITLE_PREFIX = "bench-cosoc-"
PAGES = {
    "council": "/cosoc/",
    "sessions": "/cosoc/sesiones/",
    "agreements": "/cosoc/acuerdos/",
}
CACHED_BUDGET, RENDER_BUDGET = 0.50, 0.25
# A visitor the page cache does not serve: a flash message waits for this browser (as in the search bench). A
# forged session id no longer does it: the page cache takes a session that names nothing as no session.
NO_PAGE_CACHE = {"messages": "bench-pending-message"}


def cosoc_sections() -> list[Section]:
    sessions = int(os.environ.get("BENCH_COSOC_SESSIONS", "200"))
    agreements = int(os.environ.get("BENCH_COSOC_AGREEMENTS", "1000"))
    if not (1 <= sessions <= 10_000 and 1 <= agreements <= 100_000):
        log(
            "bench setup failed: BENCH_COSOC_SESSIONS within 1..10000, BENCH_COSOC_AGREEMENTS within 1..100000"
        )
        raise SystemExit(2)
    title = f"cosoc: {sessions:,} sessions, {agreements:,} agreements"

    def section(bench) -> list:
        data = run_child(bench, "cosoc_measures", "setup")
        try:
            for name, (before, after) in data["queries"].items():
                log(f"  queries, {name}: {before} with the demo data, {after} with the synthetic rows")
            pages = {**PAGES, "session": data["session_path"]}
            measured = _targets(pages, data["member_session"])
            measurements = bench.load([BARE_VIEW, *(target for target, _budget in measured)])
            baseline = measurements[BARE_VIEW].requests_per_second
            rows = [measured_row(title, f"{BARE_VIEW} (baseline)", measurements[BARE_VIEW], baseline)]
            rows += [
                measured_row(
                    title, target.label, measurements[target.label], baseline, budget and Budget(budget)
                )
                for target, budget in measured
            ]
            rows.append(_query_row(title, data["queries"]))
            return rows
        finally:
            run_child(bench, "cosoc_measures", "cleanup", data["member_session"])

    return [Section(title, section)]


def _targets(pages: dict[str, str], member_session: str) -> list[tuple[Target, float | None]]:
    """Each page as each kind of reader, and a page with no data behind it under the same conditions (what the
    page chrome alone costs without the page cache)."""
    member = signed_in_cookies(member_session)
    targets: list[tuple[Target, float | None]] = [
        (
            Target("/informacion/ anonymous, no page cache (reference page)", "/informacion/", NO_PAGE_CACHE),
            None,
        ),
        (Target("/informacion/ signed in as a member (reference page)", "/informacion/", member), None),
    ]
    for path in pages.values():
        targets.append((Target(f"{path} anonymous", path), CACHED_BUDGET))
        targets.append((Target(f"{path} anonymous, no page cache", path, NO_PAGE_CACHE), RENDER_BUDGET))
        targets.append((Target(f"{path} signed in as a member", path, member), RENDER_BUDGET))
    return targets


def _query_row(title: str, queries: dict) -> Row:
    before = sum(counts[0] for counts in queries.values())
    after = sum(counts[1] for counts in queries.values())
    return Row(
        section=title,
        target="queries of the rendered pages, synthetic rows over demo data",
        requests_per_second=None,
        p50_ms=0.0,
        p99_ms=0.0,
        errors=0,
        requests=0,
        rounds=(float(before), float(after)),
        ratio=after / before if before else None,
        budget=Budget(1.0, at_least=False),
    )
