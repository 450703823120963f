"""The portal's performance bench: ``make bench`` (``.venv/bin/python bench/run.py``).

It prepares a throw-away PostgreSQL database and Redis db, starts gunicorn with production settings and
runs each *section*. A section is a function that takes the running :class:`Bench` and returns table
rows; every row carries its ratio to a baseline measured in the same run and, when DESIGN.md sets one,
its budget. One table is printed and written to ``bench/results/latest.json``. The exit status is 1 when
any measured request failed, 2 when the bench could not set up. See ``bench/README.md``.
"""

import json
import os
import platform
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import redis

# The other bench modules: bench/ is first on sys.path when this file runs as a script.
from common import (
    BARE_VIEW,
    GUNICORN_WORKERS,
    ROOT,
    Bench,
    Budget,
    Config,
    Row,
    Section,
    SetupError,
    child_env,
    free_port,
    gunicorn,
    log,
    measured_row,
    prepare,
    reset_stores,
)
from consultations_bench import consultations_sections
from cosoc_bench import cosoc_sections
from engine_bench import engine_sections
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


# Later benches (disaggregating 1,000,000 synthetic participants against a raw SQL GROUP BY, consultation
# results) are further sections: a function returning rows, with their ratio and budget, appended here.
SECTIONS: list[Section] = [Section("anonymous pages", anonymous_pages)]
SECTIONS += engine_sections()  # bench/engine_bench.py
SECTIONS += consultations_sections()  # bench/consultations_bench.py
SECTIONS += search_sections()  # bench/search_bench.py
SECTIONS += transparency_sections()  # bench/transparency_bench.py
SECTIONS += cosoc_sections()  # bench/cosoc_bench.py


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
        with gunicorn(env, port, RESULTS_DIR / "gunicorn.log"):
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
