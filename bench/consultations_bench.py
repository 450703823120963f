"""Consultations benches (issue 5): results at scale, the results page, the report, concurrent respondents.

1. **Results aggregation.** A closed consultation with ``BENCH_RESPONSES`` (100,000) submitted responses to
   ``BENCH_QUESTIONS`` (20) choice questions — one answer per response and question (2,000,000 answers) and
   one or two chosen options per answer — built with ``INSERT … SELECT`` in SQL, as are its 100,000
   participants (one response per participant). ``consultations.results.consultation_results`` and
   ``published_results`` (which adds the gender breakdown and small-cell suppression) against the raw
   ``SELECT … GROUP BY`` of answer options × channel over the same rows, in one child process: the first
   call of ``consultation_results`` in that fresh process (cold: the app caches nothing, so every page view
   and report pays this), then three repeats alternating between the contenders; the median is compared.
   Budget (DESIGN.md §7): ≤ 3×.
2. **Results page.** ``GET /consultas/<slug>/resultados/`` of that consultation against the bare view under
   the same gunicorn, round-robin, with ``BENCH_PAGE_CONCURRENCY`` clients: as an anonymous visitor (served
   from the per-process page cache once warm) and with a session cookie (which bypasses that cache, so the
   page is computed every time, as for every cache miss). The page is slow at this size, so it gets longer
   slices (``BENCH_PAGE_SECONDS`` in all) and a 60 s timeout. Budget: the anonymous pages' ≥ 0.50 of the
   bare view.
3. **Report.** ``report_job_build`` of the ``consultation-results`` report as PDF and as XLSX, each in its
   own child process: wall time, and the process's peak resident memory (``ru_maxrss``, Django included).
   Budgets: ≤ 60 s for PDF + XLSX, ≤ 300 MB each. The ratio column is the figure over its limit.
4. **Respondents.** An open consultation with a two-section questionnaire; ``BENCH_RESPONDENTS`` (50) users
   with a verified email address, logged in through sessions created server-side; all of them at once GET
   the first section (for the CSRF token), POST both sections and POST the review (the submit), for
   ``BENCH_RESPONDENT_ROUNDS`` (3) rounds of fresh users. Every answer other than the expected redirect is an
   error, and so is a response missing from the database afterwards. Budgets: 0 errors, p95 < 300 ms (the
   ratio column is p95 over 300 ms); the bare view at the same concurrency is shown for comparison.

``BENCH_CONSULTATIONS`` picks the sections: ``all`` (default), ``none``, or a comma-separated list of
``results,page,report,respondents``. ``bench/run.py`` appends these sections (``consultations_sections``).
Measuring and data happen in child processes (``python bench/consultations_bench.py <what>``) with the
bench's environment, which print one ``RESULT {json}`` line. The synthetic consultations, users and
participants are deleted afterwards, so later sections see the demo data only.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import json
import os
import re
import resource
import statistics
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

# bench/common.py, bench/load.py: bench/ is first on sys.path when a bench file runs as a script.
from common import (
    BARE_VIEW,
    HOST,
    Bench,
    Budget,
    Measurement,
    Row,
    Section,
    SetupError,
    insert_select,
    log,
    measured_row,
    run_child,
    sql_pick,
    timed_row,
    vacuum,
)
from load import LoadResult, check_host, percentile, run_load

MARKER = "bench-consultations"  # commune of synthetic participants; email domain of synthetic users
RESULTS_SLUG = "bench-resultados"
RESPONDENTS_SLUG = "bench-respondentes"
REPEATS = 3
CHOICES_PER_QUESTION = 5
# Question kinds of the synthetic questionnaire, in turn: every choice kind, with its own counting rule.
KINDS = ("single", "scale", "multiple", "ranking")
SECTIONS = ("results", "page", "report", "respondents")
DATA_SECTIONS = ("results", "page", "report")  # the ones that need the 100k-response consultation
REPORT_SECONDS = 60.0
REPORT_MEGABYTES = 300.0
RESPONDENT_P95_MS = 300.0
RESPONDENT_WARMUP = 10  # journeys before the measured rounds, not counted
PAGE_TIMEOUT = 60.0
RESPONDENT_TIMEOUT = 60.0


@dataclass(frozen=True)
class Knobs:
    responses: int
    questions: int
    respondents: int
    respondent_rounds: int
    page_seconds: float
    page_concurrency: int
    sections: tuple[str, ...]

    @classmethod
    def from_env(cls) -> Knobs:
        """The sizes, within bounds that keep a typo from starting an endless run."""
        raw_sections = os.environ.get("BENCH_CONSULTATIONS", "all").strip().lower()
        if raw_sections == "all":
            sections = SECTIONS
        elif raw_sections in ("", "none"):
            sections = ()
        else:
            sections = tuple(name.strip() for name in raw_sections.split(",") if name.strip())
            unknown = [name for name in sections if name not in SECTIONS]
            if unknown:
                raise ValueError(f"BENCH_CONSULTATIONS: unknown {unknown}; choose from {', '.join(SECTIONS)}")
        knobs = cls(
            responses=int(os.environ.get("BENCH_RESPONSES", "100000")),
            questions=int(os.environ.get("BENCH_QUESTIONS", "20")),
            respondents=int(os.environ.get("BENCH_RESPONDENTS", "50")),
            respondent_rounds=int(os.environ.get("BENCH_RESPONDENT_ROUNDS", "3")),
            page_seconds=float(os.environ.get("BENCH_PAGE_SECONDS", "10")),
            page_concurrency=int(os.environ.get("BENCH_PAGE_CONCURRENCY", "2")),
            sections=tuple(name for name in SECTIONS if name in sections),
        )
        bounds = {
            "BENCH_RESPONSES": (knobs.responses, 1, 1_000_000),
            "BENCH_QUESTIONS": (knobs.questions, 1, 100),
            "BENCH_RESPONDENTS": (knobs.respondents, 1, 200),
            "BENCH_RESPONDENT_ROUNDS": (knobs.respondent_rounds, 1, 10),
            "BENCH_PAGE_SECONDS": (knobs.page_seconds, 1, 300),
            "BENCH_PAGE_CONCURRENCY": (knobs.page_concurrency, 1, 64),
        }
        for name, (value, low, high) in bounds.items():
            if not low <= value <= high:
                raise ValueError(f"{name} must be within {low}..{high}")
        return knobs


# --- Sections (run in bench/run.py's process) ----------------------------------------------------------


def consultations_sections() -> list[Section]:
    """The sections ``BENCH_CONSULTATIONS`` picks, in their order; a bad knob stops the bench (exit 2)."""
    try:
        knobs = Knobs.from_env()
    except ValueError as error:
        log(f"bench setup failed: {error}")
        raise SystemExit(2) from error
    data_sections = [name for name in knobs.sections if name in DATA_SECTIONS]
    state: dict = {}

    def child(bench: Bench, what: str, *args: str) -> dict:
        return run_child(bench, Path(__file__), what, *args)

    def with_data(name: str, run):
        """Build the big consultation before the first section that needs it, delete it after the last."""

        def section(bench) -> list:
            if "data" not in state:
                state["data"] = child(bench, "setup-results")
                data = state["data"]
                log(
                    f"  built {data['responses']:,} responses, {data['answers']:,} answers and "
                    f"{data['answer_options']:,} chosen options in {data['seconds']:.0f} s"
                )
            try:
                return run(bench, state["data"])
            finally:
                if name == data_sections[-1]:
                    child(bench, "cleanup-results")
                    state.pop("data", None)

        return section

    def size(data: dict) -> str:
        return f"{data['responses']:,} responses x {data['questions']} questions"

    # 1. Aggregation against the raw GROUP BY.
    def results(bench, data: dict) -> list:
        result = child(bench, "aggregate")
        title = f"consultation results ({size(data)})"
        for name, seconds in result["breakdown"]:
            log(f"  consultation_results() query {seconds * 1000:8.1f} ms  {name}")
        raw = statistics.median(result["raw"])
        budget = Budget(3.0, at_least=False)
        return [
            timed_row(title, "raw SQL GROUP BY option x channel (baseline)", result["raw"]),
            timed_row(
                title,
                "consultation_results(), first call in a fresh process",
                [result["selector_first"]],
                result["selector_first"] / raw,
                budget,
            ),
            timed_row(
                title,
                "consultation_results()",
                result["selector"],
                statistics.median(result["selector"]) / raw,
                budget,
            ),
            timed_row(
                title,
                "published_results() with suppression",
                result["published"],
                statistics.median(result["published"]) / raw,
                budget,
            ),
        ]

    # 2. The warm results page under load, against the bare view.
    def page(bench, data: dict) -> list:
        path = f"/consultas/{data['slug']}/resultados/"
        config = bench.config
        concurrency = knobs.page_concurrency
        rounds = min(config.rounds, 5)
        title = f"results page ({size(data)}), {concurrency} clients"
        anonymous, session = f"{path} anonymous (page cache)", f"{path} with a session (no page cache)"
        page_slice = knobs.page_seconds / rounds
        targets = {
            BARE_VIEW: (config.seconds / config.rounds, 10.0, None),
            anonymous: (page_slice, PAGE_TIMEOUT, None),
            # Anyone with a session cookie gets a freshly computed page (sermig_portal.middleware); so does
            # the first anonymous visitor of each gunicorn worker once its cached copy expires.
            session: (page_slice, PAGE_TIMEOUT, {"sessionid": "bench-visitor-without-a-session"}),
        }
        cap = max(1, config.max_requests // rounds)

        def run(target: str, seconds: float, max_requests: int):
            _slice, timeout, cookies = targets[target]
            if cookies is None:
                url = BARE_VIEW if target == BARE_VIEW else path
                return run_load(
                    HOST,
                    bench.port,
                    url,
                    seconds=seconds,
                    concurrency=concurrency,
                    max_requests=max_requests,
                    timeout=timeout,
                )
            return _cookie_load(bench.port, path, cookies, seconds, concurrency, max_requests, timeout)

        for target in targets:  # warm-up: every client sends at least one request
            run(target, max(config.warmup, 0.1), config.max_requests)
        measured: dict[str, list[LoadResult]] = {target: [] for target in targets}
        for _round in range(rounds):
            for target, (seconds, _timeout, _cookies) in targets.items():
                measured[target].append(run(target, seconds, cap))
        measurements = {target: Measurement(results_) for target, results_ in measured.items()}
        baseline = measurements[BARE_VIEW].requests_per_second
        rows = []
        for target, measurement in measurements.items():
            total, rate = measurement.total, measurement.requests_per_second
            is_baseline = target == BARE_VIEW
            log(
                f"  {target:<70} {rate:8.2f} req/s  p50 {total.p50_ms:8.1f} ms  "
                f"p99 {total.p99_ms:8.1f} ms  max {max(total.latencies_ms, default=0):8.1f} ms  "
                f"errors {total.errors}  rounds {' '.join(f'{x:.2f}' for x in measurement.rates)}"
            )
            for result in measurement.rounds:
                for sample in result.error_samples:
                    log(f"    error: {sample}")
            rows.append(
                measured_row(
                    title,
                    f"{target} (baseline)" if is_baseline else target,
                    measurement,
                    baseline,
                    # DESIGN.md §7's budget is for anonymous public pages; the fresh page is shown beside it.
                    Budget(0.50) if target == anonymous else None,
                )
            )
        return rows

    # 3. The systematisation report, PDF and XLSX.
    def report(bench, data: dict) -> list:
        title = f"consultation-results report ({size(data)})"
        builds = {fmt: child(bench, "report", fmt) for fmt in ("pdf", "xlsx")}
        rows = []
        for fmt, build in builds.items():
            log(
                f"  {fmt}: {build['seconds']:.1f} s (data {build['data_seconds']:.1f} s), "
                f"{build['bytes']:,} bytes, peak RSS {build['peak_mb']:.0f} MB "
                f"({build['baseline_mb']:.0f} MB before the build)"
            )
            rows.append(
                timed_row(
                    title,
                    f"{fmt.upper()} build time",
                    [build["seconds"]],
                    build["seconds"] / REPORT_SECONDS,
                    Budget(1.0, at_least=False),
                )
            )
            rows.append(
                timed_row(
                    title,
                    f"{fmt.upper()} peak memory {build['peak_mb']:.0f} MB (limit {REPORT_MEGABYTES:.0f})",
                    [build["seconds"]],
                    build["peak_mb"] / REPORT_MEGABYTES,
                    Budget(1.0, at_least=False),
                )
            )
        total = sum(build["seconds"] for build in builds.values())
        rows.append(
            timed_row(
                title,
                f"PDF + XLSX build time (limit {REPORT_SECONDS:.0f} s)",
                [total],
                total / REPORT_SECONDS,
                Budget(1.0, at_least=False),
            )
        )
        return rows

    # 4. Concurrent respondents.
    def respondents(bench) -> list:
        n, rounds = knobs.respondents, knobs.respondent_rounds
        warm = min(RESPONDENT_WARMUP, n)
        expected = n * rounds + warm
        setup = child(bench, "setup-respondents", str(expected))
        try:
            baseline = run_load(
                HOST, bench.port, BARE_VIEW, seconds=2, concurrency=n, max_requests=20 * n, timeout=10
            )
            # Not measured: a few journeys first, so both workers hold the questionnaire and their prepared
            # statements, as a portal that has been running does; rounds of fresh users follow.
            warm_records, warm_failed = _respondents_round(bench.port, setup, setup["sessions"][n * rounds :])
            if warm_failed:
                problems = sorted({problem for _kind, _ms, problem in warm_records if problem})
                raise SetupError(f"{warm_failed} warm-up journeys failed: {'; '.join(problems[:5])}")
            log(f"  warm-up: {warm} respondents")
            records: list[tuple[str, float, str]] = []
            failed_journeys = 0
            seconds = 0.0
            for index in range(rounds):
                sessions = setup["sessions"][index * n : (index + 1) * n]
                began = time.perf_counter()
                cpu_began = time.process_time()
                round_records, round_failed = _respondents_round(bench.port, setup, sessions)
                seconds += time.perf_counter() - began
                log(
                    f"  client CPU {(time.process_time() - cpu_began) / (time.perf_counter() - began):.2f} cores"
                )
                failed_journeys += round_failed
                submits = sorted(ms for kind, ms, _p in round_records if kind == "review")
                log(
                    f"  round {index + 1}: {len(sessions)} respondents, submit p95 "
                    f"{percentile(submits, 0.95):.0f} ms, errors {sum(1 for r in round_records if r[2])}"
                )
                records += round_records
            check = child(bench, "check-respondents", str(expected))
        finally:
            child(bench, "cleanup-respondents")
        # A journey whose requests all succeeded must have left a submitted response; the others already
        # count as errors.
        missing = max(0, expected - check["submitted"] - failed_journeys)
        if check["submitted"] != expected:
            log(f"  {expected - check['submitted']} respondents have no submitted response in the database")
        problems = [problem for _kind, _ms, problem in records if problem]
        for sample in dict.fromkeys(problems[:50]):
            log(f"    error: {sample}")
        title = f"{n} concurrent respondents x {rounds} rounds"
        seconds = seconds or 1.0
        rows = [
            Row(
                section=title,
                target=f"{BARE_VIEW} at concurrency {n}, p95 {percentile(baseline.latencies_ms, 0.95):.0f} ms"
                " (baseline)",
                requests_per_second=baseline.requests_per_second,
                p50_ms=baseline.p50_ms,
                p99_ms=baseline.p99_ms,
                errors=baseline.errors,
                requests=baseline.requests,
            )
        ]
        kinds = [
            ("get", "GET first section (CSRF token)"),
            ("section", "POST section answers"),
            ("review", "POST review (submit)"),
        ]
        for kind, label in [*kinds, (None, "every request of the journeys")]:
            chosen = [(ms, problem) for k, ms, problem in records if kind is None or k == kind]
            latencies = sorted(ms for ms, _problem in chosen)
            errors = sum(1 for _ms, problem in chosen if problem) + (
                missing if kind in ("review", None) else 0
            )
            p95 = percentile(latencies, 0.95)
            rows.append(
                Row(
                    section=title,
                    target=f"{label}, p95 {p95:.0f} ms",
                    requests_per_second=len(latencies) / seconds,
                    p50_ms=percentile(latencies, 0.5),
                    p99_ms=percentile(latencies, 0.99),
                    errors=errors,
                    requests=len(latencies),
                    ratio=p95 / RESPONDENT_P95_MS if kind != "get" else None,
                    budget=Budget(1.0, at_least=False) if kind != "get" else None,
                )
            )
        return rows

    runners = {"results": results, "page": page, "report": report}
    sections = []
    for name in knobs.sections:
        if name == "respondents":
            sections.append(Section("consultations: concurrent respondents", respondents))
        else:
            sections.append(Section(f"consultations: {name}", with_data(name, runners[name])))
    return sections


# --- Respondents' HTTP client (run.py's process) --------------------------------------------------------

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _request(
    port: int,
    method: str,
    path: str,
    cookies: dict[str, str],
    form: list | None = None,
    timeout: float = RESPONDENT_TIMEOUT,
):
    """One request on its own connection (gunicorn's sync workers close it anyway): status, headers, body."""
    check_host(HOST)
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "User-Agent": "sermig-bench/1",
        }
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True).encode("ascii")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.msg, response.read()
    finally:
        connection.close()


def _cookie_load(
    port: int,
    path: str,
    cookies: dict[str, str],
    seconds: float,
    concurrency: int,
    max_requests: int,
    timeout: float,
) -> LoadResult:
    """Like ``load.run_load`` (closed loop, one connection per request), with cookies on every request."""
    check_host(HOST)
    tickets = itertools.count()
    latencies: list[float] = []
    samples: list[str] = []
    errors = [0]
    lock = threading.Lock()
    cpu_start = time.process_time()
    start = time.perf_counter()
    deadline = start + seconds

    def client() -> None:
        while time.perf_counter() < deadline and next(tickets) < max_requests:
            sent = time.perf_counter()
            try:
                status, _headers, _body = _request(port, "GET", path, cookies, timeout=timeout)
                problem = "" if status == 200 else f"HTTP {status}"
            except OSError as error:
                problem = f"{type(error).__name__}: {error}"
            with lock:
                latencies.append((time.perf_counter() - sent) * 1000)
                if problem:
                    errors[0] += 1
                    if len(samples) < 5:
                        samples.append(problem)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + timeout + 5)
    return LoadResult(
        path=path,
        requests=len(latencies),
        errors=errors[0],
        seconds=time.perf_counter() - start,
        client_cpu_seconds=time.process_time() - cpu_start,
        error_samples=tuple(dict.fromkeys(samples)),
        latencies_ms=sorted(latencies),
    )


def _answers(section: list[dict], seed: int) -> list[tuple[str, str]]:
    """Form values for one section: a choice for every choice question, a sentence for text questions."""
    values = []
    for position, question in enumerate(section):
        options = question["options"]
        if question["kind"] in ("single", "scale"):
            values.append((question["field"], str(options[(seed + position) % len(options)])))
        elif question["kind"] == "multiple":
            values += [(question["field"], str(option)) for option in options[: 1 + seed % 2]]
        else:
            values.append((question["field"], f"Respuesta de prueba {seed}"))
    return values


def _respondents_round(
    port: int, setup: dict, sessions: list[str]
) -> tuple[list[tuple[str, float, str]], int]:
    """Every respondent at once: GET section 1, POST each section, POST the review.

    Returns (kind, ms, problem) per request and the number of journeys with a failed request.
    """
    slug, sections = setup["slug"], setup["sections"]
    base = f"/consultas/{slug}/"
    barrier = threading.Barrier(len(sessions))
    records: list[tuple[str, float, str]] = []
    failed = [0]  # journeys with at least one failed request
    lock = threading.Lock()

    def respondent(index: int, session_key: str) -> None:
        cookies = {"sessionid": session_key}
        own: list[tuple[str, float, str]] = []

        def step(kind, method, path, form=None, expect=302, location=None) -> bytes:
            started = time.perf_counter()
            problem = ""
            body = b""
            try:
                status, headers, body = _request(port, method, path, cookies, form)
                if status != expect:
                    problem = f"{method} {path}: HTTP {status}"
                elif location and headers.get("Location", "") != location:
                    problem = f"{method} {path}: redirected to {headers.get('Location')!r}"
                for cookie in headers.get_all("Set-Cookie") or []:
                    name, _sep, rest = cookie.partition("=")
                    if name.strip() == "csrftoken":
                        cookies["csrftoken"] = rest.split(";", 1)[0]
            except OSError as error:
                problem = f"{method} {path}: {type(error).__name__}: {error}"
            own.append((kind, (time.perf_counter() - started) * 1000, problem))
            return body

        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=60)
        page = step("get", "GET", f"{base}responder/1/", expect=200)
        match = CSRF_INPUT.search(page)
        if not match or "csrftoken" not in cookies:
            kind, ms, problem = own[-1]
            own[-1] = (kind, ms, problem or "no CSRF token on the first section")
        else:
            token = match.group(1).decode("ascii")
            for number, section in enumerate(sections, start=1):
                following = f"{base}responder/{number + 1}/" if number < len(sections) else f"{base}revisar/"
                form = [("csrfmiddlewaretoken", token), ("action", "next"), *_answers(section, index)]
                step("section", "POST", f"{base}responder/{number}/", form, location=following)
            profile = [
                ("csrfmiddlewaretoken", token),
                ("perfil-region", "CL-RM"),
                ("perfil-gender_identity", "woman" if index % 2 else "man"),
                ("perfil-consent_gender_identity", "on"),
            ]
            step("review", "POST", f"{base}revisar/", profile, location=f"{base}gracias/")
        with lock:
            records.extend(own)
            if any(problem for _kind, _ms, problem in own):
                failed[0] += 1

    threads = [
        threading.Thread(target=respondent, args=(i, key), daemon=True) for i, key in enumerate(sessions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60 + RESPONDENT_TIMEOUT * (len(sections) + 3))
    return records, failed[0]


# --- Data and measuring (child process, Django configured) -----------------------------------------------


def _skip_foreign_key_triggers() -> None:
    """For the rest of the transaction, no per-row foreign-key triggers (PostgreSQL superusers only).

    Every row inserted or deleted references rows of the same transaction by construction, and the millions of
    deferred checks would otherwise double the time of building and of deleting the synthetic data. Without
    the privilege the checks simply run.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


def _tr(field: str, text: str) -> dict[str, str]:
    return {field: text, f"{field}_es": text}


def setup_results() -> dict:
    """The closed consultation with published results, its questionnaire and every response, in SQL."""
    from django.db import connection, transaction
    from django.utils import timezone

    from consultations.models import (
        Answer,
        AnswerOption,
        Consultation,
        Dialogue,
        DialogueAttendance,
        DialogueOptionCount,
        Modality,
        Option,
        Question,
        Response,
        Section,
    )
    from participants import choices
    from participants.models import Participant

    count = int(os.environ.get("BENCH_RESPONSES", "100000"))
    n_questions = int(os.environ.get("BENCH_QUESTIONS", "20"))
    started = time.perf_counter()
    now = timezone.now()
    timings: dict[str, float] = {}

    def timed(name: str, since: float) -> float:
        timings[name] = time.perf_counter() - since
        log(f"  setup: {name} {timings[name]:.1f} s")
        return time.perf_counter()

    with transaction.atomic():
        consultation = Consultation.objects.create(
            slug=RESULTS_SLUG,
            modality=Modality.HYBRID,
            announced_at=now - timezone.timedelta(days=90),
            opens_at=now - timezone.timedelta(days=80),
            closes_at=now - timezone.timedelta(days=20),
            results_published_at=now - timezone.timedelta(days=1),
            is_published=True,
            last_notified_phase="results",
            **_tr("title", "Consulta del bench: resultados a escala"),
            **_tr("summary", "Datos sintéticos para medir los resultados con muchas respuestas."),
        )
        per_section = -(-n_questions // 4)
        questions = []
        for number in range(n_questions):
            if number % per_section == 0:
                section = Section.objects.create(
                    consultation=consultation,
                    order=number // per_section,
                    **_tr("title", f"Sección {number}"),
                )
            kind = KINDS[number % len(KINDS)]
            question = Question.objects.create(
                section=section,
                order=number,
                kind=kind,
                required=True,
                **_tr("text", f"Pregunta {number + 1}"),
            )
            Option.objects.bulk_create(
                Option(
                    question=question, order=i, **_tr("text", f"Opción {i + 1} de la pregunta {number + 1}")
                )
                for i in range(CHOICES_PER_QUESTION)
            )
            questions.append(question)
        question_ids = ", ".join(str(q.pk) for q in questions)

        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.5)")
        _skip_foreign_key_triggers()
        step = time.perf_counter()
        genders = [value for value, _label in choices.GenderIdentity.choices] + [""]
        regions = [value for value, _label in choices.Region.choices]
        insert_select(
            Participant,
            f"generate_series(1, {int(count)}) AS n",
            {
                "gender_identity": sql_pick(genders, [40, 38, 2, 2, 3, 1, 6, 8]),
                "region": sql_pick([*regions, ""], [1] * len(regions) + [3]),
                "nationality": sql_pick(
                    ["VE", "PE", "CO", "HT", "BO", "AR", "CL"], [38, 14, 11, 10, 9, 8, 10]
                ),
                "commune": f"'{MARKER}'",
            },
        )
        step = timed("participants", step)
        participants = connection.ops.quote_name(Participant._meta.db_table)
        insert_select(
            Response,
            f"{participants} AS p WHERE p.commune = '{MARKER}'",
            {
                "id": "gen_random_uuid()",
                "consultation_id": str(int(consultation.pk)),
                "participant_id": "p.id",
                "channel": sql_pick(["online", "paper", "phone"], [90, 6, 4]),
                "status": "'submitted'",
                "submitted_at": "now() - random() * interval '60 days'",
            },
        )
        step = timed("responses", step)
        responses = connection.ops.quote_name(Response._meta.db_table)
        answers = insert_select(
            Answer,
            f"{responses} AS r CROSS JOIN unnest(ARRAY[{question_ids}]::bigint[]) AS q(id) "
            f"WHERE r.consultation_id = {int(consultation.pk)}",
            {"response_id": "r.id", "question_id": "q.id", "moderation": "'pending'"},
        )
        step = timed("answers", step)
        # One option per answer, skewed towards the first ones; a second one for 30% of the multiple-choice
        # answers; a first and a second place for ranking answers (only first places are counted).
        answer_table = connection.ops.quote_name(Answer._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH opts AS (
                    SELECT question_id, array_agg(id ORDER BY "order", id) AS ids
                    FROM {connection.ops.quote_name(Option._meta.db_table)}
                    WHERE question_id IN ({question_ids}) GROUP BY question_id
                ), picked AS (
                    SELECT a.id AS answer_id, q.kind, o.ids, cardinality(o.ids) AS n,
                           1 + floor(cardinality(o.ids) * power(random(), 1.6))::int AS first,
                           1 + floor(random() * (cardinality(o.ids) - 1))::int AS shift,
                           random() AS coin
                    FROM {answer_table} AS a
                    JOIN {responses} AS r ON r.id = a.response_id
                    JOIN {connection.ops.quote_name(Question._meta.db_table)} AS q ON q.id = a.question_id
                    JOIN opts AS o ON o.question_id = a.question_id
                    WHERE r.consultation_id = %s
                )
                INSERT INTO {connection.ops.quote_name(AnswerOption._meta.db_table)} (answer_id, option_id, rank)
                SELECT p.answer_id, p.ids[c.position], c.rank
                FROM picked AS p
                CROSS JOIN LATERAL (VALUES
                    (p.first, CASE WHEN p.kind = 'ranking' THEN 1 END, true),
                    (((p.first - 1 + p.shift) %% p.n) + 1, CASE WHEN p.kind = 'ranking' THEN 2 END,
                     p.kind = 'ranking' OR (p.kind = 'multiple' AND p.coin < 0.3))
                ) AS c(position, rank, keep)
                WHERE c.keep
                """,
                [consultation.pk],
            )
            answer_options = cursor.rowcount
        step = timed("answer options", step)
        # Three in-person dialogues with counts for every option, as staff would record them.
        dialogues = [
            Dialogue.objects.create(
                consultation=consultation,
                starts_at=now - timezone.timedelta(days=60 - i),
                ends_at=now - timezone.timedelta(days=60 - i, hours=-2),
                place="Sede comunitaria",
                region=region,
                commune="Santiago",
                **_tr("title", f"Diálogo {i + 1}"),
            )
            for i, region in enumerate(regions[:3])
        ]
        options = list(Option.objects.filter(question__in=questions))
        DialogueOptionCount.objects.bulk_create(
            DialogueOptionCount(dialogue=d, option=o, count=(d.pk * 7 + o.pk * 13) % 40)
            for d in dialogues
            for o in options
        )
        DialogueAttendance.objects.bulk_create(
            DialogueAttendance(dialogue=d, attribute="total", category="all", count=45) for d in dialogues
        )
        step = time.perf_counter()
    step = timed("commit", step)
    with connection.cursor() as cursor:
        for model in (Participant, Response, Answer, AnswerOption):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    timed("analyze", step)
    return {
        "slug": RESULTS_SLUG,
        "consultation": consultation.pk,
        "responses": count,
        "questions": n_questions,
        "answers": answers,
        "answer_options": answer_options,
        "seconds": time.perf_counter() - started,
        "steps": timings,
    }


def raw_results_sql() -> str:
    """What the results come down to: chosen options of submitted responses, by option and channel."""
    from django.db import connection

    from consultations.models import Answer, AnswerOption, Response

    quote = connection.ops.quote_name
    return (
        f"SELECT ao.option_id, r.channel, COUNT(*) "
        f"FROM {quote(AnswerOption._meta.db_table)} AS ao "
        f"JOIN {quote(Answer._meta.db_table)} AS a ON a.id = ao.answer_id "
        f"JOIN {quote(Response._meta.db_table)} AS r ON r.id = a.response_id "
        "WHERE r.consultation_id = %s AND r.status = 'submitted' AND (ao.rank IS NULL OR ao.rank = 1) "
        "GROUP BY ao.option_id, r.channel"
    )


def measure_aggregate() -> dict:
    from django.db import connection

    from consultations.models import Consultation
    from consultations.results import consultation_results, published_results

    consultation = Consultation.objects.get(slug=RESULTS_SLUG)
    raw_sql = raw_results_sql()

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(raw_sql, [consultation.pk])
            cursor.fetchall()

    # The first call in this fresh process: nothing of the selector's is cached anywhere.
    started = time.perf_counter()
    queries: list[tuple[str, float]] = []

    def record(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((sql, time.perf_counter() - began))

    with connection.execute_wrapper(record):
        consultation_results(consultation)
    selector_first = time.perf_counter() - started
    breakdown = [(_describe(sql), seconds) for sql, seconds in queries]

    contenders = {
        "raw": raw,
        "selector": lambda: consultation_results(consultation),
        "published": lambda: published_results(consultation),
    }
    timings: dict[str, list[float]] = {name: [] for name in contenders}
    raw()  # the raw query's own first call, unmeasured, as the selector's first call was measured apart
    for _repeat in range(REPEATS):
        for name, function in contenders.items():
            began = time.perf_counter()
            function()
            timings[name].append(time.perf_counter() - began)
    return {"selector_first": selector_first, "breakdown": breakdown, **timings}


def _describe(sql: str) -> str:
    """A query in a few words, for the log: its table and what it groups by."""
    tables = re.findall(r'FROM "([a-z_]+)"', sql)
    grouped = re.search(r"GROUP BY (.{0,80})", sql)
    return f"{tables[0] if tables else '?'}" + (f" GROUP BY {grouped.group(1)}" if grouped else "")


def _bench_staff():
    from participants.models import User

    user, _created = User.objects.get_or_create(
        email=f"reports@{MARKER}.invalid", defaults={"is_staff": True, "is_superuser": True}
    )
    return user


def measure_report(fmt: str) -> dict:
    from django.db import connection

    from consultations.models import Consultation
    from consultations.reports import CONSULTATION_RESULTS
    from engine.reports.services import report_job_build, report_job_start

    consultation = Consultation.objects.get(slug=RESULTS_SLUG)
    staff = _bench_staff()
    # What the process holds before the build: Django, the apps, the renderer's libraries imported.
    if fmt == "pdf":
        import weasyprint  # noqa: F401
    else:
        import openpyxl  # noqa: F401
    baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    job = report_job_start(
        kind=CONSULTATION_RESULTS,
        requested_by=staff,
        parameters={"consultation": consultation.pk},
        format=fmt,
        enqueue_build=False,
    )
    queries: list[float] = []

    def record(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(time.perf_counter() - began)

    started = time.perf_counter()
    with connection.execute_wrapper(record):
        built = report_job_build(job_id=job.pk, notify_requester=False)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if built is None or built.status != "done":
        raise RuntimeError(f"report job {job.pk} did not finish: {getattr(built, 'error', 'not claimed')}")
    return {
        "format": fmt,
        "seconds": seconds,
        "data_seconds": sum(queries),
        "bytes": built.file.size,
        "peak_mb": peak_mb,
        "baseline_mb": baseline_mb,
    }


def cleanup_results() -> dict:
    """Plain DELETEs for the millions of rows (the ORM would load them all to cascade), then the ORM."""
    from django.db import connection, transaction

    from consultations.models import Answer, AnswerOption, Consultation, Response
    from consultations.reports import CONSULTATION_RESULTS
    from engine.models import ReportJob
    from participants.models import Participant, User

    started = time.perf_counter()
    quote = connection.ops.quote_name
    with transaction.atomic():
        _skip_foreign_key_triggers()
        for consultation in Consultation.objects.filter(slug=RESULTS_SLUG):
            responses = f"SELECT id FROM {quote(Response._meta.db_table)} WHERE consultation_id = %s"
            answers = f"SELECT id FROM {quote(Answer._meta.db_table)} WHERE response_id IN ({responses})"
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {quote(AnswerOption._meta.db_table)} WHERE answer_id IN ({answers})",
                    [consultation.pk],
                )
                cursor.execute(
                    f"DELETE FROM {quote(Answer._meta.db_table)} WHERE response_id IN ({responses})",
                    [consultation.pk],
                )
                cursor.execute(
                    f"DELETE FROM {quote(Response._meta.db_table)} WHERE consultation_id = %s",
                    [consultation.pk],
                )
            ReportJob.objects.filter(
                kind=CONSULTATION_RESULTS, parameters__consultation=consultation.pk
            ).delete()
            consultation.delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {quote(Participant._meta.db_table)} WHERE commune = %s AND user_id IS NULL",
                [MARKER],
            )
        User.objects.filter(email=f"reports@{MARKER}.invalid").delete()
    deleted = time.perf_counter()
    vacuum(AnswerOption, Answer, Response, Participant)  # between measurements, not during the respondents
    return {"seconds": time.perf_counter() - started, "vacuum_seconds": time.perf_counter() - deleted}


def setup_respondents(count: int) -> dict:
    """An open consultation with a short questionnaire, and ``count`` users each with a live session."""
    from importlib import import_module

    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from consultations.forms import field_name
    from consultations.models import Consultation, Modality, Option, Question, Section
    from participants.models import User

    now = timezone.now()
    with transaction.atomic():
        consultation = Consultation.objects.create(
            slug=RESPONDENTS_SLUG,
            modality=Modality.VIRTUAL,
            announced_at=now - timezone.timedelta(days=2),
            opens_at=now - timezone.timedelta(days=1),
            closes_at=now + timezone.timedelta(days=1),
            is_published=True,
            last_notified_phase="open",
            **_tr("title", "Consulta del bench: respuestas simultáneas"),
            **_tr("summary", "Un cuestionario corto para medir el envío de respuestas."),
        )
        layout = [
            [("single", True, 4), ("multiple", False, 4)],
            [("scale", True, 5), ("short_text", False, 0)],
        ]
        sections = []
        for number, questions in enumerate(layout, start=1):
            section = Section.objects.create(
                consultation=consultation, order=number, **_tr("title", f"Parte {number}")
            )
            fields = []
            for order, (kind, required, n_options) in enumerate(questions, start=1):
                question = Question.objects.create(
                    section=section,
                    order=order,
                    kind=kind,
                    required=required,
                    **_tr("text", f"Pregunta {number}.{order}"),
                )
                options = Option.objects.bulk_create(
                    Option(question=question, order=i, **_tr("text", f"Opción {i + 1}"))
                    for i in range(n_options)
                )
                fields.append(
                    {"field": field_name(question), "kind": kind, "options": [o.pk for o in options]}
                )
            sections.append(fields)
        users = User.objects.bulk_create(
            User(email=f"respondent{i}@{MARKER}.invalid", password=make_password(None)) for i in range(count)
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
        )
        store = import_module(settings.SESSION_ENGINE).SessionStore
        sessions = []
        for user in users:
            session = store()
            session[SESSION_KEY] = user._meta.pk.value_to_string(user)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            sessions.append(session.session_key)
    return {"slug": RESPONDENTS_SLUG, "sections": sections, "sessions": sessions}


def check_respondents(count: int) -> dict:
    from consultations.models import Answer, Consultation, Response

    consultation = Consultation.objects.get(slug=RESPONDENTS_SLUG)
    submitted = Response.objects.submitted().filter(consultation=consultation)
    return {
        "expected": count,
        "submitted": submitted.count(),
        "responses": Response.objects.filter(consultation=consultation).count(),
        "answers": Answer.objects.filter(response__consultation=consultation).count(),
    }


def cleanup_respondents() -> dict:
    from django.contrib.sessions.models import Session
    from django.db import transaction

    from consultations.models import Consultation, Response
    from engine.models import Notification
    from participants.models import Participant, User

    with transaction.atomic():
        users = User.objects.filter(email__endswith=f"@{MARKER}.invalid").exclude(
            email=f"reports@{MARKER}.invalid"
        )
        Response.objects.filter(consultation__slug=RESPONDENTS_SLUG).delete()
        Consultation.objects.filter(slug=RESPONDENTS_SLUG).delete()
        Notification.objects.filter(recipient__in=users).delete()
        user_ids = {str(pk) for pk in users.values_list("pk", flat=True)}
        stale = [s.pk for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") in user_ids]
        Session.objects.filter(pk__in=stale).delete()
        participants = Participant.objects.filter(user__in=users)
        deleted_participants = participants.delete()[0]
        deleted_users = users.delete()[0]
    return {"participants": deleted_participants, "users": deleted_users}


def main() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sermig_portal.settings.production")
    django.setup()
    what, args = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    measures = {
        "setup-results": setup_results,
        "aggregate": measure_aggregate,
        "report": lambda: measure_report(args[0]),
        "cleanup-results": cleanup_results,
        "setup-respondents": lambda: setup_respondents(int(args[0])),
        "check-respondents": lambda: check_respondents(int(args[0])),
        "cleanup-respondents": cleanup_respondents,
    }
    if what not in measures:
        print(f"usage: consultations_bench.py {{{'|'.join(measures)}}} [argument]", file=sys.stderr)
        return 2
    print("RESULT " + json.dumps(measures[what](), default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
