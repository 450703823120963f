"""What the bench's sections share; ``run.py``, ``engine_bench.py`` and ``consultations_bench.py`` import it.

- The run: :class:`Config` (the ``BENCH_*`` knobs), :class:`Bench` (what a section gets: the config, the
  child environment, the gunicorn port), :class:`Section`, :class:`Row`, :class:`Budget` and
  :class:`SetupError` (exit status 2).
- Measuring: :class:`Measurement` (median of the rounds, their noise), :func:`timed_row` for timings that
  are not HTTP, :func:`run_child` for a measurement in a fresh process with Django configured (``child.py``
  runs a function of ``engine_measures.py`` or ``consultations_measures.py`` there).
- The stores and the server: the bench's own database and Redis db (:func:`reset_stores`),
  :func:`prepare`, :func:`gunicorn`.
- In those child processes (Django configured): :func:`sql_pick`, :func:`insert_select`, :func:`vacuum`.

The bench's database is named after the work tree (``sermig_bench_<folder>``), so two checkouts of the
portal on one machine never drop each other's; ``BENCH_DATABASE`` and ``BENCH_REDIS_URL`` override it.
"""

import json
import math
import os
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
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import psycopg
import redis
from django.db import connection
from django.db.models import AutoField, BigAutoField, DateTimeField

# bench/load.py: bench/ is first on sys.path when a bench file runs as a script.
from load import LoadResult, Target, combine, get, run_load
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
# A browser's CSRF cookie as Django set it on its first page with a form (every signed-in page has the logout
# form): without it, each request of a signed-in reader would make a new secret and send it back.
CSRF_COOKIE = {"csrftoken": "k" * 32}
BARE_VIEW = "/bench/ok/"

# PostgreSQL names are at most 63 bytes; the folder's name keeps letters, digits and underscores.
_WORK_TREE = re.sub(r"[^a-z0-9]+", "_", ROOT.name.lower()).strip("_") or "portal"
DB_NAME = os.environ.get("BENCH_DATABASE") or f"sermig_bench_{_WORK_TREE}"[:63]
DB_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
REDIS_URL = os.environ.get("BENCH_REDIS_URL") or "redis://127.0.0.1:6379/15"
GUNICORN_WORKERS = 2
MAX_SECONDS = 120
MAX_CONCURRENCY = 64
MAX_ROUNDS = 50
MAX_REQUESTS = 2_000_000
# A row whose rounds spread more than this (interquartile range over the median) says nothing about its
# budget: its verdict is "noisy, rerun" instead of ok or a miss (BENCH_NOISE_LIMIT).
NOISE_LIMIT = float(os.environ.get("BENCH_NOISE_LIMIT") or 0.30)
NOISY = "noisy, rerun"


N = TypeVar("N", int, float)


class SetupError(RuntimeError):
    """The bench could not prepare or start what it measures (exit status 2)."""


def knob(name: str, default: N, low: N, high: N) -> N:
    """The ``BENCH_*`` variable ``name`` as a number of the default's type, within ``low..high``.

    The bounds keep a typo from turning the bench into a long or unbounded load run.
    """
    raw = os.environ.get(name)
    try:
        value = type(default)(raw) if raw is not None else default
    except ValueError as error:
        raise SetupError(f"{name} is not a number: {raw!r}") from error
    if not low <= value <= high:
        raise SetupError(f"{name} must be within {low}..{high}")
    return value


@dataclass(frozen=True)
class Config:
    seconds: float  # measured time per target, split over the rounds
    concurrency: int
    warmup: float  # per target, before its first round
    rounds: int
    max_requests: int  # per target

    @classmethod
    def from_env(cls) -> "Config":
        config = cls(
            seconds=knob("BENCH_SECONDS", 5.0, 0.0, MAX_SECONDS),
            concurrency=knob("BENCH_CONCURRENCY", 8, 1, MAX_CONCURRENCY),
            warmup=knob("BENCH_WARMUP", 1.0, 0.0, MAX_SECONDS),
            rounds=knob("BENCH_ROUNDS", 10, 1, MAX_ROUNDS),
            max_requests=knob("BENCH_MAX_REQUESTS", 200000, 1, MAX_REQUESTS),
        )
        if config.seconds == 0:
            raise SetupError("BENCH_SECONDS must be above 0")
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
        if self.noise is not None and self.noise > NOISE_LIMIT:
            return NOISY
        if self.budget.met(self.ratio):
            return "ok"
        return "below budget" if self.budget.at_least else "above budget"

    @property
    def missed(self) -> bool:
        return self.verdict in ("below budget", "above budget")

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


@dataclass(frozen=True)
class Bench:
    """What a section may use: the settings, the child environment and the running server."""

    config: Config
    env: dict[str, str]
    port: int

    def load(self, targets: list[str | Target]) -> dict[str, Measurement]:
        """Warm each target (a path, or a ``Target`` with cookies) up, then measure them in interleaved
        rounds; the measurements are keyed by path, or by the ``Target``'s label.

        Round-robin rounds (a 0.5 s slice of each target, ten times over, by default) give every target
        the same share of whatever else the machine is doing, so the ratios stay fair on a shared box.
        """
        config = self.config
        slice_seconds = config.seconds / config.rounds
        slice_cap = math.ceil(config.max_requests / config.rounds)
        chosen = [target if isinstance(target, Target) else Target(target, target) for target in targets]
        for target in chosen:
            if config.warmup > 0:
                self._run(target, config.warmup, config.max_requests)
        rounds: dict[str, list[LoadResult]] = {target.label: [] for target in chosen}
        for _ in range(config.rounds):
            for target in chosen:
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
            unique=target.unique,
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


def signed_in_cookies(session_key: str) -> dict[str, str]:
    """The cookies of a signed-in browser: its session, and the CSRF cookie its first page set."""
    return {"sessionid": session_key, **CSRF_COOKIE}


def timed_row(
    section: str,
    target: str,
    timings: list[float],
    ratio: float | None = None,
    budget: Budget | None = None,
    per_second: float | None = None,
) -> Row:
    """A row for something timed in seconds rather than loaded over HTTP: median and slowest, in ms."""
    return Row(
        section=section,
        target=target,
        requests_per_second=per_second,
        p50_ms=statistics.median(timings) * 1000,
        p99_ms=max(timings) * 1000,
        errors=0,
        requests=len(timings),
        rounds=tuple(round(t * 1000, 2) for t in timings),
        ratio=ratio,
        budget=budget,
    )


def timed_rows_against(
    section: str, baseline: tuple[str, list[float]], contenders: dict[str, list[float]], budget: Budget
) -> list[Row]:
    """The baseline's timed row, then one per contender with its median over the baseline's median."""
    target, timings = baseline
    median = statistics.median(timings)
    return [
        timed_row(section, target, timings),
        *(
            timed_row(section, name, seconds, statistics.median(seconds) / median, budget)
            for name, seconds in contenders.items()
        ),
    ]


def measured_row(
    section: str, target: str, measurement: Measurement, baseline: float, budget: Budget | None = None
) -> Row:
    """A row for an HTTP target: its median rate over the baseline's, latencies over every measured request."""
    total = measurement.total
    rate = measurement.requests_per_second
    return Row(
        section=section,
        target=target,
        requests_per_second=rate,
        p50_ms=total.p50_ms,
        p99_ms=total.p99_ms,
        errors=total.errors,
        requests=total.requests,
        noise=measurement.noise,
        rounds=tuple(measurement.rates),
        ratio=rate / baseline if baseline else None,
        budget=budget,
    )


def run_child(bench: Bench, module: str, what: str, *args: str, timeout: int = 3600) -> dict:
    """``MEASURES[what](*args)`` of the bench module ``module`` (``engine_measures``…) in a fresh
    ``python bench/child.py module what args…`` with the bench's environment; the JSON of its ``RESULT`` line.

    The child's own progress lines (stderr, indented by two spaces) are passed on to the log.
    """
    started = time.monotonic()
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "child.py"), module, what, *args],
        cwd=ROOT,
        env={**bench.env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    for line in completed.stderr.splitlines():
        if line.startswith("  "):
            log(line)
    for line in reversed(completed.stdout.splitlines()):
        if line.startswith("RESULT "):
            log(f"  ({what} {' '.join(args)}: {time.monotonic() - started:.1f} s)")
            return json.loads(line.removeprefix("RESULT "))
    raise SetupError(
        f"{module} {what} exited with {completed.returncode}:\n"
        f"{completed.stdout[-2000:]}{completed.stderr[-3000:]}"
    )


# --- The stores and the server ---------------------------------------------------------------------------


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
            "SITE_URL": f"http://{HOST}",  # production settings require it; the bench sends no email
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def reset_stores() -> None:
    """A fresh bench database and an empty bench Redis db, so every run starts the same."""
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


@contextmanager
def celery_worker(env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """One Celery worker process, as production runs beside gunicorn: the published results are computed
    there after each change (``consultations.results``); always stopped afterwards."""
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "sermig_portal",
        "worker",
        "--pool",
        "solo",
        "--loglevel",
        "warning",
    ]
    log(f"$ celery worker --pool solo  (log: {log_path})")
    with log_path.open("wb") as worker_log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=worker_log, stderr=subprocess.STDOUT)
        try:
            time.sleep(1)
            if process.poll() is not None:
                raise SetupError(f"the celery worker exited with {process.returncode}:\n{tail(log_path)}")
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
    log(
        f"{Path(str(process.args[2] if process.args[1] == '-m' else process.args[0])).name} stopped (exit {process.returncode})"
    )


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# --- In the child processes (Django configured) ------------------------------------------------------------


def sql_pick(values: list[str], weights: list[int] | None = None) -> str:
    """SQL choosing one of ``values`` at random per row, optionally weighted."""
    pool = [
        value
        for value, weight in zip(values, weights or [1] * len(values), strict=True)
        for _ in range(weight)
    ]
    literals = ", ".join("'" + value.replace("'", "''") + "'" for value in pool)
    return f"(ARRAY[{literals}])[1 + floor(random() * {len(pool)})::int]"


def insert_select(model, source: str, expressions: dict[str, str]) -> int:
    """INSERT … SELECT … FROM ``source``: given SQL per column, every other column from its model default.

    ``source`` is SQL such as ``generate_series(1, 1000) AS n``; returns the number of rows inserted.
    """
    columns, values, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.column in expressions:
            values.append(expressions[field.column])
        elif isinstance(field, AutoField | BigAutoField):
            continue
        elif field.null:
            values.append("NULL")
        elif isinstance(field, DateTimeField):
            values.append("now()")
        else:
            values.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection))
        columns.append(connection.ops.quote_name(field.column))
    statement = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {source}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def vacuum(*models) -> None:
    """``VACUUM (ANALYZE)`` the tables of a mass ``DELETE``, then ``CHECKPOINT``: otherwise their dead rows
    and dirty pages are cleaned and written during a later section's measurement (by autovacuum, or by the
    queries that run into them). Outside a transaction; the bench connects as the superuser."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
        cursor.execute("CHECKPOINT")
