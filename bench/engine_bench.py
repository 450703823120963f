"""Engine benches (issue 4): disaggregation and notification fan-out, each against raw SQL in the same run.

1. **Disaggregation.** 1,000,000 synthetic participants (inserted with one ``INSERT … SELECT`` over
   ``generate_series``) counted by gender identity × region through ``engine.reports.disaggregate`` — and
   through ``publish``, which adds small-cell suppression — against the bare ``SELECT … GROUP BY`` of the same
   rows. Repeats alternate between the contenders; the median is compared. Budget (DESIGN.md §7): ≤ 3×.
2. **Fan-out.** 100,000 followers of one mechanism: ``notify()`` writing their outbox rows (rows/s), against
   a raw ``INSERT … SELECT`` of the same rows; then claiming and rendering a batch of emails (rows/s).

``bench/run.py`` runs these as sections (``engine_sections``). The measuring happens in a child process
(``python bench/engine_bench.py <what>``) with the bench's environment, so Django is configured exactly as
under gunicorn; it prints one ``RESULT {json}`` line. The synthetic rows are deleted afterwards, so later
sections see the demo data only. Sizes: ``BENCH_PARTICIPANTS`` (1,000,000), ``BENCH_SUBSCRIBERS`` (100,000).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SYNTHETIC = "bench-synthetic"  # commune of synthetic participants; email domain of synthetic users
REPEATS = 5
ATTRIBUTES = ("gender_identity", "region")


# --- Sections (run in bench/run.py's process) ----------------------------------------------------------


def run_child(script: Path, bench, what: str, *args: str, error=RuntimeError, timeout: int = 1800) -> dict:
    """``python <script> what args…`` with the bench's environment; the ``RESULT {json}`` line it prints."""
    completed = subprocess.run(
        [sys.executable, str(script), what, *args],
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
    raise error(
        f"{script.name} {what} exited with {completed.returncode}:\n"
        f"{completed.stdout[-2000:]}{completed.stderr[-3000:]}"
    )


def _measure(bench, what: str) -> dict:
    return run_child(Path(__file__), bench, what)


def engine_sections(*, Section, Row, Budget) -> list:  # noqa: N803 (run.py's classes, passed in)
    """The engine's sections, built from run.py's own classes so this module never imports run.py."""

    def timed_row(section: str, target: str, timings: list[float], ratio=None, budget=None, per_second=None):
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

    def disaggregation(bench) -> list:
        result = _measure(bench, "disaggregation")
        title = f"disaggregation of {result['participants']:,} participants"
        raw = statistics.median(result["raw"])
        budget = Budget(3.0, at_least=False)
        return [
            timed_row(title, "raw SQL GROUP BY (baseline)", result["raw"]),
            timed_row(
                title,
                "disaggregate() " + " x ".join(ATTRIBUTES),
                result["selector"],
                statistics.median(result["selector"]) / raw,
                budget,
            ),
            timed_row(
                title,
                "publish(disaggregate()) with suppression",
                result["published"],
                statistics.median(result["published"]) / raw,
                budget,
            ),
        ]

    def fan_out(bench) -> list:
        result = _measure(bench, "fanout")
        title = f"fan-out to {result['subscribers']:,} subscribers (rows/s)"
        raw_rate = result["subscribers"] / result["raw"]
        notify_rate = result["subscribers"] / result["notify"]
        return [
            timed_row(title, "raw INSERT ... SELECT (baseline)", [result["raw"]], per_second=raw_rate),
            timed_row(
                title,
                "notify() outbox rows",
                [result["notify"]],
                raw_rate / notify_rate,
                per_second=notify_rate,
            ),
            timed_row(
                title,
                f"claim + render + send {result['sent']:,} emails (locmem)",
                [result["send"]],
                per_second=result["sent"] / result["send"],
            ),
        ]

    return [
        Section("engine: disaggregation", disaggregation),
        Section("engine: notification fan-out", fan_out),
    ]


# --- Measuring (child process, Django configured) ----------------------------------------------------------


def _insert_select(model, count: int, expressions: dict[str, str]) -> None:
    """INSERT … SELECT of ``count`` rows: given SQL per column, every other column from its model default."""
    from django.db import connection
    from django.db.models import DateTimeField

    columns, values, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.column in expressions:
            values.append(expressions[field.column])
        elif field.null:
            values.append("NULL")
        elif isinstance(field, DateTimeField):
            values.append("now()")
        else:
            values.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection))
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM generate_series(1, {int(count)}) AS n"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _pick(values: list[str], weights: list[int] | None = None) -> str:
    """SQL choosing one of ``values`` at random per row, optionally weighted."""
    pool = [
        value
        for value, weight in zip(values, weights or [1] * len(values), strict=True)
        for _ in range(weight)
    ]
    literals = ", ".join("'" + value.replace("'", "''") + "'" for value in pool)
    return f"(ARRAY[{literals}])[1 + floor(random() * {len(pool)})::int]"


def measure_disaggregation() -> dict:
    from django.db import connection, transaction

    from engine.reports import disaggregate, publish
    from participants import choices
    from participants.models import Participant

    count = int(os.environ.get("BENCH_PARTICIPANTS", "1000000"))
    regions = [value for value, _label in choices.Region.choices]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.42)")
        _insert_select(
            Participant,
            count,
            {
                "gender_identity": _pick(
                    [value for value, _label in choices.GenderIdentity.choices] + [""],
                    [40, 38, 2, 2, 3, 1, 6, 8],
                ),
                "region": _pick(regions + [""], [1] * len(regions) + [3]),
                "nationality": _pick(["VE", "PE", "CO", "HT", "BO", "AR", "CL"], [38, 14, 11, 10, 9, 8, 10]),
                "commune": f"'{SYNTHETIC}'",
            },
        )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Participant._meta.db_table}")
    table = Participant._meta.db_table
    raw_sql = f"SELECT {', '.join(ATTRIBUTES)}, COUNT(*) FROM {table} GROUP BY {', '.join(ATTRIBUTES)}"

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(raw_sql)
            cursor.fetchall()

    contenders = {
        "raw": raw,
        "selector": lambda: disaggregate(rows=ATTRIBUTES[0], columns=ATTRIBUTES[1]),
        "published": lambda: publish(disaggregate(rows=ATTRIBUTES[0], columns=ATTRIBUTES[1])),
    }
    timings: dict[str, list[float]] = {name: [] for name in contenders}
    for function in contenders.values():  # warm the caches once, unmeasured
        function()
    for _repeat in range(REPEATS):
        for name, function in contenders.items():
            started = time.perf_counter()
            function()
            timings[name].append(time.perf_counter() - started)
    total = disaggregate(rows=ATTRIBUTES[0], columns=ATTRIBUTES[1]).total
    # Plain DELETE: nothing points to synthetic rows, and the ORM would load a million objects to cascade.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE commune = %s", [SYNTHETIC])
    vacuum(Participant)
    return {"participants": count, "counted": total, **timings}


def measure_fanout() -> dict:
    from django.conf import settings
    from django.db import connection, transaction

    from engine.models import Mechanism, Notification, Subscription
    from engine.notifications import notify
    from engine.notifications.services import notifications_send
    from participants.models import User

    count = int(os.environ.get("BENCH_SUBSCRIBERS", "100000"))
    mechanism = Mechanism.INFORMATION
    with transaction.atomic():
        _insert_select(User, count, {"email": f"'bench' || n || '@{SYNTHETIC}.invalid'", "password": "'!'"})
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {Subscription._meta.db_table} (user_id, mechanism, topic_id, content_type_id, "
                "object_id, frequency, created_at, updated_at) "
                f"SELECT id, %s, NULL, NULL, NULL, 'immediately', now(), now() FROM {User._meta.db_table} "
                "WHERE email LIKE %s",
                [mechanism, f"%@{SYNTHETIC}.invalid"],
            )
    for table in (User._meta.db_table, Subscription._meta.db_table):
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")

    # Baseline: the same rows in one INSERT … SELECT, without deduplication, JSON context or batching.
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Notification._meta.db_table} (recipient_id, subscription_id, kind, mechanism, context, "
            "delivery, status, attempts, next_attempt_at, claim_token, last_error, created_at) "
            f"SELECT user_id, id, 'generic', mechanism, %s, 'immediate', 'skipped', 0, now(), '', '', now() "
            f"FROM {Subscription._meta.db_table} WHERE mechanism = %s",
            [json.dumps({"title": "Aviso"}), mechanism],
        )
    raw_seconds = time.perf_counter() - started
    _delete_synthetic_notifications()

    # notify(): enqueueing after commit is left out of the timing (the broker is the bench's Redis db).
    started = time.perf_counter()
    with transaction.atomic():
        written = notify(kind="generic", mechanism=mechanism, context={"title": {"es": "Aviso", "ht": "Avi"}})
        notify_seconds = time.perf_counter() - started
    assert written >= count, written

    # Sending: claim, render in the recipient's language and hand to a backend that keeps mail in memory.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    batches = 4
    started = time.perf_counter()
    sent = sum(notifications_send() for _batch in range(batches))
    send_seconds = time.perf_counter() - started

    _delete_synthetic_users()
    vacuum(Notification, Subscription, User)
    return {
        "subscribers": count,
        "raw": raw_seconds,
        "notify": notify_seconds,
        "sent": sent,
        "send": send_seconds,
    }


def vacuum(*models) -> None:
    """``VACUUM (ANALYZE)`` the tables of a mass ``DELETE``, then ``CHECKPOINT``: otherwise their dead rows
    and dirty pages are cleaned and written during a later section's measurement (by autovacuum, or by the
    queries that run into them). Outside a transaction; the bench connects as the superuser."""
    from django.db import connection

    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
        cursor.execute("CHECKPOINT")


def _synthetic_users_sql() -> str:
    from participants.models import User

    return f"SELECT id FROM {User._meta.db_table} WHERE email LIKE '%@{SYNTHETIC}.invalid'"


def _delete_synthetic_notifications() -> None:
    from django.db import connection

    from engine.models import Notification

    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Notification._meta.db_table} WHERE recipient_id IN ({_synthetic_users_sql()})"
        )


def _delete_synthetic_users() -> None:
    """Plain DELETEs, children first: the ORM would load every row to cascade."""
    from django.db import connection

    from engine.models import Subscription
    from participants.models import User

    _delete_synthetic_notifications()
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Subscription._meta.db_table} WHERE user_id IN ({_synthetic_users_sql()})"
        )
        cursor.execute(f"DELETE FROM {User._meta.db_table} WHERE id IN ({_synthetic_users_sql()})")


def main() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sermig_portal.settings.production")
    django.setup()
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    measures = {"disaggregation": measure_disaggregation, "fanout": measure_fanout}
    if what not in measures:
        print(f"usage: engine_bench.py {{{'|'.join(measures)}}}", file=sys.stderr)
        return 2
    print("RESULT " + json.dumps(measures[what]()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
