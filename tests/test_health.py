import pytest
from django.core.cache import cache
from django.db import connection
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_health_reports_database_and_redis(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/salud/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "not configured"}
    assert "no-cache" in response["Cache-Control"]


def test_redis_down_is_reported_not_fatal(client, settings):
    # Port 1 on loopback: nothing listens, the connection is refused at once.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/salud/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "down"}


def test_database_down_answers_503(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/salud/")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_health_with_real_redis(client, settings, redis_url):
    settings.REDIS_URL = redis_url
    assert client.get("/salud/").json() == {"database": "ok", "redis": "ok"}


def test_cache_uses_real_redis_when_configured(redis_url, settings):
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.set("sermig-test-key", "valor", 5)
    assert cache.get("sermig-test-key") == "valor"
    cache.delete("sermig-test-key")


def test_health_only_answers_get(client):
    assert client.post("/salud/").status_code == 405
