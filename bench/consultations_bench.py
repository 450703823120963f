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
   from the shared page cache once warm) and signed in (never the page cache: the last computed copy of the
   results, from the shared cache), in as many rounds as the other sections (``BENCH_ROUNDS``, 1 s slices of
   ``BENCH_PAGE_SECONDS`` in all by default), so a burst of other work on the machine moves a round, not the
   median; a 60 s timeout. Budgets: ≥ 0.50 of the bare view anonymous, ≥ 0.25 signed in.
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
Measuring and data happen in child processes (``python bench/child.py consultations_measures <what>``, the
functions of ``consultations_measures.py``) with the bench's environment, which print one ``RESULT {json}`` line. The synthetic consultations, users and
participants are deleted afterwards, so later sections see the demo data only.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass

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
    knob,
    log,
    measured_row,
    run_child,
    signed_in_cookies,
    timed_row,
    timed_rows_against,
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
RESPONDENT_P95_FACTOR = 10.0  # p95 of each step over the bare view's p95 at the same concurrency
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
                raise SetupError(f"BENCH_CONSULTATIONS: unknown {unknown}; choose from {', '.join(SECTIONS)}")
        return cls(
            responses=knob("BENCH_RESPONSES", 100000, 1, 1_000_000),
            questions=knob("BENCH_QUESTIONS", 20, 1, 100),
            respondents=knob("BENCH_RESPONDENTS", 50, 1, 200),
            respondent_rounds=knob("BENCH_RESPONDENT_ROUNDS", 3, 1, 10),
            page_seconds=knob("BENCH_PAGE_SECONDS", 10.0, 1.0, 300.0),
            page_concurrency=knob("BENCH_PAGE_CONCURRENCY", 2, 1, 64),
            sections=tuple(name for name in SECTIONS if name in sections),
        )


# --- Sections (run in bench/run.py's process) ----------------------------------------------------------


def consultations_sections() -> list[Section]:
    """The sections ``BENCH_CONSULTATIONS`` picks, in their order; a bad knob stops the bench (exit 2)."""
    try:
        knobs = Knobs.from_env()
    except SetupError as error:
        log(f"bench setup failed: {error}")
        raise SystemExit(2) from error
    data_sections = [name for name in knobs.sections if name in DATA_SECTIONS]
    state: dict = {}

    def child(bench: Bench, what: str, *args: str) -> dict:
        return run_child(bench, "consultations_measures", what, *args)

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
        return timed_rows_against(
            title,
            ("raw SQL GROUP BY option x channel (baseline)", result["raw"]),
            {
                "consultation_results(), first call in a fresh process": [result["selector_first"]],
                "consultation_results()": result["selector"],
                "published_results() with suppression": result["published"],
            },
            Budget(3.0, at_least=False),
        )

    # 2. The results page under load, against the bare view, and the stampede after a change.
    def page(bench, data: dict) -> list:
        path = f"/consultas/{data['slug']}/resultados/"
        config = bench.config
        concurrency = knobs.page_concurrency
        rounds = config.rounds
        title = f"results page ({size(data)}), {concurrency} clients"
        reader = run_child(bench, "pages_measures", "reader")
        signed_in = signed_in_cookies(reader["session"])
        waited = _wait_for_results(bench.port, path, signed_in)
        log(f"  first copy of the results computed by the worker in {waited:.1f} s (a cold start)")
        anonymous, session = f"{path} anonymous (page cache)", f"{path} signed in"
        page_slice = knobs.page_seconds / rounds
        targets = {
            BARE_VIEW: (config.seconds / config.rounds, 10.0, None),
            anonymous: (page_slice, PAGE_TIMEOUT, None),
            # Signed in: never the page cache; the last computed copy of the results, from the shared cache.
            session: (page_slice, PAGE_TIMEOUT, signed_in),
        }
        cap = max(1, config.max_requests // rounds)

        def run(target: str, seconds: float, max_requests: int):
            # One client for every target (the bare view's too), so the ratio is the server's alone.
            _slice, timeout, cookies = targets[target]
            return run_load(
                HOST,
                bench.port,
                BARE_VIEW if target == BARE_VIEW else path,
                seconds=seconds,
                concurrency=concurrency,
                max_requests=max_requests,
                timeout=timeout,
                cookies=cookies,
            )

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
            budget = {anonymous: Budget(0.50), session: Budget(0.25)}.get(target)
            rows.append(
                measured_row(
                    title, f"{target} (baseline)" if is_baseline else target, measurement, baseline, budget
                )
            )
        rows += _stampede(bench, path, signed_in, size(data))
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
                submits = sorted(ms for kind, ms, _p in round_records if kind == "post review")
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
        title = f"{n} concurrent respondents x {rounds} rounds, 20 questions in 4 sections"
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
        bare_p95 = percentile(baseline.latencies_ms, 0.95)
        steps = list(dict.fromkeys(kind for kind, _ms, _problem in records))
        labels = {
            "detail": "GET the consultation",
            "get 1": "GET section 1 (CSRF token)",
            "get review": "GET the review",
            "post review": "POST the review (submit)",
            "get thanks": "GET the thank-you page",
        }
        for kind in [*steps, None]:
            chosen = [(ms, problem) for k, ms, problem in records if kind is None or k == kind]
            latencies = sorted(ms for ms, _problem in chosen)
            errors = sum(1 for _ms, problem in chosen if problem) + (
                missing if kind in ("post review", None) else 0
            )
            p95 = percentile(latencies, 0.95)
            label = (
                "every request of the journeys"
                if kind is None
                else labels.get(kind, kind.replace("get", "GET section").replace("post", "POST section"))
            )
            rows.append(
                Row(
                    section=title,
                    target=f"{label}, p95 {p95:.0f} ms",
                    requests_per_second=len(latencies) / seconds,
                    p50_ms=percentile(latencies, 0.5),
                    p99_ms=percentile(latencies, 0.99),
                    errors=errors,
                    requests=len(latencies),
                    # DESIGN.md §7: p95 of every step <= 10x the bare view's p95 at the same concurrency.
                    ratio=p95 / bare_p95 if bare_p95 else None,
                    budget=Budget(RESPONDENT_P95_FACTOR, at_least=False),
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


# --- The stampede (run.py's process) -------------------------------------------------------------------

STAMPEDE_READERS = 8
STAMPEDE_WAIT_MS = 1000.0  # no reader waits more than 1 s (DESIGN.md §7)
STAMPEDE_P99_FACTOR = 10.0  # the bare view's p99 during it stays under 10x its idle p99
COMPUTING = b"Estamos calculando los resultados"


def _wait_for_results(port: int, path: str, cookies: dict[str, str], timeout: float = 600) -> float:
    """The first reader asks for the first copy; the worker computes it. Seconds until a reader gets it."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        status, _headers, body = _request(port, "GET", path, cookies)
        if status == 200 and COMPUTING not in body:
            return time.perf_counter() - started
        time.sleep(1)
    raise SetupError(f"{path}: no computed results after {timeout:.0f} s (is the celery worker running?)")


def _stampede(bench: Bench, path: str, cookies: dict[str, str], size: str) -> list[Row]:
    """8 signed-in readers at once right after a change, while the worker computes the results again, and the
    bare view under load meanwhile: the slowest reader, and the bare view's p99 against its idle p99."""
    title = f"stampede: {STAMPEDE_READERS} readers right after a change ({size})"
    idle = run_load(HOST, bench.port, BARE_VIEW, seconds=3, concurrency=2, max_requests=100_000)
    child = run_child(bench, "consultations_measures", "change-results")
    log(f"  change made (recompute asked: {child['asked']})")
    during: dict[str, LoadResult] = {}
    loader = threading.Thread(
        target=lambda: during.setdefault(
            "bare", run_load(HOST, bench.port, BARE_VIEW, seconds=8, concurrency=2, max_requests=100_000)
        ),
        daemon=True,
    )
    loader.start()
    barrier = threading.Barrier(STAMPEDE_READERS)
    waits: list[tuple[float, str]] = []
    lock = threading.Lock()

    def read() -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=30)
        started = time.perf_counter()
        try:
            status, _headers, body = _request(bench.port, "GET", path, cookies, timeout=PAGE_TIMEOUT)
            problem = "" if status == 200 else f"HTTP {status}"
            if not problem and COMPUTING in body:
                problem = "no copy of the results"
        except OSError as error:
            problem = f"{type(error).__name__}: {error}"
        with lock:
            waits.append(((time.perf_counter() - started) * 1000, problem))

    readers = [threading.Thread(target=read, daemon=True) for _ in range(STAMPEDE_READERS)]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join(timeout=PAGE_TIMEOUT + 35)
    loader.join(timeout=30)
    latencies = sorted(ms for ms, _problem in waits)
    problems = [problem for _ms, problem in waits if problem]
    for sample in dict.fromkeys(problems):
        log(f"    error: {sample}")
    worst = latencies[-1] if latencies else 0.0
    bare, idle_p99 = during["bare"], idle.p99_ms
    log(
        f"  readers {' '.join(f'{ms:.0f}' for ms in latencies)} ms; bare view p99 {idle_p99:.1f} ms idle, "
        f"{bare.p99_ms:.1f} ms during (max {max(bare.latencies_ms, default=0):.1f})"
    )
    return [
        Row(
            section=title,
            target=f"slowest of {STAMPEDE_READERS} signed-in readers (limit {STAMPEDE_WAIT_MS:.0f} ms)",
            requests_per_second=None,
            p50_ms=percentile(latencies, 0.5),
            p99_ms=worst,
            errors=len(problems),
            requests=len(latencies),
            ratio=worst / STAMPEDE_WAIT_MS,
            budget=Budget(1.0, at_least=False),
        ),
        Row(
            section=title,
            target=f"{BARE_VIEW} p99 during it over its idle p99 ({idle_p99:.1f} ms)",
            requests_per_second=bare.requests_per_second,
            p50_ms=bare.p50_ms,
            p99_ms=bare.p99_ms,
            errors=bare.errors,
            requests=bare.requests,
            ratio=bare.p99_ms / idle_p99 if idle_p99 else None,
            budget=Budget(STAMPEDE_P99_FACTOR, at_least=False),
        ),
    ]


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
        # As a browser: the consultation's page, its "answer" link, then every redirect followed by a GET.
        step("detail", "GET", base, expect=200)
        page = step("get 1", "GET", f"{base}responder/1/", expect=200)
        match = CSRF_INPUT.search(page)
        if not match or "csrftoken" not in cookies:
            kind, ms, problem = own[-1]
            own[-1] = (kind, ms, problem or "no CSRF token on the first section")
        else:
            token = match.group(1).decode("ascii")
            for number, section in enumerate(sections, start=1):
                last = number == len(sections)
                following = f"{base}revisar/" if last else f"{base}responder/{number + 1}/"
                form = [("csrfmiddlewaretoken", token), ("action", "next"), *_answers(section, index)]
                step(f"post {number}", "POST", f"{base}responder/{number}/", form, location=following)
                step("get review" if last else f"get {number + 1}", "GET", following, expect=200)
            profile = [
                ("csrfmiddlewaretoken", token),
                ("perfil-region", "CL-RM"),
                ("perfil-gender_identity", "woman" if index % 2 else "man"),
                ("perfil-consent_gender_identity", "on"),
            ]
            step("post review", "POST", f"{base}revisar/", profile, location=f"{base}gracias/")
            step("get thanks", "GET", f"{base}gracias/", expect=200)
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
        thread.join(timeout=60 + RESPONDENT_TIMEOUT * (2 * len(sections) + 4))
    return records, failed[0]
