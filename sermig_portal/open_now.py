"""The home page's "open now" blocks.

Mechanism apps register a provider in their ``AppConfig.ready()``; the home page calls each one.
The portal never imports a mechanism app, so dependencies keep pointing one way.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest


@dataclass(frozen=True)
class OpenNowItem:
    title: str
    url: str
    mechanism: str
    closes_on: date | None = None
    summary: str = ""


Provider = Callable[[HttpRequest], list[OpenNowItem]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister(provider: Provider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def open_now_items(request: HttpRequest) -> list[OpenNowItem]:
    items: list[OpenNowItem] = []
    for provider in _providers:
        items.extend(provider(request))
    return sorted(items, key=lambda item: (item.closes_on is None, item.closes_on or date.max))
