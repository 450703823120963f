"""The portal's performance bench: ``make bench`` (``.venv/bin/python bench/run.py``).

It prepares a throw-away PostgreSQL database and Redis db, starts gunicorn with production settings and
runs each *section*. A section is a function that takes the running :class:`Bench` and returns table
rows; every row carries its ratio to a baseline measured in the same run and, when DESIGN.md sets one,
its budget. One table is printed and written to ``bench/results/latest.json``. The exit status is 1 when
any measured request failed, 2 when the bench could not set up, 3 when a budget was missed and 4 when no
budget was missed but a row was too noisy to judge ("noisy, rerun"). See ``bench/README.md``.
"""

import json
import os
import platform
import signal
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import redis

# The other bench modules: bench/ is first on sys.path when this file runs as a script.
from common import (
    BARE_VIEW,
    CSRF_COOKIE,
    GUNICORN_WORKERS,
    NOISE_LIMIT,
    NOISY,
    ROOT,
    Bench,
    Budget,
    Config,
    Row,
    Section,
    SetupError,
    celery_worker,
    child_env,
    free_port,
    gunicorn,
    log,
    measured_row,
    prepare,
    reset_stores,
    run_child,
    signed_in_cookies,
    timed_row,
)
from consultations_bench import consultations_sections
from cosoc_bench import cosoc_sections
from engine_bench import engine_sections
from load import Target
from public_accounts_bench import public_accounts_sections
from search_bench import search_sections
from transparency_bench import transparency_sections

RESULTS_DIR = ROOT / "bench" / "results"


# --- Sections -----------------------------------------------------------------------------------------

ANONYMOUS_PAGES = ["/", "/ht/", "/informacion/", "/cosoc/", "/cuenta-publica/", "/consultas/", "/salud/"]
# DESIGN.md §7: anonymous public pages >= 50% of a bare Django view's throughput under the same gunicorn.
PAGE_BUDGET = Budget(0.50)


def anonymous_pages(bench: Bench) -> list[Row]:
    """Each anonymous page's throughput as a share of the bare view's, under the same gunicorn."""
    title = "anonymous pages"
    measurements = bench.load([BARE_VIEW, *ANONYMOUS_PAGES])
    baseline = measurements[BARE_VIEW].requests_per_second
    return [
        measured_row(title, f"{path} (baseline)", measurement, baseline)
        if path == BARE_VIEW
        else measured_row(title, path, measurement, baseline, PAGE_BUDGET)
        for path, measurement in measurements.items()
    ]


# DESIGN.md §7: a browser carrying a cookie or arriving with a tracking parameter still gets the cached page
# (>= 80% of the bare view); a signed-in reader's home, list and detail pages render at >= 25%.
CACHED_BUDGET = Budget(0.80)
SIGNED_IN_BUDGET = Budget(0.25)
# What a browser has after visiting a form and an analytics script: neither may bypass the page cache.
BROWSER_COOKIES = {**CSRF_COOKIE, "_ga": "GA1.2.123456789.1700000000", "django_language": "es"}


def visitors(bench: Bench) -> list[Row]:
    """The home, the consultations index and a consultation as real visitors reach them: a browser with
    cookies, a click from social media (a new ``?fbclid=`` every time) and a signed-in reader."""
    title = "pages as visitors reach them"
    reader = run_child(bench, "pages_measures", "reader")
    signed_in = signed_in_cookies(reader["session"])
    targets: list[Target] = [Target(BARE_VIEW, BARE_VIEW)]
    budgets: dict[str, Budget] = {}
    for path in ("/", "/consultas/", reader["detail"]):
        for label, target, budget in (
            (f"{path} with cookies", Target(f"{path} with cookies", path, BROWSER_COOKIES), CACHED_BUDGET),
            (f"{path}?fbclid=…", Target(f"{path}?fbclid=…", path, unique="fbclid"), CACHED_BUDGET),
            (f"{path} signed in", Target(f"{path} signed in", path, signed_in), SIGNED_IN_BUDGET),
        ):
            targets.append(target)
            budgets[label] = budget
    measurements = bench.load(targets)
    baseline = measurements[BARE_VIEW].requests_per_second
    return [
        measured_row(title, f"{label} (baseline)", measurement, baseline)
        if label == BARE_VIEW
        else measured_row(title, label, measurement, baseline, budgets[label])
        for label, measurement in measurements.items()
    ]


# DESIGN.md §7: lists paginated and constant in time from 10x to 100x the demo data (within 1.3x).
SCALE_BUDGET = Budget(1.3, at_least=False)


def lists_at_scale(bench: Bench) -> list[Row]:
    """In-process, signed in, every list rendered (no page or fragment cache): 100x against 10x the demo data."""
    title = "lists at 10x and 100x the demo data (in-process, signed in)"
    try:
        result = run_child(bench, "pages_measures", "scale")
    finally:
        run_child(bench, "pages_measures", "scale-cleanup")
    rows = []
    for path in result["paths"]:
        ten, hundred = result["10x"][path], result["100x"][path]
        # A feed is not paginated: it is bounded (the past year and what is planned, at most 500 events), so it
        # grows up to its bound; its row is shown without the pages' budget.
        feed = path.endswith(".ics")
        rows.append(timed_row(title, f"{path} at 10x", ten))
        rows.append(
            timed_row(
                title,
                f"{path} at 100x (ratio to 10x){', bounded feed' if feed else ''}",
                hundred,
                statistics.median(hundred) / statistics.median(ten),
                None if feed else SCALE_BUDGET,
            )
        )
    return rows


# Later benches (disaggregating 1,000,000 synthetic participants against a raw SQL GROUP BY, consultation
# results) are further sections: a function returning rows, with their ratio and budget, appended here.
SECTIONS: list[Section] = [
    Section("anonymous pages", anonymous_pages),
    Section("pages as visitors reach them", visitors),
    Section("lists at 10x and 100x the demo data", lists_at_scale),
]
SECTIONS += engine_sections()  # bench/engine_bench.py
SECTIONS += consultations_sections()  # bench/consultations_bench.py
SECTIONS += search_sections()  # bench/search_bench.py
SECTIONS += transparency_sections()  # bench/transparency_bench.py
SECTIONS += cosoc_sections()  # bench/cosoc_bench.py
SECTIONS += public_accounts_sections()  # bench/public_accounts_bench.py


def selected_sections(only: str) -> list[Section]:
    """``BENCH_ONLY`` (comma-separated words) keeps the sections whose title contains one of them."""
    words = [word.strip().lower() for word in only.split(",") if word.strip()]
    if not words:
        return SECTIONS
    chosen = [section for section in SECTIONS if any(word in section.title.lower() for word in words)]
    if not chosen:
        titles = ", ".join(section.title for section in SECTIONS)
        raise SetupError(f"BENCH_ONLY={only!r} matches no section (sections: {titles})")
    return chosen


# --- Table ---------------------------------------------------------------------------------------------

COLUMNS = ("section", "target", "req/s", "noise", "p50 ms", "p99 ms", "errors", "ratio", "budget", "verdict")
NUMERIC_COLUMNS = frozenset({2, 3, 4, 5, 6, 7})


def _cell(value: float | None, template: str) -> str:
    return "-" if value is None else template.format(value)


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table, so the output can be pasted into bench/README.md as is."""
    cells = [
        (
            row.section,
            f"`{row.target}`",
            _cell(row.requests_per_second, "{:.1f}"),
            _cell(row.noise, "{:.0%}"),
            f"{row.p50_ms:.2f}",
            f"{row.p99_ms:.2f}",
            str(row.errors),
            _cell(row.ratio, "{:.2f}"),
            "-" if row.budget is None else str(row.budget),
            row.verdict,
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [COLUMNS, *cells]) for i in range(len(COLUMNS))]

    def line(values: tuple[str, ...]) -> str:
        padded = (
            value.rjust(width) if i in NUMERIC_COLUMNS else value.ljust(width)
            for i, (value, width) in enumerate(zip(values, widths, strict=True))
        )
        return "| " + " | ".join(padded) + " |"

    rule = "|".join(
        "-" * (width + 1) + ":" if i in NUMERIC_COLUMNS else "-" * (width + 2)
        for i, width in enumerate(widths)
    )
    return "\n".join([line(COLUMNS), f"|{rule}|", *(line(values) for values in cells)])


def write_json(rows: list[Row], config: Config, load_before: tuple[float, float, float], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            # Other work on the machine shows here, and in each row's noise.
            "load_average_before": [round(value, 2) for value in load_before],
            "load_average_after": [round(value, 2) for value in os.getloadavg()],
        },
        "config": {
            "seconds": config.seconds,
            "concurrency": config.concurrency,
            "warmup": config.warmup,
            "rounds": config.rounds,
            "max_requests": config.max_requests,
            "gunicorn_workers": GUNICORN_WORKERS,
        },
        "rows": [row.as_json() for row in rows],
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# --- Main ----------------------------------------------------------------------------------------------


def _exit_on_sigterm(signum: int, _frame: object) -> None:
    # SystemExit unwinds through the `finally` that stops gunicorn; the default action would orphan it.
    raise SystemExit(128 + signum)


def main() -> int:
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    started = time.monotonic()
    rows: list[Row] = []
    try:
        config = Config.from_env()
        env = child_env()
        sections = selected_sections(os.environ.get("BENCH_ONLY", ""))
        log(
            f"bench: {config.seconds:g} s per target after {config.warmup:g} s warm-up, "
            f"concurrency {config.concurrency}, gunicorn {GUNICORN_WORKERS} workers, {os.cpu_count()} CPUs"
        )
        load_before = os.getloadavg()
        if load_before[0] > (os.cpu_count() or 1):
            log(f"warning: load average {load_before[0]:.1f} before the bench; figures will be noisy")
        reset_stores()
        prepare(env)
        port = free_port()
        with (
            gunicorn(env, port, RESULTS_DIR / "gunicorn.log"),
            celery_worker(env, RESULTS_DIR / "celery.log"),
        ):
            bench = Bench(config=config, env=env, port=port)
            for section in sections:
                log(f"== {section.title}")
                rows.extend(section.run(bench))
    except (SetupError, psycopg.Error, redis.RedisError) as error:
        log(f"bench setup failed: {error}")
        return 2

    print(table(rows))
    write_json(rows, config, load_before, RESULTS_DIR / "latest.json")
    log(f"written {RESULTS_DIR / 'latest.json'} in {time.monotonic() - started:.0f} s")
    failed = [row for row in rows if row.errors]
    if failed:
        log("requests failed on: " + ", ".join(row.target for row in failed))
        return 1
    missed = [row for row in rows if row.missed]
    if missed:
        log("budget missed by: " + ", ".join(row.target for row in missed))
        return 3
    noisy = [row for row in rows if row.verdict == NOISY]
    if noisy:
        log(
            f"too noisy to judge (noise above {NOISE_LIMIT:.0%}), rerun on a quieter machine: "
            + ", ".join(row.target for row in noisy)
        )
        return 4
    return 0


if __name__ == "__main__":
    sys.exit(main())
