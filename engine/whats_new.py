"""The home page's "what's new" list: recent public news from every mechanism (a publication, the answers of a
public account, approved COSOC minutes, published consultation results).

Mechanism apps register a provider in `hooks.py`; each returns its newest public items, built for
`participants.permissions.ANONYMOUS` (the home page is the same for everyone in a language), newest first and
at most `limit` of them. The home page merges them, keeps the newest `WHATS_NEW_LIMIT` and caches the list
briefly per language like "open now".

    from engine import whats_new

    @whats_new.register
    def publications(limit: int) -> list[whats_new.NewsItem]:
        return [whats_new.NewsItem(title=p.title, url=p.get_absolute_url(), mechanism=..., published_at=p.published_at)
                for p in Publication.objects.published()[:limit]]
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language


@dataclass(frozen=True)
class NewsItem:
    title: str
    url: str
    mechanism: str
    published_at: datetime
    summary: str = ""


Provider = Callable[[int], list[NewsItem]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Called at start-up (hooks imported by AppConfig.ready), so it must not touch the cache or the database."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister(provider: Provider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def collect(limit: int) -> list[NewsItem]:
    items: list[NewsItem] = []
    for provider in _providers:
        items.extend(provider(limit))
    items.sort(key=lambda item: item.published_at, reverse=True)
    return items[:limit]


def whats_new_items() -> list[NewsItem]:
    key = f"whats-new:{get_language()}"
    items = cache.get(key)
    if items is None:
        items = collect(settings.WHATS_NEW_LIMIT)
        cache.set(key, items, settings.OPEN_NOW_CACHE_SECONDS)
    return items
