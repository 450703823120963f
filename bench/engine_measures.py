"""The engine benches' measurements, in a child process with Django set up (``bench/child.py``).

``engine_bench.py`` runs them through ``run_child(bench, "engine_measures", <what>)``; each returns the JSON
of its ``RESULT`` line.
"""

from __future__ import annotations

import json
import os
import time

# The other bench modules: bench/ is first on sys.path when bench/child.py runs.
from common import insert_select, sql_pick, vacuum
from django.conf import settings
from django.db import connection, transaction
from engine_bench import ATTRIBUTES, REPEATS, SYNTHETIC

from engine.models import Mechanism, Notification, Subscription
from engine.notifications import notify
from engine.notifications.services import notifications_send
from engine.reports import disaggregate, publish
from participants import choices
from participants.models import Participant, User


def measure_disaggregation() -> dict:
    count = int(os.environ.get("BENCH_PARTICIPANTS", "1000000"))
    regions = [value for value, _label in choices.Region.choices]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.42)")
        insert_select(
            Participant,
            f"generate_series(1, {int(count)}) AS n",
            {
                "gender_identity": sql_pick(
                    [value for value, _label in choices.GenderIdentity.choices] + [""],
                    [40, 38, 2, 2, 3, 1, 6, 8],
                ),
                "region": sql_pick(regions + [""], [1] * len(regions) + [3]),
                "nationality": sql_pick(
                    ["VE", "PE", "CO", "HT", "BO", "AR", "CL"], [38, 14, 11, 10, 9, 8, 10]
                ),
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
    count = int(os.environ.get("BENCH_SUBSCRIBERS", "100000"))
    mechanism = Mechanism.INFORMATION
    with transaction.atomic():
        insert_select(
            User,
            f"generate_series(1, {int(count)}) AS n",
            {"email": f"'bench' || n || '@{SYNTHETIC}.invalid'", "password": "'!'"},
        )
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


def _synthetic_users_sql() -> str:
    return f"SELECT id FROM {User._meta.db_table} WHERE email LIKE '%@{SYNTHETIC}.invalid'"


def _delete_synthetic_notifications() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Notification._meta.db_table} WHERE recipient_id IN ({_synthetic_users_sql()})"
        )


def _delete_synthetic_users() -> None:
    """Plain DELETEs, children first: the ORM would load every row to cascade."""
    _delete_synthetic_notifications()
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Subscription._meta.db_table} WHERE user_id IN ({_synthetic_users_sql()})"
        )
        cursor.execute(f"DELETE FROM {User._meta.db_table} WHERE id IN ({_synthetic_users_sql()})")


MEASURES = {"disaggregation": measure_disaggregation, "fanout": measure_fanout}
