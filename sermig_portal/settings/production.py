"""Production only tightens base: it reads the same variables but refuses unsafe values."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
if SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Every email links to SITE_URL: without it they would all point at the development server, and over plain
# HTTP the tokens in them (unsubscribe, report downloads) would cross the network in clear.
SITE_URL = env("SITE_URL").rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in ("http", "https") or not _site.hostname:
    raise ImproperlyConfigured("SITE_URL must be the portal's address, e.g. https://participacion.example.cl")
if SECURE_SSL_REDIRECT and _site.scheme != "https":
    raise ImproperlyConfigured("SITE_URL must start with https:// (SECURE_SSL_REDIRECT is on).")
if not validate_host(_site.hostname, ALLOWED_HOSTS):
    raise ImproperlyConfigured(f"SITE_URL's host {_site.hostname!r} is not in ALLOWED_HOSTS.")
ENGINE_SITE_URL = SITE_URL
# TLS ends at the reverse proxy, which tells us the original scheme.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
