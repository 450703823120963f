"""Search bench (issue 14): ``/buscar/`` over 5,000 publications × 3 languages, against the bare view.

The relevant-information app (whose publications the issue counts) does not exist yet, so ``BENCH_PUBLICATIONS``
(5,000) published consultations stand in for them: the index holds the same thing for any provider (one row
per object and language: title, summary, body), and they go through the real write path,
``rebuild_search_index``. Their texts are drawn from a Spanish, a Kreyòl and an English vocabulary; about one
in five mentions migration ("migración", "migrasyon", "migration"), so a search for it matches about a
thousand rows per language: the page counts, ranks and pages them, marks the words of twenty.

1. In a child process (``bench/search_measures.py`` through ``bench/child.py``, the bench's environment): the number of
   queries of each measured page with the demo data only, then the 5,000 consultations are inserted, the
   index rebuilt (timed) and the queries counted again. The row's ratio is the count after over the count
   before: budget ≤ 1 (constant).
2. Under the bench's gunicorn, round-robin with the bare view: ``/buscar/?q=migracion`` for an anonymous
   visitor (the page cache serves it once warm), for an anonymous visitor whose cookie bypasses the page cache
   (every request searches), and for a signed-in reader; ``/ht/buscar/?q=migracion`` signed in (Kreyòl rows,
   then Spanish ones, each object once). Budgets (DESIGN.md §7): the cached anonymous page ≥ 0.50 of the bare
   view, the searching ones (first renders, signed in) ≥ 0.25.

The synthetic consultations, their index rows and the reader are deleted afterwards.
"""

from __future__ import annotations

import os
import statistics

from common import (
    BARE_VIEW,
    Budget,
    Row,
    Section,
    log,
    measured_row,
    run_child,
    signed_in_cookies,
    timed_row,
)
from load import Target

SLUG_PREFIX = "bench-busqueda-"
READER_EMAIL = "lectora@bench-search.invalid"
QUERY = "migracion"
SEARCH, KREYOL_SEARCH = f"/buscar/?q={QUERY}", f"/ht/buscar/?q={QUERY}"
# The pages that render (no page cache): their queries are counted before and after.
PAGES = {"anonymous, no page cache": SEARCH, "signed in": SEARCH, "signed in, Kreyòl": KREYOL_SEARCH}
CACHED_BUDGET, SEARCH_BUDGET = 0.50, 0.25
# A browser with a flash message waiting is never served from the page cache (sermig_portal/middleware.py);
# a made-up session cookie no longer bypasses it (it counts as anonymous).
NO_PAGE_CACHE = {"messages": "bench-pending-message"}

VOCABULARY = {
    "es": (
        "personas trámites residencia oficina atención salud trabajo vivienda educación convivencia región "
        "comunidad derechos política plan programa presupuesto acción consulta diálogo información resolución "
        "visa permanencia familia niñez género inclusión integración territorio protección refugiadas "
        "solicitud documento cédula calendario horario respuesta compromiso participación"
    ),
    "ht": (
        "moun demach rezidans biwo sèvis sante travay kay edikasyon viv ansanm rejyon kominote dwa politik "
        "plan pwogram bidjè aksyon konsiltasyon dyalòg enfòmasyon rezolisyon viza fanmi timoun jan enklizyon "
        "entegrasyon teritwa pwoteksyon refijye demann dokiman kalandriye lè repons angajman patisipasyon"
    ),
    "en": (
        "people paperwork residence office service health work housing education coexistence region "
        "community rights policy plan programme budget action consultation dialogue information decision "
        "visa permanence family children gender inclusion integration territory protection refugees "
        "request document identity calendar hours answer commitment participation"
    ),
}
WORDS = {language: text.split() for language, text in VOCABULARY.items()}
MIGRATION = {"es": "migración", "ht": "migrasyon", "en": "migration"}


# --- Section (run in bench/run.py's process) ----------------------------------------------------------


def search_sections() -> list[Section]:
    """The search section (bench/run.py appends it)."""
    count = int(os.environ.get("BENCH_PUBLICATIONS", "5000"))
    if not 1 <= count <= 100_000:
        log("bench setup failed: BENCH_PUBLICATIONS must be within 1..100000")
        raise SystemExit(2)
    title = f"search: /buscar/ with {count:,} publications x 3 languages"

    def section(bench) -> list:
        data = run_child(bench, "search_measures", "setup")
        try:
            log(
                f"  {data['documents']:,} index rows; rebuild_search_index took {data['rebuild_seconds']:.1f} s; "
                f"'{QUERY}' matches {data['matches']:,} Spanish rows"
            )
            for name, (before, after) in data["queries"].items():
                log(f"  queries, {name}: {before} with the demo data, {after} with {count:,} publications")
            measured = _targets(data["session"])
            measurements = bench.load([BARE_VIEW, *(target for target, _budget in measured)])
            baseline = measurements[BARE_VIEW].requests_per_second
            rows = [measured_row(title, f"{BARE_VIEW} (baseline)", measurements[BARE_VIEW], baseline)]
            for target, budget in measured:
                rows.append(
                    measured_row(
                        title, target.label, measurements[target.label], baseline, budget and Budget(budget)
                    )
                )
            rows.append(_query_row(title, data["queries"]))
            for target, seconds in data["render"].items():
                log(f"  in-process render, {target}: median {statistics.median(seconds) * 1000:.1f} ms")
                rows.append(timed_row(title, f"in-process render, {target}", seconds))
            return rows
        finally:
            run_child(bench, "search_measures", "cleanup", data["session"])

    return [Section(title, section)]


def _targets(session_key: str) -> list[tuple[Target, float | None]]:
    """What is loaded under gunicorn, with its budget: the search as each kind of visitor, and a page without
    a search behind it under the same conditions (what the page chrome alone costs signed in)."""
    signed_in = signed_in_cookies(session_key)
    return [
        (Target(f"{SEARCH} anonymous", SEARCH), CACHED_BUDGET),
        (Target(f"{SEARCH} anonymous, no page cache", SEARCH, NO_PAGE_CACHE), SEARCH_BUDGET),
        (Target(f"{SEARCH} signed in", SEARCH, signed_in), SEARCH_BUDGET),
        (Target(f"{KREYOL_SEARCH} signed in", KREYOL_SEARCH, signed_in), SEARCH_BUDGET),
        (Target("/informacion/ signed in (reference page)", "/informacion/", signed_in), None),
    ]


def _query_row(title: str, queries: dict) -> Row:
    """All six pages' queries together, after over before: 1.00 when no page's count grew with the data."""
    before = sum(counts[0] for counts in queries.values())
    after = sum(counts[1] for counts in queries.values())
    return Row(
        section=title,
        target="queries of the six rendered pages, publications over demo data",
        requests_per_second=None,
        p50_ms=0.0,
        p99_ms=0.0,
        errors=0,
        requests=0,
        rounds=(float(before), float(after)),
        ratio=after / before if before else None,
        budget=Budget(1.0, at_least=False),
    )
