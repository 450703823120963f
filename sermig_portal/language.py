"""The language that follows the person, for every app's pages.

Spanish pages have no prefix (``/consultas/``), Kreyòl and English have theirs (``/ht/consultas/``). A prefixed
address always shows its language, so a shared ``/ht/…`` link reads in Kreyòl for everyone. An address without
a prefix is sent to the reader's language, when that is not Spanish, in this order:

1. the choice made with the language buttons (``/idioma/<code>/``), kept in Django's language cookie;
2. the language a signed-in person saved in their profile (at sign-in it becomes the browser's choice too);
3. the browser's ``Accept-Language``.

``PreferredLanguageMiddleware`` sits after the session and authentication middleware (it reads the saved
language) and before the page cache's fetch (``sermig_portal.middleware``): a Kreyòl browser is redirected
before a cached Spanish page could be served to it, and the redirect itself never enters the page cache. It
varies on ``Accept-Language`` and ``Cookie`` so no other cache keeps it for someone else.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import (
    get_language_from_path,
    get_language_from_request,
    get_supported_language_variant,
)
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _supported(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return get_supported_language_variant(code)
    except LookupError:
        return None


def preferred_language(request: HttpRequest) -> str:
    """The button choice, else the signed-in person's saved language, else the browser's, else Spanish."""
    chosen = _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen:
        return chosen
    # Only a request with a session can be signed in: anonymous pages never load a session for this.
    if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
        saved = _supported(request.user.preferred_language)
        if saved:
            return saved
    return get_language_from_request(request)  # no valid cookie: Accept-Language, else LANGUAGE_CODE


def set_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    """Remember ``language`` in this browser, with Django's own cookie settings."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 60 * 60,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


class PreferredLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self._redirect(request) or self.get_response(request)

    def _redirect(self, request: HttpRequest) -> HttpResponse | None:
        if request.method not in ("GET", "HEAD") or get_language_from_path(request.path_info):
            return None
        language = preferred_language(request)
        if language == settings.LANGUAGE_CODE:
            return None
        path = request.get_full_path()
        target = translate_url(path, language)
        if target == path:  # not a page in three languages: admin, health check, an unknown address
            return None
        response = HttpResponseRedirect(target)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


@never_cache
@require_GET
def language_choose(request: HttpRequest, language: str) -> HttpResponse:
    """The language buttons: show ``next`` in ``language`` and remember the choice in this browser.

    A link (not a form) so the header needs no CSRF token and anonymous pages stay cacheable; it writes only
    the browser's own cookie.
    """
    if _supported(language) != language:
        raise Http404
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    # ``next`` is resolved in its own language (its prefix), whatever language this request was given.
    with translation.override(get_language_from_path(urlsplit(next_url).path) or settings.LANGUAGE_CODE):
        target = translate_url(next_url, language)
    return set_language_cookie(HttpResponseRedirect(target), language)
