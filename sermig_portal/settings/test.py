import os
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL

# Fast hashing: tests create many users; the real hashers are exercised in production settings.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests change data and read pages at once: no page cache, except in the tests of the page cache itself.
CACHE_MIDDLEWARE_SECONDS = 0
FRAGMENT_CACHE_SECONDS = 0
# No worker runs under pytest: tasks execute in-process, after commit, as in eager dev mode.
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the app folders: no collectstatic needed outside production.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True


def redis_url_for_worker(url: str, worker: str) -> str:
    """The Redis database of one pytest-xdist worker: the number in ``url`` plus the worker's index.

    Each worker has a test database of its own (pytest-django), but Redis is shared and every test empties
    the cache (``cache.clear()`` is FLUSHDB): gw0 keeps the database of ``url``, gw1 takes the next one, …
    """
    if not worker.startswith("gw"):
        return url
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    return urlunsplit(parts._replace(path=f"/{number}"))


if REDIS_URL:
    # Cache, sessions (cached_db, through the default cache) and the Celery broker alike.
    REDIS_URL = redis_url_for_worker(REDIS_URL, os.environ.get("PYTEST_XDIST_WORKER", ""))
    CACHES["default"]["LOCATION"] = REDIS_URL
    CACHES["pages"]["LOCATION"] = REDIS_URL
    CELERY_BROKER_URL = REDIS_URL
