import os
import threading

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connections
from django.utils import translation

from engine.search.selectors import forget_local_pages
from participants.demo import DEMO_PASSWORD
from tests.factories import ParticipantFactory, UserFactory


@pytest.fixture(autouse=True)
def _spanish_outside_requests():
    """LocaleMiddleware leaves the last request's language active in the thread: start each test in Spanish."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate-limit counters and cached blocks must not leak between tests
    (with REDIS_URL set the cache is a real Redis that outlives the test run)."""
    cache.clear()
    forget_local_pages()  # the search's copies in this process's memory
    yield
    cache.clear()
    forget_local_pages()


@pytest.fixture
def redis_url() -> str:
    """A real Redis, for tests whose behaviour depends on it (CI exports REDIS_URL)."""
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set: this test needs a real Redis")
    return url


# Personas, so access rules read like sentences.
@pytest.fixture
def alice(db):
    """A citizen with an account and a participant profile."""
    user = UserFactory(email="alice@example.org", name="Alice Pierre", preferred_language="ht")
    ParticipantFactory(user=user)
    return user


@pytest.fixture
def bob(db):
    """Another citizen."""
    user = UserFactory(email="bob@example.org", name="Bob Rojas")
    ParticipantFactory(user=user)
    return user


@pytest.fixture
def staff_member(db):
    """A member of the Participation team, without superuser rights."""
    user = UserFactory(email="equipo@example.org", name="Equipo", is_staff=True)
    user.groups.add(Group.objects.get(name="Participation team"))
    return user


@pytest.fixture
def password() -> str:
    return DEMO_PASSWORD


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enable_mfa(user):
    """Staff need a second factor before reaching /admin/ (participants.middleware.RequireMFAMiddleware)."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def admin_user(db, django_user_model):
    """pytest-django's admin_client logs in as this superuser, who has set up MFA."""
    user = django_user_model.objects.create_superuser(email="admin@example.com", password="password")
    return enable_mfa(user)


def run_in_parallel(work, threads: int = 20) -> list:
    """Run ``work`` in ``threads`` threads released at the same instant; return their results (or errors)."""
    barrier = threading.Barrier(threads)
    results: list = []
    lock = threading.Lock()

    def target():
        try:
            barrier.wait()
            outcome = work()
        except Exception as error:  # noqa: BLE001 - reported by the test below
            outcome = error
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    workers = [threading.Thread(target=target) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    return results
