"""Parts of a page that are the same for every reader in a language, rendered once and shared.

A signed-in reader never gets the anonymous page cache (``sermig_portal.middleware``), but the list in the
middle of most pages is the same for them as for a visitor: only the header (their name, "Salir") differs. The
view renders that part through ``shared_fragment`` and puts it in the page::

    from engine.fragments import shared_fragment

    html = shared_fragment(f"consultations:index:{get_language()}:{number}", render=lambda: render_to_string(...))

It is kept ``FRAGMENT_CACHE_SECONDS`` (as long as the anonymous page cache keeps a page, so a change shows as
soon for everyone) in the default cache: Redis, shared by every process; a miss when Redis is down. Only for
what every reader may see (built for ``permissions.ANONYMOUS``), never for anything personal.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

# What {% csrf_token %} writes into a shared copy (render it with ``{"csrf_token": CSRF_PLACEHOLDER}``):
# ``with_csrf_token`` puts each reader's own token in its place.
CSRF_PLACEHOLDER = "csrf-token-of-this-request"


def shared_fragment(
    key: str, *, render: Callable[[], str], keep: Callable[[], bool] | None = None
) -> SafeString:
    """The shared copy of ``key``, or ``render()``'s, kept for the next reader unless ``keep()`` (asked after
    rendering) says this one must not be shared: a page that shows "still computing" rather than results."""
    return shared_fragments((key, render, keep))[0]


def shared_fragments(*parts: tuple[str, Callable[[], str], Callable[[], bool] | None]) -> list[SafeString]:
    """Several shared copies, ``(key, render, keep)`` each as ``shared_fragment``, read from the cache in one
    round trip and the missing ones stored in one."""
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if seconds <= 0:
        return [mark_safe(render()) for _key, render, _keep in parts]  # noqa: S308  (our own templates' output)
    keys = [f"fragment:{key}" for key, _render, _keep in parts]
    found = cache.get_many(keys)
    missing = {}
    htmls = []
    for full_key, (_key, render, keep) in zip(keys, parts, strict=True):
        html = found.get(full_key)
        if html is None:
            html = render()
            if keep is None or keep():
                missing[full_key] = html
        htmls.append(mark_safe(html))  # noqa: S308  (our own template's output)
    if missing:
        cache.set_many(missing, seconds)
    return htmls


def with_csrf_token(html: str, request: HttpRequest) -> str:
    """A shared copy with this reader's CSRF token where the placeholder stands (a token is [A-Za-z0-9])."""
    return html.replace(CSRF_PLACEHOLDER, get_token(request)) if CSRF_PLACEHOLDER in html else html


# Where ``render_with_shared`` puts the shared copy: what the page's template writes for ``{{ shared }}``.
SHARED_PLACEHOLDER = "<!-- the shared part of this page -->"


def render_with_shared(request: HttpRequest, template_name: str, context: dict, shared: str) -> HttpResponse:
    """``render(request, template_name, context)`` with the shared copy ``shared`` where the template writes
    ``{{ shared }}``, joined to the page as bytes: a large copy (a results page's 180 KB) would otherwise be
    copied again at every level of the template (its block, the base's body), a tenth of the page's CPU."""
    marked = mark_safe(SHARED_PLACEHOLDER)  # noqa: S308  (a constant comment)
    page = render_to_string(template_name, {**context, "shared": marked}, request)
    before, placeholder, after = page.partition(SHARED_PLACEHOLDER)
    if not placeholder:
        raise ValueError(f"{template_name} does not write {{{{ shared }}}}")
    return HttpResponse([before, shared, after])
