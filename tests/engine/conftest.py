import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.utils.translation import get_language

from engine import search
from engine.models import Mechanism, Topic
from engine.queue import reset_broker_state
from sermig_portal.celery import app as celery_app


@pytest.fixture(autouse=True)
def _fresh_broker_state():
    """The broker back-off is process state: no test may inherit another's 'broker down'."""
    reset_broker_state()
    yield
    reset_broker_state()


@pytest.fixture
def broker_down(settings):
    """Tasks are sent to a broker nobody listens on (port 1 refuses at once), as when Redis is down.

    Celery copies Django settings once, so its own configuration and connection pool are switched too.
    """
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_url")}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = settings.CELERY_BROKER_URL
    celery_app._after_fork()  # drop pooled connections to the previous broker
    yield
    celery_app.conf.update(saved)
    celery_app._after_fork()


def grant(user, *codenames: str):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    # Django caches permissions on the instance.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
    return user


def admin_ready(user):
    """Staff reach /admin/ only with a second factor once the accounts work lands (tests/conftest.py)."""
    try:
        from tests.conftest import enable_mfa
    except ImportError:  # before the accounts work: no second factor needed
        return user
    return enable_mfa(user)


# --- Search: a provider over topics stands in for a mechanism (the engine imports no app) ---------------


class TopicSearch(search.Provider):
    model = Topic
    mechanism = Mechanism.INFORMATION
    kind = "test-topic"
    label = "Tema de prueba"
    title_field = "name"

    def queryset(self):
        return Topic.objects.active()

    def body(self, obj):
        return obj.description

    def url(self, obj):
        prefix = "" if get_language() == "es" else f"/{get_language()}"
        return f"{prefix}/temas/{obj.slug}/"


@pytest.fixture
def topics(db):
    """The test provider, registered for one test; the seeded topics are left out of its results."""
    Topic.objects.update(is_active=False)
    provider = search.register(TopicSearch())
    yield provider
    search.unregister(provider.kind)


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL text search (the suite runs on PostgreSQL when DATABASE_URL is set)")


def topic(es: str, *, ht: str = "", en: str = "", body: str = "", active: bool = True, index: bool = True):
    made = Topic.objects.create(
        slug=f"t{Topic.objects.count()}",
        name=es,
        name_es=es,
        name_ht=ht,
        name_en=en,
        description=body,
        description_es=body,
        is_active=active,
    )
    if index:
        search.index(made)
    return made
