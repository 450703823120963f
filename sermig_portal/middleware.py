"""Whole-page caching for anonymous visitors, shared by every process through Redis.

Most visitors read without signing in, often on slow phones, and their pages are the same for everyone in a
language. A page is kept ``CACHE_MIDDLEWARE_SECONDS`` in the ``pages`` cache (Redis when ``REDIS_URL`` is set,
so every worker serves what one rendered; Redis down is a miss, ``sermig_portal.cache``) under:

- the host, the path and the language of the page;
- only the query parameters the view read (learned from the render: ``request.GET`` records what is asked
  for). Tracking parameters (``utm_*``, ``fbclid``, ``gclid``…) are removed before the view runs, so a click
  from social media or a newsletter reaches the same copy, and an unknown ``?x=1`` cannot force a render of a
  view that never reads it;
- nothing from the cookies: a ``csrftoken`` left by a form, an analytics cookie or the language cookie (the
  language is in the address, ``sermig_portal.language``) change nothing.

Who is served and stored: a ``GET``/``HEAD`` request whose session is empty. A ``sessionid`` that names no
session (expired, forged) is an empty session, so it counts as anonymous and cannot force a render. Anyone
with something in their session (signed in, a consultation draft, a flash message) always gets a fresh page
and never enters the cache.

What is never stored: a page that used a CSRF token (a form: the token belongs to one browser's cookie), set a
cookie, touched the session, is marked ``never_cache``/``private``/``no-store``, or is not a 200. This
middleware sits last, right before the view: the outer middleware (security headers, CSP, CSRF and session
cookies) still run on a cached page, and the copy holds only what the view made.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import cc_delim_re
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language

# Parameters that only tell an analytics tool where a click came from; no view of ours reads them.
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "_hs")
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref_src",
        "s_cid",
    }
)
EVERY_PARAMETER = "*"
# The header says whether a page came from the cache: the bench and the tests read it.
HEADER = "X-Page-Cache"


def is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


class RecordingQueryDict(QueryDict):
    """``request.GET`` that remembers which parameters the view asked for (present or not). Reading them all
    at once (iterating, ``items()``, ``urlencode()``…) makes every parameter part of the key."""

    read: set[str]

    def _record(self, key) -> None:
        self.read.add(key)

    def __getitem__(self, key):
        self._record(key)
        return super().__getitem__(key)

    def __contains__(self, key) -> bool:
        self._record(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self._record(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._record(key)
        return super().getlist(key, default)

    def _all(self) -> None:
        self.read.add(EVERY_PARAMETER)

    def __iter__(self):
        self._all()
        return super().__iter__()

    def keys(self):
        self._all()
        return super().keys()

    def items(self):
        self._all()
        return super().items()

    def lists(self):
        self._all()
        return super().lists()

    def values(self):
        self._all()
        return super().values()

    def dict(self):
        self._all()
        return super().dict()

    def urlencode(self, safe=None):
        self._all()
        return super().urlencode(safe)

    def copy(self):
        self._all()
        return super().copy()

    def __copy__(self):
        self._all()
        return super().__copy__()

    def __deepcopy__(self, memo):
        self._all()
        return super().__deepcopy__(memo)

    def __len__(self) -> int:
        self._all()
        return super().__len__()


def page_query(request: HttpRequest) -> str:
    """The query string a page may repeat in its own links (the language buttons): never a tracking
    parameter, and on a page the cache may keep only the parameters the view read, so that the copy is the
    same for every visitor who reaches it."""
    query = request.GET
    recording = isinstance(query, RecordingQueryDict) and EVERY_PARAMETER not in query.read
    kept = QueryDict(mutable=True)
    for name, values in MultiValueDict.lists(query):
        if not is_tracking(name) and (not recording or name in query.read):
            kept.setlist(name, values)
    return kept.urlencode()


def _without_tracking(request: HttpRequest) -> RecordingQueryDict:
    query = RecordingQueryDict(mutable=True, encoding=request.encoding)
    for name, values in request.GET.lists():
        if not is_tracking(name):
            query.setlist(name, values)
    query._mutable = False
    query.read = set()
    # ``request.get_full_path()`` reads the raw query string: the view sees the address without tracking.
    request.META["QUERY_STRING"] = query.urlencode() if query else ""
    query.read.clear()
    return query


def _session_is_empty(request: HttpRequest) -> bool:
    """No session cookie, or one that names no stored session (loading it finds nothing)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    return not request.session.keys()


def _anonymous(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and "messages" not in request.COOKIES  # a flash message waits to be shown to this browser
        and _session_is_empty(request)
    )


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token: one browser's
        return False
    session = getattr(request, "session", None)
    if session is not None and (session.modified or session.accessed and session.keys()):
        return False
    control = response.get("Cache-Control", "")
    directives = {d.strip().split("=")[0].lower() for d in cc_delim_re.split(control)}
    return not (directives & {"private", "no-cache", "no-store"} or "max-age=0" in control)


def _digest(parts: Iterable[str]) -> str:
    return hashlib.md5("\n".join(parts).encode(), usedforsecurity=False).hexdigest()


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.CACHE_MIDDLEWARE_SECONDS
        if seconds <= 0 or not _anonymous(request):
            return self.get_response(request)
        pages = caches[settings.CACHE_MIDDLEWARE_ALIAS]
        request.GET = query = _without_tracking(request)
        where = [request.get_host(), request.path, get_language() or ""]
        where_key = f"{settings.CACHE_MIDDLEWARE_KEY_PREFIX}:read:{_digest(where)}"

        read = pages.get(where_key)
        if read is not None:
            cached = pages.get(self._page_key(where, query, read))
            if cached is not None:
                return self._served(cached)

        response = self.get_response(request)
        if not _storable(request, response):
            return response
        # Key on everything this render read, and on what renders of the same page read before: a view may
        # read a parameter only when another one is set.
        read = sorted(set(read or ()) | query.read)
        pages.set(where_key, read, seconds * 10)
        pages.set(self._page_key(where, query, read), self._copy(response), seconds)
        response[HEADER] = "miss"
        return self._for_browsers(response)

    @staticmethod
    def _page_key(where: list[str], query: QueryDict, read: list[str]) -> str:
        names = sorted(set(dict.keys(query))) if EVERY_PARAMETER in read else read
        parts = [*where, *(f"{name}={QueryDict.getlist(query, name)!r}" for name in names)]
        return f"{settings.CACHE_MIDDLEWARE_KEY_PREFIX}:page:{_digest(parts)}"

    @staticmethod
    def _copy(response: HttpResponse) -> tuple[int, bytes, list[tuple[str, str]]]:
        return (response.status_code, response.content, list(response.items()))

    def _served(self, cached) -> HttpResponse:
        status, content, headers = cached
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response[HEADER] = "hit"
        return self._for_browsers(response)

    @staticmethod
    def _for_browsers(response: HttpResponse) -> HttpResponse:
        """The server keeps the copy; browsers must ask again, or a person who just signed in would still see
        the visitor's page (with "Sign in") from their own cache."""
        if response.has_header("Expires"):
            del response["Expires"]
        response["Cache-Control"] = "no-cache"
        return response
