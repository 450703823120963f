import os

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.utils import translation

from engine.search.selectors import forget_local_pages
from participants.demo import DEMO_PASSWORD
from tests.factories import ParticipantFactory, UserFactory
from tests.helpers import enable_mfa


@pytest.fixture(autouse=True)
def _spanish_outside_requests():
    """LocaleMiddleware leaves the last request's language active in the thread: start each test in Spanish."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches: rate-limit counters, cached blocks and cached pages must not leak
    between tests (with REDIS_URL set the default cache is a real Redis that outlives the test run)."""
    for each in caches.all():
        each.clear()
    forget_local_pages()  # the search's copies in this process's memory
    yield
    for each in caches.all():
        each.clear()
    forget_local_pages()


@pytest.fixture
def client(client):
    """pytest-django's test client, in a browser whose language buttons chose Spanish: addresses without a
    prefix stay Spanish for a signed-in Kreyòl reader too. The language redirect has its own tests
    (tests/test_language.py), with browsers of their own."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = settings.LANGUAGE_CODE
    return client


@pytest.fixture
def redis_url() -> str:
    """A real Redis, for tests whose behaviour depends on it (CI exports REDIS_URL)."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: this test needs a real Redis")
    # This worker's own database (sermig_portal.settings.test), not the one in the environment.
    return settings.REDIS_URL


@pytest.fixture
def file_storage(settings):
    """An empty in-memory default storage of the test's own: changing STORAGES makes Django drop the
    default storage it built, so what a test stores (or does not) is all there is."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    return default_storage


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
    """Staff with no role and no superuser rights: each test grants the permissions it is about. The roles'
    own permissions are tested in tests/security/test_group_permissions.py."""
    return UserFactory(email="equipo@example.org", name="Equipo", is_staff=True)


@pytest.fixture
def password() -> str:
    return DEMO_PASSWORD


@pytest.fixture
def admin_user(db, django_user_model):
    """pytest-django's admin_client logs in as this superuser, who has set up MFA."""
    user = django_user_model.objects.create_superuser(email="admin@example.com", password="password")
    return enable_mfa(user)
