from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_info

from engine import social_channels
from sermig_portal.middleware import page_query


def portal(request: HttpRequest) -> dict:
    """Language links that keep the current page, and the footer's social channels.

    Both are computed only when a part of the layout that shows them is drawn, not when a stored copy is
    used (``sermig_portal.layout``): the links lazily, the channels as the function itself.
    """
    return {
        "language_links": SimpleLazyObject(lambda: language_links(request)),
        "social_channels": social_channels.channels,
    }


def language_links(request: HttpRequest) -> list[dict]:
    """Each language with its page's address (``url``, for ``hreflang`` alternates) and the button's address
    (``choose_url``), which also remembers the choice in the browser (``sermig_portal.language``)."""
    current = get_language()
    query = page_query(request)
    path = f"{request.path}?{query}" if query else request.path
    query = urlencode({"next": path})
    languages = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        languages.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "url": translate_url(path, code),
                "choose_url": f"{reverse('language-choose', args=[code])}?{query}",
                "current": code == current,
            }
        )
    return languages
