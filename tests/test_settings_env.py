"""Settings read the environment; production only tightens."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k" * 20 + "Zq8#vT2!mP9@wL4$nR7%xB1^cH6&jF3*" + "s" * 10
# What production needs besides its defaults.
PRODUCTION = {
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "participacion.example.org",
    "SITE_URL": "https://participacion.example.org",
}
PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "port": db.get("PORT"), "conn_max_age": db["CONN_MAX_AGE"],
    "cache": settings.CACHES["default"]["BACKEND"], "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL, "debug": settings.DEBUG, "hosts": settings.ALLOWED_HOSTS,
    "languages": [code for code, _ in settings.LANGUAGES], "email": settings.EMAIL_BACKEND,
    "staticfiles": settings.STORAGES["staticfiles"]["BACKEND"],
    "db_options": db.get("OPTIONS", {}), "sessions": settings.SESSION_ENGINE,
    "pages": settings.CACHES["pages"]["BACKEND"],
    "loaders": [type(l).__module__ for l in __import__("django.template", fromlist=["engines"]).engines["django"].engine.template_loaders],
}))
"""


# What the test run itself sets (make test, CI) must not leak into the environment being checked.
RUN_ONLY = {
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "PORT",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in RUN_ONLY}
    env.update(extra)
    return env


def probe(module: str, **env: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean_env(DJANGO_SETTINGS_MODULE=f"sermig_portal.settings.{module}", **env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_is_sqlite_with_eager_tasks():
    values = probe("dev")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("db.sqlite3")
    assert values["cache"].endswith("LocMemCache")
    assert values["eager"] is True
    assert values["languages"] == ["es", "ht", "en"]


def test_database_and_redis_come_from_the_environment():
    values = probe(
        "dev",
        DATABASE_URL="postgres://sermig:pw@db.internal:6543/portal",
        REDIS_URL="redis://cache.internal:6379/2",
        CONN_MAX_AGE="120",
        EMAIL_URL="smtp://mail.internal:1025",
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "portal"
    assert values["port"] == 6543
    assert values["conn_max_age"] == 120
    assert values["cache"].endswith("RedisCache")
    assert values["broker"] == "redis://cache.internal:6379/2"
    assert values["eager"] is False
    assert values["email"].endswith("smtp.EmailBackend")


def test_postgresql_binds_parameters_on_the_server_and_prepares_repeated_statements():
    values = probe("dev", DATABASE_URL="postgres://sermig@db.internal:5432/portal")
    assert values["db_options"] == {"server_side_binding": True, "prepare_threshold": 5}
    off = probe(
        "dev", DATABASE_URL="postgres://sermig@db.internal:5432/portal", DATABASE_PREPARED_STATEMENTS="false"
    )
    assert off["db_options"] == {}
    assert probe("dev")["db_options"] == {}  # SQLite has no such options


def test_sessions_are_read_from_redis_when_there_is_one():
    assert probe("dev")["sessions"] == "django.contrib.sessions.backends.db"
    with_redis = probe("dev", REDIS_URL="redis://cache.internal:6379/2")
    assert with_redis["sessions"] == "django.contrib.sessions.backends.cached_db"


def test_connections_are_reused_by_default():
    assert probe("dev")["conn_max_age"] == 60


def test_production_refuses_a_weak_secret_key():
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean_env(
            DJANGO_SETTINGS_MODULE="sermig_portal.settings.production",
            **{**PRODUCTION, "SECRET_KEY": "django-insecure-short"},
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_keeps_compiled_templates_and_shares_anonymous_pages_in_redis():
    values = probe("production", **PRODUCTION, REDIS_URL="redis://cache.internal:6379/2")
    assert values["loaders"] == ["django.template.loaders.cached"]
    assert values["pages"] == "sermig_portal.cache.ResilientRedisCache"
    assert probe("dev")["pages"] == "django.core.cache.backends.locmem.LocMemCache"  # no Redis: per process


def test_production_tightens():
    values = probe("production", **PRODUCTION)
    assert values["debug"] is False
    assert values["hosts"] == ["participacion.example.org"]
    assert values["staticfiles"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_check_deploy_passes_with_a_sane_production_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean_env(DJANGO_SETTINGS_MODULE="sermig_portal.settings.production", **PRODUCTION),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("module", ["dev", "test", "production"])
def test_every_settings_module_loads(module):
    probe(module, **PRODUCTION)


def test_every_variable_the_settings_read_is_in_the_readme():
    settings_text = "".join(p.read_text() for p in (ROOT / "sermig_portal" / "settings").glob("*.py"))
    read = set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""", settings_text))
    table = (ROOT / "README.md").read_text().split("## Environment", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    assert read - documented == set(), "add these to the README's environment table"


@pytest.mark.parametrize("entry_point", ["sermig_portal.wsgi", "sermig_portal.celery"])
def test_servers_default_to_production_settings(entry_point):
    """gunicorn and the Celery worker import the package first: without DJANGO_SETTINGS_MODULE they must
    refuse to start on production settings (no SECRET_KEY), never run quietly on development settings."""
    environment = {
        key: value for key, value in os.environ.items() if key not in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY")
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import {entry_point}; from django.conf import settings; settings.DEBUG"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
