"""Search bench (issue 14): ``/buscar/`` over 5,000 publications × 3 languages, against the bare view.

The relevant-information app (whose publications the issue counts) does not exist yet, so ``BENCH_PUBLICATIONS``
(5,000) published consultations stand in for them: the index holds the same thing for any provider (one row
per object and language: title, summary, body), and they go through the real write path,
``rebuild_search_index``. Their texts are drawn from a Spanish, a Kreyòl and an English vocabulary; about one
in five mentions migration ("migración", "migrasyon", "migration"), so a search for it matches about a
thousand rows per language: the page counts, ranks and pages them, marks the words of twenty.

1. In a child process (``python bench/search_bench.py <what>``, the bench's environment): the number of
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

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

from common import (
    BARE_VIEW,
    HOST,
    Budget,
    Row,
    Section,
    log,
    measured_row,
    run_child,
    timed_row,
    vacuum,
)
from load import Target

SLUG_PREFIX = "bench-busqueda-"
READER_EMAIL = "lectora@bench-search.invalid"
QUERY = "migracion"
SEARCH, KREYOL_SEARCH = f"/buscar/?q={QUERY}", f"/ht/buscar/?q={QUERY}"
# The pages that render (no page cache): their queries are counted before and after.
PAGES = {"anonymous, no page cache": SEARCH, "signed in": SEARCH, "signed in, Kreyòl": KREYOL_SEARCH}
CACHED_BUDGET, SEARCH_BUDGET = 0.50, 0.25
# Anyone with this cookie name skips the page cache (sermig_portal.middleware); the key matches no session.
NO_PAGE_CACHE = {"sessionid": "bench-visitor-without-a-session"}

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
        data = run_child(bench, Path(__file__), "setup")
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
            run_child(bench, Path(__file__), "cleanup", data["session"])

    return [Section(title, section)]


def _targets(session_key: str) -> list[tuple[Target, float | None]]:
    """What is loaded under gunicorn, with its budget: the search as each kind of visitor, and a page without
    a search behind it under the same conditions (what the page chrome alone costs signed in)."""
    signed_in = {"sessionid": session_key}
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


# --- Child process (Django configured) ----------------------------------------------------------------


def _sentence(rng: random.Random, language: str, words: int, migration: bool) -> str:
    chosen = rng.choices(WORDS[language], k=words)
    if migration:
        chosen[rng.randrange(words)] = MIGRATION[language]
    return " ".join(chosen).capitalize() + "."


def _count_queries(client, session_key: str) -> dict[str, int]:
    """Queries of each page as it is rendered (an anonymous copy would come from the page cache), with the
    search computed and with what it shows served from the cache."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for mode, seconds in (("computed", 0), ("cached", 300)):
        settings.SEARCH_CACHE_SECONDS = seconds
        for name, path in PAGES.items():
            client.cookies.clear()
            cookie = {"sessionid": session_key} if name.startswith("signed in") else NO_PAGE_CACHE
            for key, value in cookie.items():
                client.cookies[key] = value
            client.get(path)  # content types, translations and the like, alike on both sides
            with CaptureQueriesContext(connection) as context:
                response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
            counts[f"{name}, {mode}"] = len(context.captured_queries)
    return counts


def _render_times(client, session_key: str, repeats: int = 15) -> dict[str, list[float]]:
    """Seconds per signed-in render in this process: every search computed, and served from the cache."""
    from django.conf import settings

    client.cookies.clear()
    client.cookies["sessionid"] = session_key
    times: dict[str, list[float]] = {}
    for path in (SEARCH, KREYOL_SEARCH):
        for mode, seconds in (("computed", 0), ("cached", 300)):
            settings.SEARCH_CACHE_SECONDS = seconds
            client.get(path)
            samples = []
            for _ in range(repeats):
                started = time.perf_counter()
                client.get(path)
                samples.append(time.perf_counter() - started)
            times[f"{path} signed in, {mode}"] = samples
    return times


def setup() -> dict:
    from importlib import import_module

    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from consultations.models import Consultation
    from engine import search
    from engine.models import SearchDocument
    from engine.search.selectors import search_documents
    from participants.models import User

    count = int(os.environ.get("BENCH_PUBLICATIONS", "5000"))
    with transaction.atomic():
        reader = User.objects.create(email=READER_EMAIL, password=make_password(None))
        EmailAddress.objects.create(user=reader, email=reader.email, verified=True, primary=True)
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = reader._meta.pk.value_to_string(reader)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = reader.get_session_auth_hash()
        session.create()
    client = Client(HTTP_HOST=HOST)
    before = _count_queries(client, session.session_key)

    rng = random.Random(14)  # noqa: S311 - reproducible synthetic text, not security
    now = timezone.now()
    consultations = []
    for n in range(count):
        migration = rng.random() < 0.2
        texts = {}
        for language in ("es", "ht", "en"):
            texts[f"title_{language}"] = _sentence(rng, language, 7, migration and rng.random() < 0.15)
            texts[f"summary_{language}"] = _sentence(rng, language, 30, False)
            texts[f"rationale_{language}"] = _sentence(rng, language, 80, migration)
            texts[f"expected_results_{language}"] = _sentence(rng, language, 40, False)
        consultations.append(
            Consultation(
                slug=f"{SLUG_PREFIX}{n}",
                title=texts["title_es"],
                summary=texts["summary_es"],
                rationale=texts["rationale_es"],
                expected_results=texts["expected_results_es"],
                announced_at=now - timezone.timedelta(days=400),
                opens_at=now - timezone.timedelta(days=390),
                closes_at=now - timezone.timedelta(days=360),
                is_published=True,
                last_notified_phase="closed",
                **texts,
            )
        )
    with transaction.atomic():
        Consultation.objects.bulk_create(consultations, batch_size=500)
    started = time.perf_counter()
    search.rebuild()
    rebuild_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {SearchDocument._meta.db_table}")
    after = _count_queries(client, session.session_key)
    return {
        "render": _render_times(client, session.session_key),
        "session": session.session_key,
        "documents": SearchDocument.objects.count(),
        "rebuild_seconds": rebuild_seconds,
        "matches": search_documents(query=QUERY, language="es").count(),
        "queries": {name: (before[name], after[name]) for name in before},
    }


def cleanup(session_key: str) -> dict:
    """Plain DELETEs: the ORM would reindex (and query) once per deleted consultation."""
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sessions.models import Session
    from django.db import connection, transaction

    from consultations.models import Consultation
    from engine.models import SearchDocument
    from participants.models import User

    consultations, documents = Consultation._meta.db_table, SearchDocument._meta.db_table
    content_type = ContentType.objects.get_for_model(Consultation).pk
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {documents} WHERE content_type_id = %s AND object_id IN "
            f"(SELECT id FROM {consultations} WHERE slug LIKE %s)",
            [content_type, f"{SLUG_PREFIX}%"],
        )
        cursor.execute(f"DELETE FROM {consultations} WHERE slug LIKE %s", [f"{SLUG_PREFIX}%"])
        deleted = cursor.rowcount
        Session.objects.filter(session_key=session_key).delete()
        User.objects.filter(email=READER_EMAIL).delete()
    vacuum(SearchDocument, Consultation)
    return {"consultations": deleted}


def main() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sermig_portal.settings.production")
    django.setup()
    what, args = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    measures = {"setup": setup, "cleanup": lambda: cleanup(args[0])}
    if what not in measures:
        print(f"usage: search_bench.py {{{'|'.join(measures)}}}", file=sys.stderr)
        return 2
    print("RESULT " + json.dumps(measures[what]()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
