"""Redis stops: nobody is stopped with it (issue 11, item 1).

A throw-away ``redis-server`` on a free port takes the place of the cache, the sessions' cache and the Celery
broker, and is stopped in the middle of each test (the suite's own Redis stays up). Citizens still submit,
pages still answer, ``/salud/`` says Redis is down, and once Redis is back every confirmation goes out once.
The fixtures are in this folder's conftest, the helpers in ``redis_outage.py`` (the newer mechanisms' tests
use them too).
"""

from __future__ import annotations

import logging
import socket
import threading
import time

import pytest
import redis
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from consultations import services
from consultations.models import Response
from engine import tasks
from engine.models import Notification, NotificationStatus
from participants.demo import DEMO_PASSWORD
from sermig_portal.cache import reset_circuits
from tests.consultations.factories import ConsultationFactory, build_questionnaire, complete_answers
from tests.helpers import review_data, run_in_parallel
from tests.security.redis_outage import RETRY_AFTER, browser_of, citizen, project_cache_at

CITIZENS = 20
pytestmark = pytest.mark.usefixtures("postgresql_only")


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
