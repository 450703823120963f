"""Relevant-information bench (issue 14): ``/informacion/``, a publication page and ``/buscar/?q=…`` with
``BENCH_PUBLICATIONS`` (5,000) publications × 3 languages, against the bare view, in one run.

1. In a child process (``bench/transparency_measures.py``): each page's queries with the demo register only,
   then the publications are inserted (every type, topics, texts in es/ht/en, one in five about migration; a
   budget with 20 rows, 20 versions and 20 attachments for the measured detail page), the index rebuilt
   (timed) and the queries counted again: the ratio is after over before, budget ≤ 1 (constant).
2. Under the bench's gunicorn, round-robin with the bare view, each page as an anonymous visitor whose cookie
   bypasses the page cache (every request renders) and as a signed-in reader. Budgets (DESIGN.md §7): first
   renders and signed-in pages ≥ 0.25 of the bare view.

What the setup made is deleted afterwards.
"""

from __future__ import annotations

import os

from common import BARE_VIEW, Budget, Row, Section, log, measured_row, run_child, signed_in_cookies
from load import Target

SLUG_PREFIX = "bench-pub-"
READER_EMAIL = "lectora@bench-transparency.invalid"
DETAIL_SLUG = f"{SLUG_PREFIX}presupuesto"
PAGES = {
    "list": "/informacion/",
    "list, filtered, page 3": "/informacion/?tipo=budget&pagina=3",
    "detail": f"/informacion/{DETAIL_SLUG}/",
    "search": "/buscar/?q=migracion",
}
BUDGET = 0.25
# A visitor the page cache does not serve: a flash message waits for this browser (as in the search bench). A
# forged session id no longer does it: the page cache takes a session that names nothing as no session.
NO_PAGE_CACHE = {"messages": "bench-pending-message"}


def transparency_sections() -> list[Section]:
    count = int(os.environ.get("BENCH_PUBLICATIONS", "5000"))
    if not 1 <= count <= 100_000:
        log("bench setup failed: BENCH_PUBLICATIONS must be within 1..100000")
        raise SystemExit(2)
    title = f"relevant information: list, detail, search with {count:,} publications x 3 languages"

    def section(bench) -> list:
        data = run_child(bench, "transparency_measures", "setup")
        try:
            log(f"  {data['publications']:,} publications; index rebuilt in {data['rebuild_seconds']:.1f} s")
            for name, (before, after) in data["queries"].items():
                log(f"  queries, {name}: {before} with the demo data, {after} with {count:,} publications")
            signed_in = signed_in_cookies(data["session"])
            targets = []
            for name, path in PAGES.items():
                targets.append(Target(f"{name} {path} anonymous, no page cache", path, NO_PAGE_CACHE))
                targets.append(Target(f"{name} {path} signed in", path, signed_in))
            measurements = bench.load([BARE_VIEW, *targets])
            baseline = measurements[BARE_VIEW].requests_per_second
            rows = [measured_row(title, f"{BARE_VIEW} (baseline)", measurements[BARE_VIEW], baseline)]
            rows += [
                measured_row(title, target.label, measurements[target.label], baseline, Budget(BUDGET))
                for target in targets
            ]
            rows.append(_query_row(title, data["queries"]))
            return rows
        finally:
            run_child(bench, "transparency_measures", "cleanup", data["session"])

    return [Section(title, section)]


def _query_row(title: str, queries: dict) -> Row:
    before = sum(counts[0] for counts in queries.values())
    after = sum(counts[1] for counts in queries.values())
    return Row(
        section=title,
        target="queries of the rendered pages, publications over demo data",
        requests_per_second=None,
        p50_ms=0.0,
        p99_ms=0.0,
        errors=0,
        requests=0,
        rounds=(float(before), float(after)),
        ratio=after / before if before else None,
        budget=Budget(1.0, at_least=False),
    )
