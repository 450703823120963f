"""The layout around every page (head links, header, footer), rendered once and kept in each process.

Signed-in readers never get the anonymous page cache, and the layout was half of what their pages cost: about
2.5 ms of a 5 ms page in-process (the language links resolve the page's address in three languages; some fifty
translations, addresses and loops; the footer's social channels). It is the same for everyone who reads the same
page in the same language, signed in or not, so ``base.html`` draws each part with ``{% layout "part" %}``:

- ``head`` (alternate languages, styles, scripts): per language and page;
- ``header`` (search, language switcher, menu, account links): per language, page and signed in or not. The
  logout form's CSRF token is the one personal thing in it: a stored copy holds a placeholder that each request
  replaces with its own token;
- ``footer``: per language.

"Page" is the path with the query parameters the view reads (``sermig_portal.middleware.page_query``), as the
language links keep them. A part may use nothing else about the reader than ``user.is_authenticated``.

The copies live in the ``layout`` cache, Django's in-process memory cache (no network on a hit, bounded in
entries), for ``FRAGMENT_CACHE_SECONDS`` — as long as the anonymous page cache keeps a page, so a change (a new
social channel) shows as soon for a signed-in reader as for a visitor. 0 renders every time (the tests).
"""

from __future__ import annotations

import hashlib

from django import template
from django.conf import settings
from django.core.cache import caches
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from engine.fragments import CSRF_PLACEHOLDER, with_csrf_token
from sermig_portal.middleware import page_query

register = template.Library()

PARTS = {
    "head": "layout/_head.html",
    "header": "layout/_header.html",
    "footer": "layout/_footer.html",
}


def _key(part: str, request) -> str:
    language = get_language()
    if part == "footer":
        return f"{part}:{language}"
    query = page_query(request)
    page = f"{request.path}?{query}" if query else request.path
    digest = hashlib.blake2b(page.encode(), digest_size=16).hexdigest()
    if part == "head":
        return f"{part}:{language}:{digest}"
    return f"{part}:{language}:{int(request.user.is_authenticated)}:{digest}"


@register.simple_tag(takes_context=True)
def layout(context, part: str) -> SafeString:
    part_template = context.template.engine.get_template(PARTS[part])
    request = context.get("request")
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if request is None or seconds <= 0:
        return mark_safe(part_template.render(context))  # noqa: S308  (our own template's output)
    store = caches["layout"]
    key = _key(part, request)
    html = store.get(key)
    if html is None:
        with context.push(csrf_token=CSRF_PLACEHOLDER):
            html = part_template.render(context)
        store.set(key, html, seconds)
    return mark_safe(with_csrf_token(html, request))  # noqa: S308  (our own template's output, and a token of [A-Za-z0-9])
