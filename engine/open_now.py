"""The home page's "open now" blocks.

Mechanism apps register a provider in their ``AppConfig.ready()``; the home page calls each one.
The portal never imports a mechanism app, so dependencies keep pointing one way.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import get_language


@dataclass(frozen=True)
class OpenNowItem:
    title: str
    url: str
    mechanism: str
    closes_on: date | None = None
    summary: str = ""
    # For an event (an in-person dialogue) the date is when it happens, not a deadline.
    is_event: bool = False


Provider = Callable[[HttpRequest], list[OpenNowItem]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Called at start-up (AppConfig.ready), so it must not touch the cache or the database."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister(provider: Provider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def open_now_items(request: HttpRequest) -> list[OpenNowItem]:
    """The same for every visitor in a language, so it is cached briefly: the home page is the busiest page."""
    key = f"open-now:{get_language()}"
    items = cache.get(key)
    if items is None:
        items = []
        for provider in _providers:
            items.extend(provider(request))
        items.sort(key=lambda item: (item.closes_on is None, item.closes_on or date.max))
        cache.set(key, items, settings.OPEN_NOW_CACHE_SECONDS)
    return items
