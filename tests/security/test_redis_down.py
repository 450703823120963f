"""Redis stops: nobody is stopped with it (issue 11, item 1).

A throw-away ``redis-server`` on a free port takes the place of the cache, the sessions' cache and the Celery
broker, and is stopped in the middle of each test (the suite's own Redis stays up). Citizens still submit,
pages still answer, ``/salud/`` says Redis is down, and once Redis is back every confirmation goes out once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
import redis
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from consultations import services
from consultations.models import Response
from engine import tasks
from engine.models import Notification, NotificationStatus
from engine.queue import reset_broker_state
from participants.demo import DEMO_PASSWORD
from sermig_portal.cache import reset_circuits
from sermig_portal.celery import app as celery_app
from tests.consultations.factories import ConsultationFactory, build_questionnaire, complete_answers
from tests.factories import ParticipantFactory, UserFactory
from tests.helpers import review_data, run_in_parallel

CITIZENS = 20
RETRY_AFTER = 0.5  # seconds each process leaves an unreachable Redis alone (CACHE_RETRY_AFTER_SECONDS)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayRedis:
    """A ``redis-server`` of this test's own, which it may stop and start again."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ]
            + ["--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self, *, keep_data: bool = False) -> None:
        """Stopped; with ``keep_data`` its data are saved and come back on the next start (as after a
        network partition, or a Redis with persistence)."""
        if keep_data:
            with contextlib.suppress(redis.ConnectionError):  # it closes the connection as it exits
                redis.Redis(port=self.port).shutdown(save=True)
        else:
            self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def throwaway_redis(redis_url, tmp_path):
    if shutil.which("redis-server") is None:
        reason = "redis-server is not installed: this test starts and stops a Redis of its own"
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI must run it (.ci/run starts the same redis-server)
        pytest.skip(reason)
    server = ThrowawayRedis(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def project_cache_at(settings, url: str) -> dict:
    """The project's own cache configuration (REDIS_URL is set), pointed at ``url``; the window in which an
    unreachable Redis is left alone is shortened so that the test sees it come back."""
    project = settings.CACHES["default"]
    assert "Redis" in project["BACKEND"], project
    options = dict(project.get("OPTIONS", {}))
    if "retry_after" in options:
        options["retry_after"] = RETRY_AFTER
    return {**project, "LOCATION": url, "OPTIONS": options}


@pytest.fixture
def portal_on(throwaway_redis, settings):
    """Cache, sessions, health check and Celery broker all on the throw-away Redis, as in production."""
    settings.REDIS_URL = throwaway_redis.url
    settings.CACHES = {**settings.CACHES, "default": project_cache_at(settings, throwaway_redis.url)}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.CELERY_BROKER_URL = throwaway_redis.url
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_url")}
    celery_app.conf.update(task_always_eager=False, broker_url=throwaway_redis.url)
    celery_app._after_fork()  # drop pooled connections to the previous broker
    reset_broker_state()
    reset_circuits()
    yield throwaway_redis
    celery_app.conf.update(saved)
    celery_app._after_fork()
    reset_broker_state()
    reset_circuits()


@pytest.fixture(autouse=True)
def _postgresql_only(request):
    if connection.vendor != "postgresql":
        pytest.skip("20 citizens submitting at once need PostgreSQL's row locks (SQLite serialises writers)")


def citizen(n: int):
    user = UserFactory(email=f"persona{n}@example.org", preferred_language="ht")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    ParticipantFactory(user=user)
    return user


def browser_of(user) -> Client:
    browser = Client()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = settings.LANGUAGE_CODE  # the Spanish addresses stay
    browser.force_login(user)
    return browser


def review_url(qn) -> str:
    return reverse("consultations:review", kwargs={"slug": qn.slug})


@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_citizens_submit_pages_answer_and_confirmations_go_out_once_it_is_back(portal_on):
    qn = build_questionnaire(ConsultationFactory(slug="redis-caido"))
    citizens = [citizen(n) for n in range(CITIZENS)]
    for user in citizens:  # each has answered every section and is on the review page
        response = services.response_get_or_create(consultation=qn.consultation, participant=user.participant)
        services.response_save_answers(response=response, answers=complete_answers(qn))
    browsers = {user.pk: browser_of(user) for user in citizens}  # signed in while Redis was up
    assert browsers[citizens[0].pk].get(review_url(qn)).status_code == 200
    assert cache.get("sermig-probe") is None and cache.add("sermig-probe", 1) is True  # Redis answers

    portal_on.stop()

    pending = list(citizens)

    def submit():
        user = pending.pop()
        reply = browsers[user.pk].post(review_url(qn), review_data(user.participant))
        return reply.status_code, reply["Location"]

    results = run_in_parallel(submit, threads=CITIZENS)

    thanks = reverse("consultations:thanks", kwargs={"slug": qn.slug})
    assert [r for r in results if isinstance(r, Exception)] == []
    assert results == [(302, thanks)] * CITIZENS
    submitted = Response.objects.filter(consultation=qn.consultation, status=Response.Status.SUBMITTED)
    assert submitted.count() == CITIZENS
    assert browsers[citizens[0].pk].get(thanks).status_code == 200

    # Anonymous pages, signing in (allauth's rate limits count in the cache) and answering.
    anonymous = Client()
    for path in ("/", "/ht/", "/cuenta/login/", "/consultas/", qn.consultation.get_absolute_url()):
        assert anonymous.get(path).status_code == 200, path
    login = anonymous.post("/cuenta/login/", {"login": "persona0@example.org", "password": DEMO_PASSWORD})
    assert login.status_code == 302 and "/cuenta/login/" not in login["Location"]
    newcomer = browser_of(citizen(CITIZENS))
    assert (
        newcomer.get(reverse("consultations:answer", kwargs={"slug": qn.slug, "step": 1})).status_code == 200
    )
    health = Client().get("/salud/")
    assert (health.status_code, health.json()) == (200, {"database": "ok", "redis": "down"})

    # Nothing was sent: the broker is Redis too. The confirmations wait in the outbox.
    assert mail.outbox == []
    assert Notification.objects.filter(status=NotificationStatus.PENDING).count() == CITIZENS

    portal_on.start()
    time.sleep(RETRY_AFTER)

    tasks.notifications_sweep_task.apply()
    tasks.notifications_sweep_task.apply()  # beat runs it every minute: a second run sends nothing again
    assert sorted(m.to[0] for m in mail.outbox) == sorted(user.email for user in citizens)
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == CITIZENS
    assert Client().get("/salud/").json() == {"database": "ok", "redis": "ok"}
    cache.set("sermig-probe", "back", 30)
    assert cache.get("sermig-probe") == "back"


@pytest.mark.django_db(transaction=True)
def test_a_logout_while_redis_was_unreachable_holds_when_redis_comes_back_with_its_data(portal_on, alice):
    """Redis kept the session (a partition, or persistence); the database deleted it at logout."""
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    browser = browser_of(alice)
    assert browser.get("/cuenta/perfil/").status_code == 200  # the session is now in Redis too
    stale_cookie = browser.cookies["sessionid"].value

    portal_on.stop(keep_data=True)
    assert browser.post("/cuenta/logout/").status_code == 302
    portal_on.start()
    time.sleep(RETRY_AFTER)

    replay = Client()
    replay.cookies["sessionid"] = stale_cookie
    assert replay.get("/cuenta/perfil/").status_code == 302  # to the login page: signed out


class SilentServer:
    """Accepts connections and never answers: a Redis behind a broken network path."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _address = self.listener.accept()
            except OSError:
                return
            self.connections.append(conn)

    def close(self) -> None:
        self.listener.close()
        for conn in self.connections:
            conn.close()


@pytest.mark.django_db
def test_a_redis_that_hangs_costs_one_timeout_per_process_not_one_per_cache_call(settings, client):
    silent = SilentServer()
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "sermig_portal.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{silent.port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3, "retry_after": 60},
        },
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    reset_circuits()
    try:
        started = time.monotonic()
        assert cache.get("open-now:es") is None  # waits for the socket timeout once
        first = time.monotonic() - started
        for path in ("/", "/cuenta/login/", "/consultas/", "/"):
            assert client.get(path).status_code == 200
        for _ in range(10):
            cache.set("key", "value")
            assert cache.get("key") is None
        assert len(silent.connections) == 1  # every later call skipped Redis without trying
        assert first >= 0.3
    finally:
        silent.close()
        reset_circuits()


@pytest.fixture
def cache_on(throwaway_redis, settings):
    """Only the cache on the throw-away Redis (what the tests below look at)."""
    settings.CACHES = {**settings.CACHES, "default": project_cache_at(settings, throwaway_redis.url)}
    reset_circuits()
    yield throwaway_redis
    reset_circuits()


def test_every_cache_call_on_a_stopped_redis_answers_as_an_empty_cache_would(cache_on, caplog):
    cache.set("counter", 1)
    cache_on.stop()

    with caplog.at_level(logging.WARNING, logger="sermig_portal.cache"):
        assert cache.get("counter") is None
        assert cache.get("counter", "default") == "default"
        assert cache.get_many(["counter", "other"]) == {}
        assert cache.has_key("counter") is False
        assert cache.add("lock", True) is True  # allauth's rate limits lock with it: a login must go on
        assert cache.set("counter", 2) is None
        assert cache.set_many({"a": 1, "b": 2}) == []
        assert cache.touch("counter") is False
        assert cache.delete("counter") is False
        assert cache.delete_many(["a", "b"]) is None
        assert cache.get_or_set("computed", lambda: "fresh") == "fresh"
        with pytest.raises(ValueError):
            cache.incr("counter")
        cache.clear()
    assert "redis cache unreachable" in caplog.text
    assert caplog.text.count("redis cache unreachable") == 1  # once per window, not once per call


def test_past_the_keys_it_can_remember_recovery_empties_the_whole_cache_and_only_it(cache_on, monkeypatch):
    monkeypatch.setattr("sermig_portal.cache.MAX_STALE_KEYS", 3)
    neighbour = redis.Redis.from_url(cache_on.url)
    neighbour.set("celery-queue", "a task")  # the broker's keys share the database
    for n in range(5):
        cache.set(f"session-{n}", "signed in")
    cache_on.stop(keep_data=True)
    for n in range(5):
        cache.delete(f"session-{n}")  # five logouts, three of them remembered
    cache_on.start()
    time.sleep(RETRY_AFTER)

    assert [cache.get(f"session-{n}") for n in range(5)] == [None] * 5
    assert neighbour.get("celery-queue") == b"a task"
