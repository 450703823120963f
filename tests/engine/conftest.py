import pytest
from django.db import connection

from engine import search
from engine.models import Topic
from engine.queue import reset_broker_state
from sermig_portal.celery import app as celery_app
from tests.helpers import TopicSearch


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
