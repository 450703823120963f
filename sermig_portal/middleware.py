"""Whole-page caching for anonymous visitors only.

Most visitors read without logging in, often on slow phones; their pages are the same for everyone in a
language, so Django's cache middleware serves them for a few seconds from a per-process memory cache.
Anyone with a session (logged in, or answering a consultation) always gets a fresh page: their pages show
their own drafts and messages. Views marked ``never_cache`` or that set cookies are never stored (Django's
own rules), so pages with forms and CSRF tokens stay per person.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware


def _has_session(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def _not_in_browsers(response: HttpResponse) -> HttpResponse:
    """The server keeps the copy; browsers must ask again, or a person who just logged in would still see
    the visitor's page (with "Sign in") from their own cache."""
    if response.has_header("Expires"):
        del response["Expires"]
    response["Cache-Control"] = "no-cache"
    return response


class AnonymousUpdateCacheMiddleware(UpdateCacheMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if _has_session(request) or not self._should_update_cache(request, response):
            return response
        response = super().process_response(request, response)
        return _not_in_browsers(response) if "max-age" in response.get("Cache-Control", "") else response


class AnonymousFetchFromCacheMiddleware(FetchFromCacheMiddleware):
    def process_request(self, request: HttpRequest):
        if _has_session(request):
            request._cache_update_cache = False
            return None
        response = super().process_request(request)
        return _not_in_browsers(response) if response is not None else None
