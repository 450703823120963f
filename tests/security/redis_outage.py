"""Plain helpers for the tests where Redis stops (``test_redis_down*.py``); their fixtures (``throwaway_redis``,
``portal_on``, ``postgresql_only``) are in this folder's conftest.

A throw-away ``redis-server`` on a free port takes the place of the cache, the sessions' cache and the Celery
broker, and is stopped in the middle of a test (the suite's own Redis stays up).
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from pathlib import Path

import redis
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client

from tests.factories import ParticipantFactory, UserFactory

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


def project_cache_at(settings, url: str) -> dict:
    """The project's own cache configuration (REDIS_URL is set), pointed at ``url``; the window in which an
    unreachable Redis is left alone is shortened so that the test sees it come back."""
    project = settings.CACHES["default"]
    assert "Redis" in project["BACKEND"], project
    options = dict(project.get("OPTIONS", {}))
    if "retry_after" in options:
        options["retry_after"] = RETRY_AFTER
    return {**project, "LOCATION": url, "OPTIONS": options}


def citizen(n: int):
    """A verified citizen with a participant, who reads Kreyòl: ``persona<n>@example.org``."""
    user = UserFactory(email=f"persona{n}@example.org", preferred_language="ht")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    ParticipantFactory(user=user)
    return user


def browser_of(user) -> Client:
    browser = Client()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = settings.LANGUAGE_CODE  # the Spanish addresses stay
    browser.force_login(user)
    return browser
