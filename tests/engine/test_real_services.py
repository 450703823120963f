"""Behaviour that needs the real services CI runs: PostgreSQL row locks and a Redis broker."""

import threading
import time

import pytest
import redis
from django.core import mail
from django.db import connection

from engine.models import Notification, NotificationStatus
from engine.notifications import notify
from engine.notifications import services as notification_services
from sermig_portal.celery import app as celery_app
from tests.factories import UserFactory


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (SELECT … FOR UPDATE SKIP LOCKED); set DATABASE_URL")


def test_two_workers_racing_send_each_notification_once(postgresql, monkeypatch):
    users = UserFactory.create_batch(60)
    # Writing only: both "workers" below must find every row still pending.
    monkeypatch.setattr(notification_services, "_enqueue_sending", lambda ids: None)
    notify(kind="generic", recipients=users, context={"title": "Carrera"})

    sent: list[str] = []
    lock = threading.Lock()

    def slow_send(message, *args, **kwargs):
        time.sleep(0.002)  # long enough for the two workers to overlap
        with lock:
            sent.append(message.extra_headers["X-SERMIG-Notification"])
        return 1

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", slow_send)
    barrier = threading.Barrier(2)
    claimed: dict[str, int] = {}
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            barrier.wait()
            total = 0
            while count := notification_services.notifications_send(limit=7):
                total += count
            claimed[name] = total
        except BaseException as error:  # surfaced below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert len(sent) == len(set(sent)) == 60
    assert claimed["a"] + claimed["b"] == 60
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}


def test_enqueue_reaches_a_real_redis(redis_url, alice, django_capture_on_commit_callbacks):
    # This worker's own Redis database (emptied before and after, as every test empties the cache): a fixed
    # one would be shared with the other workers and with anyone else's suite on the same Redis.
    broker = redis_url
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_url")}
    celery_app.conf.update(task_always_eager=False, broker_url=broker)
    celery_app._after_fork()
    client = redis.Redis.from_url(broker)
    client.flushdb()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            notify(kind="generic", recipients=[alice], context={"title": "Hola"})
        assert client.llen("celery") == 1  # the send task waits for a worker
    finally:
        client.flushdb()
        client.close()
        celery_app.conf.update(saved)
        celery_app._after_fork()
    # No worker ran it here: the beat sweep is the safety net, and still sends only once.
    notification_services.notifications_sweep()
    notification_services.notifications_sweep()
    assert len(mail.outbox) == 1
