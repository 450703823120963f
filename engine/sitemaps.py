"""``/sitemap.xml``: each app registers its Sitemap classes; every public page is listed in every language.

    from engine import sitemaps
    sitemaps.register("consultations", sitemaps.ProviderSitemap(ConsultationSearch()))
    sitemaps.register("consultations-pages", sitemaps.PagesSitemap(["consultations:index"]))

``ProviderSitemap`` lists a search provider's public queryset, so the sitemap and the search index share one
visibility rule and one URL per object.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from engine.search.registry import Provider

_SITEMAPS: dict[str, Sitemap] = {}


class TranslatedSitemap(Sitemap):
    """Each item once per language (``/``, ``/ht/``, ``/en/``), with the other languages as alternates."""

    i18n = True
    alternates = True
    x_default = True


class PagesSitemap(TranslatedSitemap):
    """Pages without an object behind them, by URL name (a mechanism's index)."""

    def __init__(self, url_names: Iterable[str]) -> None:
        self.url_names = list(url_names)

    def items(self) -> list[str]:
        return self.url_names

    def location(self, item: str) -> str:
        return reverse(item)


class ProviderSitemap(TranslatedSitemap):
    """A search provider's public objects, at the provider's URL for each language."""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider

    def items(self) -> models.QuerySet:
        return self.provider.queryset().order_by("pk")

    def location(self, item: models.Model) -> str:
        return self.provider.url(item)


def register(section: str, sitemap: Sitemap) -> Sitemap:
    """Register (or replace) one section of the sitemap, at start-up."""
    _SITEMAPS[section] = sitemap
    return sitemap


def unregister(section: str) -> None:
    _SITEMAPS.pop(section, None)


def registered() -> dict[str, type[Sitemap] | Sitemap]:
    return dict(_SITEMAPS)


def sitemap(request: HttpRequest) -> HttpResponse:
    return django_sitemap(request, sitemaps=registered())
