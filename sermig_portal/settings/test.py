from .base import *  # noqa: F403

# Fast hashing: tests create many users; the real hashers are exercised in production settings.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests change data and read pages at once: no page cache, except in the tests of the page cache itself.
CACHE_MIDDLEWARE_SECONDS = 0
# No worker runs under pytest: tasks execute in-process, after commit, as in eager dev mode.
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the app folders: no collectstatic needed outside production.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
