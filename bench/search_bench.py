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
import subprocess
import sys
import time
from pathlib import Path

from engine_bench import vacuum
from load import percentile, run_load

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
BARE_VIEW = "/bench/ok/"
SLUG_PREFIX = "bench-busqueda-"
READER_EMAIL = "lectora@bench-search.invalid"
QUERY = "migracion"
# What is loaded under gunicorn; the queries are counted for the three that render (not the cached copy).
TARGETS = {
    "anonymous": f"/buscar/?q={QUERY}",
    "anonymous, no page cache": f"/buscar/?q={QUERY}",
    "signed in": f"/buscar/?q={QUERY}",
    "signed in, Kreyòl": f"/ht/buscar/?q={QUERY}",
}
PAGES = {name: path for name, path in TARGETS.items() if name != "anonymous"}
# A page without a search behind it, under the same conditions: what the chrome alone costs signed in.
REFERENCE = ("/informacion/", "signed in (reference page)")
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


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- Section (run in bench/run.py's process) ----------------------------------------------------------


def _child(bench, what: str, *args: str, setup_error, timeout: int = 1800) -> dict:
    completed = subprocess.run(
        [sys.executable, str(Path(__file__)), what, *args],
        cwd=ROOT,
        env={**bench.env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    for line in reversed(completed.stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line.removeprefix("RESULT "))
    raise setup_error(
        f"search bench {what} exited with {completed.returncode}:\n"
        f"{completed.stdout[-2000:]}{completed.stderr[-3000:]}"
    )


def search_sections(*, Section, Row, Budget, SetupError) -> list:  # noqa: N803 (run.py's classes)
    """The search section, built from run.py's own classes so this module never imports run.py."""
    count = int(os.environ.get("BENCH_PUBLICATIONS", "5000"))
    if not 1 <= count <= 100_000:
        log("bench setup failed: BENCH_PUBLICATIONS must be within 1..100000")
        raise SystemExit(2)
    title = f"search: /buscar/ with {count:,} publications x 3 languages"

    def section(bench) -> list:
        data = _child(bench, "setup", setup_error=SetupError)
        try:
            log(
                f"  {data['documents']:,} index rows; rebuild_search_index took {data['rebuild_seconds']:.1f} s; "
                f"'{QUERY}' matches {data['matches']:,} Spanish rows"
            )
            for name, (before, after) in data["queries"].items():
                log(f"  queries, {name}: {before} with the demo data, {after} with {count:,} publications")
            cookies = {
                "anonymous": None,
                "anonymous, no page cache": NO_PAGE_CACHE,
                "signed in": {"sessionid": data["session"]},
                "signed in, Kreyòl": {"sessionid": data["session"]},
            }
            rows = _load_rows(bench, Row, Budget, title, cookies)
            rows.append(_query_row(Row, Budget, title, data["queries"]))
            for target, seconds in data["render"].items():
                log(f"  in-process render, {target}: median {statistics.median(seconds) * 1000:.1f} ms")
                rows.append(_timed_row(Row, title, f"in-process render, {target}", seconds))
            return rows
        finally:
            _child(bench, "cleanup", data["session"], setup_error=SetupError)

    return [Section(title, section)]


def _load_rows(bench, Row, Budget, title: str, cookies: dict) -> list:  # noqa: N803
    config = bench.config
    targets = {
        BARE_VIEW: (BARE_VIEW, None),
        **{name: (TARGETS[name], cookies[name]) for name in TARGETS},
        REFERENCE[1]: (REFERENCE[0], cookies["signed in"]),
    }
    slice_seconds = config.seconds / config.rounds
    cap = max(1, config.max_requests // config.rounds)

    def run(target: str, seconds: float, max_requests: int):
        path, cookie = targets[target]
        return run_load(
            HOST,
            bench.port,
            path,
            seconds=seconds,
            concurrency=config.concurrency,
            max_requests=max_requests,
            cookies=cookie,
        )

    for target in targets:
        if config.warmup > 0:
            run(target, config.warmup, config.max_requests)
    measured: dict[str, list] = {target: [] for target in targets}
    for _round in range(config.rounds):
        for target in targets:
            measured[target].append(run(target, slice_seconds, cap))
    baseline = statistics.median(r.requests_per_second for r in measured[BARE_VIEW])
    rows = []
    for target, results in measured.items():
        rates = [r.requests_per_second for r in results]
        latencies = sorted(ms for r in results for ms in r.latencies_ms)
        errors = sum(r.errors for r in results)
        rate = statistics.median(rates)
        quartiles = statistics.quantiles(rates, n=4) if len(rates) >= 4 else None
        is_baseline = target == BARE_VIEW
        label = f"{BARE_VIEW} (baseline)" if is_baseline else f"{targets[target][0]} {target}"
        log(
            f"  {label:<48} {rate:8.1f} req/s  p50 {percentile(latencies, 0.5):7.2f} ms  "
            f"p99 {percentile(latencies, 0.99):7.2f} ms  errors {errors}  "
            f"rounds {' '.join(f'{x:.0f}' for x in rates)}"
        )
        for result in results:
            for sample in result.error_samples:
                log(f"    error: {sample}")
        budget = Budget(CACHED_BUDGET if target == "anonymous" else SEARCH_BUDGET)
        if is_baseline or target == REFERENCE[1]:
            budget = None
        rows.append(
            Row(
                section=title,
                target=label,
                requests_per_second=rate,
                p50_ms=percentile(latencies, 0.5),
                p99_ms=percentile(latencies, 0.99),
                errors=errors,
                requests=len(latencies),
                noise=(quartiles[2] - quartiles[0]) / rate if quartiles and rate else None,
                rounds=tuple(rates),
                ratio=rate / baseline if baseline else None,
                budget=budget,
            )
        )
    return rows


def _timed_row(Row, title: str, target: str, seconds: list[float]) -> object:  # noqa: N803
    return Row(
        section=title,
        target=target,
        requests_per_second=None,
        p50_ms=statistics.median(seconds) * 1000,
        p99_ms=max(seconds) * 1000,
        errors=0,
        requests=len(seconds),
        rounds=tuple(round(s * 1000, 2) for s in seconds),
    )


def _query_row(Row, Budget, title: str, queries: dict) -> object:  # noqa: N803
    before = max(counts[0] for counts in queries.values())
    after = max(counts[1] for counts in queries.values())
    return Row(
        section=title,
        target="queries per rendered page, the most of three (demo data -> publications)",
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
    """Queries of each page as it is rendered (an anonymous copy would come from the page cache)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
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
        counts[name] = len(context.captured_queries)
    return counts


def _render_times(client, session_key: str, repeats: int = 15) -> dict[str, list[float]]:
    """Seconds per signed-in render in this process: every search computed, and served from the cache."""
    from django.conf import settings

    client.cookies.clear()
    client.cookies["sessionid"] = session_key
    times: dict[str, list[float]] = {}
    for path in (PAGES["signed in"], PAGES["signed in, Kreyòl"]):
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
        "queries": {name: (before[name], after[name]) for name in PAGES},
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
