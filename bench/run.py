"""The portal's performance bench: ``make bench`` (``.venv/bin/python bench/run.py``).

It prepares a throw-away PostgreSQL database and Redis db, starts gunicorn with production settings and
runs each *section*. A section is a function that takes the running :class:`Bench` and returns table
rows; every row carries its ratio to a baseline measured in the same run and, when DESIGN.md sets one,
its budget. One table is printed and written to ``bench/results/latest.json``. The exit status is 1 when
any measured request failed, 2 when the bench could not set up. See ``bench/README.md``.
"""

import json
import math
import os
import platform
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import psycopg
import redis

# bench/load.py: bench/ is first on sys.path when this file runs as a script.
from consultations_bench import consultations_sections
from engine_bench import engine_sections
from load import LoadResult, Target, combine, get, run_load
from psycopg import sql
from search_bench import search_sections

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
HOST = "127.0.0.1"

# Engineers sharing a machine give each run its own database and Redis db (BENCH_DATABASE, BENCH_REDIS_URL).
DB_NAME = os.environ.get("BENCH_DATABASE", "sermig_bench")
DB_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
GUNICORN_WORKERS = 2
MAX_SECONDS = 120
MAX_CONCURRENCY = 64
MAX_ROUNDS = 50
MAX_REQUESTS = 2_000_000


class SetupError(RuntimeError):
    """The bench could not prepare or start what it measures (exit status 2)."""


@dataclass(frozen=True)
class Config:
    seconds: float  # measured time per target, split over the rounds
    concurrency: int
    warmup: float  # per target, before its first round
    rounds: int
    max_requests: int  # per target

    @classmethod
    def from_env(cls) -> "Config":
        try:
            config = cls(
                seconds=float(os.environ.get("BENCH_SECONDS", "5")),
                concurrency=int(os.environ.get("BENCH_CONCURRENCY", "8")),
                warmup=float(os.environ.get("BENCH_WARMUP", "1")),
                rounds=int(os.environ.get("BENCH_ROUNDS", "10")),
                max_requests=int(os.environ.get("BENCH_MAX_REQUESTS", "200000")),
            )
        except ValueError as error:
            raise SetupError(f"a BENCH_* variable is not a number: {error}") from error
        # Bounds keep a typo from turning the bench into a long or unbounded load run.
        if not 0 < config.seconds <= MAX_SECONDS or not 0 <= config.warmup <= MAX_SECONDS:
            raise SetupError(f"BENCH_SECONDS and BENCH_WARMUP must be within 0..{MAX_SECONDS} s")
        if not 1 <= config.concurrency <= MAX_CONCURRENCY:
            raise SetupError(f"BENCH_CONCURRENCY must be within 1..{MAX_CONCURRENCY}")
        if not 1 <= config.rounds <= MAX_ROUNDS:
            raise SetupError(f"BENCH_ROUNDS must be within 1..{MAX_ROUNDS}")
        if not 1 <= config.max_requests <= MAX_REQUESTS:
            raise SetupError(f"BENCH_MAX_REQUESTS must be within 1..{MAX_REQUESTS}")
        return config


@dataclass(frozen=True)
class Budget:
    """A ratio to the section's baseline that a row must stay at or above (or at or below)."""

    limit: float
    at_least: bool = True

    def met(self, ratio: float) -> bool:
        return ratio >= self.limit if self.at_least else ratio <= self.limit

    def __str__(self) -> str:
        return f"{'>=' if self.at_least else '<='} {self.limit:.2f}"


@dataclass(frozen=True)
class Row:
    """One line of the table. Sections that time something other than HTTP fill what applies."""

    section: str
    target: str
    requests_per_second: float | None
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    noise: float | None = None  # interquartile range of the per-round figures over their median
    rounds: tuple[float, ...] = ()  # the per-round figures (req/s for HTTP targets)
    ratio: float | None = None
    budget: Budget | None = None

    @property
    def verdict(self) -> str:
        if self.budget is None or self.ratio is None:
            return "-"
        if self.budget.met(self.ratio):
            return "ok"
        return "below budget" if self.budget.at_least else "above budget"

    def as_json(self) -> dict[str, object]:
        return {
            "section": self.section,
            "target": self.target,
            "requests_per_second": _rounded(self.requests_per_second, 1),
            "p50_ms": round(self.p50_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
            "errors": self.errors,
            "requests": self.requests,
            "noise": _rounded(self.noise, 3),
            "rounds": [round(value, 1) for value in self.rounds],
            "ratio": _rounded(self.ratio, 3),
            "budget": None if self.budget is None else str(self.budget),
            "verdict": self.verdict,
        }


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


@dataclass(frozen=True)
class Measurement:
    """A target's rounds: their median rate, their noise, and everything else combined."""

    rounds: list[LoadResult]

    @cached_property
    def total(self) -> LoadResult:
        return combine(self.rounds)

    @property
    def rates(self) -> list[float]:
        return [result.requests_per_second for result in self.rounds]

    @cached_property
    def requests_per_second(self) -> float:
        """The median round: a burst of other work on the machine moves a round or two, not the median."""
        return statistics.median(self.rates)

    @cached_property
    def noise(self) -> float | None:
        """Interquartile range of the per-round rates over their median (None with fewer than 4 rounds)."""
        if len(self.rounds) < 4 or not self.requests_per_second:
            return None
        quartiles = statistics.quantiles(self.rates, n=4)
        return (quartiles[2] - quartiles[0]) / self.requests_per_second

    def row(self, section: str, target: str, baseline: float, budget: Budget | None = None) -> Row:
        """This target's line of the table, its ratio taken to the ``baseline`` rate of the same rounds."""
        total = self.total
        return Row(
            section=section,
            target=target,
            requests_per_second=self.requests_per_second,
            p50_ms=total.p50_ms,
            p99_ms=total.p99_ms,
            errors=total.errors,
            requests=total.requests,
            noise=self.noise,
            rounds=tuple(self.rates),
            ratio=self.requests_per_second / baseline if baseline else None,
            budget=budget,
        )


@dataclass(frozen=True)
class Bench:
    """What a section may use: the settings, the child environment and the running server."""

    config: Config
    env: dict[str, str]
    port: int

    def load(self, targets: list[str | Target]) -> dict[str, Measurement]:
        """Warm each target (a path, or a ``Target`` with cookies) up, then measure them in interleaved rounds;
        the measurements are keyed by path, or by the ``Target``'s label.

        Round-robin rounds (a 0.5 s slice of each target, ten times over, by default) give every target
        the same share of whatever else the machine is doing, so the ratios stay fair on a shared box.
        """
        config = self.config
        slice_seconds = config.seconds / config.rounds
        slice_cap = math.ceil(config.max_requests / config.rounds)
        targets = [target if isinstance(target, Target) else Target(target, target) for target in targets]
        for target in targets:
            if config.warmup > 0:
                self._run(target, config.warmup, config.max_requests)
        rounds: dict[str, list[LoadResult]] = {target.label: [] for target in targets}
        for _ in range(config.rounds):
            for target in targets:
                rounds[target.label].append(self._run(target, slice_seconds, slice_cap))
        measurements = {label: Measurement(results) for label, results in rounds.items()}
        for label, measurement in measurements.items():
            total = measurement.total
            log(
                f"  {label:<18} {measurement.requests_per_second:8.1f} req/s  p50 {total.p50_ms:6.2f} ms  "
                f"p99 {total.p99_ms:6.2f} ms  errors {total.errors}  client CPU {total.client_cpu:.2f} cores  "
                "rounds " + " ".join(f"{rate:.0f}" for rate in measurement.rates)
            )
            for sample in total.error_samples:
                log(f"    error: {sample}")
        return measurements

    def _run(self, target: Target, seconds: float, max_requests: int) -> LoadResult:
        return run_load(
            HOST,
            self.port,
            target.path,
            seconds=seconds,
            concurrency=self.config.concurrency,
            max_requests=max_requests,
            cookies=target.cookies,
        )

    def manage(self, *args: str) -> None:
        """A management command with the bench's environment (for sections that prepare data)."""
        manage(self.env, *args)


@dataclass(frozen=True)
class Section:
    title: str
    run: Callable[[Bench], list[Row]]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- Sections -----------------------------------------------------------------------------------------

BARE_VIEW = "/bench/ok/"
ANONYMOUS_PAGES = ["/", "/ht/", "/informacion/", "/cosoc/", "/cuenta-publica/", "/consultas/", "/salud/"]
# DESIGN.md §7: anonymous public pages >= 50% of a bare Django view's throughput under the same gunicorn.
PAGE_BUDGET = Budget(0.50)


def anonymous_pages(bench: Bench) -> list[Row]:
    """Each anonymous page's throughput as a share of the bare view's, under the same gunicorn."""
    title = "anonymous pages"
    measurements = bench.load([BARE_VIEW, *ANONYMOUS_PAGES])
    baseline = measurements[BARE_VIEW].requests_per_second
    return [
        measurements[BARE_VIEW].row(title, f"{BARE_VIEW} (baseline)", baseline),
        *(measurements[path].row(title, path, baseline, PAGE_BUDGET) for path in ANONYMOUS_PAGES),
    ]


# Later benches (disaggregating 1,000,000 synthetic participants against a raw SQL GROUP BY, consultation
# results) are further sections: a function returning rows, with their ratio and budget, appended here.
SECTIONS: list[Section] = [Section("anonymous pages", anonymous_pages)]
SECTIONS += engine_sections(Section=Section, Row=Row, Budget=Budget)  # bench/engine_bench.py
SECTIONS += consultations_sections(  # bench/consultations_bench.py
    Section=Section, Row=Row, Budget=Budget, SetupError=SetupError
)
SECTIONS += search_sections(
    Section=Section, Row=Row, Budget=Budget, SetupError=SetupError
)  # bench/search_bench.py


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


# --- Environment, database, server --------------------------------------------------------------------


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "sermig_portal.settings.production",
            "DATABASE_URL": DATABASE_URL,
            "REDIS_URL": REDIS_URL,
            "BENCH_VIEWS": "true",
            # token_urlsafe(48) is 64 characters; a fresh key per run, never stored.
            "SECRET_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def reset_stores() -> None:
    """A fresh bench database and an empty bench Redis db, so every run starts the same."""
    if not re.fullmatch(r"sermig_bench\w*", DB_NAME):
        raise SetupError(f"BENCH_DATABASE must start with sermig_bench (it is dropped): {DB_NAME!r}")
    with psycopg.connect(DB_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        name = sql.Identifier(DB_NAME)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5, socket_timeout=5)
    try:
        client.flushdb()
    finally:
        client.close()


def manage(env: dict[str, str], *args: str) -> None:
    log(f"$ manage.py {' '.join(args)}")
    completed = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if completed.returncode != 0:
        raise SetupError(
            f"manage.py {' '.join(args)} exited with {completed.returncode}:\n"
            f"{completed.stdout[-3000:]}{completed.stderr[-3000:]}"
        )


def prepare(env: dict[str, str]) -> None:
    manage(env, "migrate", "--noinput")
    manage(env, "compilemessages", "--ignore=.venv", "-v0")
    # WhiteNoise's manifest storage needs the collected files to render {% static %}.
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_demo_data", "--allow-without-debug")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], port: int, log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """gunicorn with production settings for the duration of the block; always stopped afterwards."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "sermig_portal.wsgi:application",
        "--workers",
        str(GUNICORN_WORKERS),
        "--bind",
        f"{HOST}:{port}",
        "--log-level",
        "warning",
    ]
    log(f"$ gunicorn --workers {GUNICORN_WORKERS} --bind {HOST}:{port}  (log: {log_path})")
    with log_path.open("wb") as server_log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(process, port, log_path)
            yield process
        finally:
            stop(process)


def wait_until_healthy(
    process: subprocess.Popen[bytes], port: int, log_path: Path, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SetupError(f"gunicorn exited with {process.returncode}:\n{tail(log_path)}")
        try:
            response = get(HOST, port, "/salud/", timeout=2)
        except OSError as error:
            last = str(error)
        else:
            if response.status == 200:
                return
            last = f"HTTP {response.status}: {response.body[:200]!r}"
        time.sleep(0.2)
    raise SetupError(f"/salud/ did not answer 200 within {timeout:.0f} s ({last}):\n{tail(log_path)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM lets the gunicorn master stop its workers; SIGKILL only if it does not within 20 s."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    log(f"gunicorn stopped (exit {process.returncode})")


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


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
