"""What the register adds to shared pages: the home page's "what's new", search and sitemap, open data and
the footer's social channels. Each asks ``permissions`` with ANONYMOUS: these surfaces are public."""

from __future__ import annotations

from django.utils.translation import gettext as _

from engine import opendata, social_channels, whats_new
from transparency import exports, permissions, selectors
from transparency import search as transparency_search
from transparency.rules import midday


def _new_publications(limit: int) -> list[whats_new.NewsItem]:
    publications = (
        permissions.visible_to(permissions.ANONYMOUS)
        .exclude(published_on__isnull=True)
        .order_by("-updated_on", "-published_on", "-pk")[:limit]
    )
    return [
        whats_new.NewsItem(
            title=publication.title,
            url=publication.get_absolute_url(),
            mechanism=_("Información relevante: %(type)s") % {"type": publication.get_type_display()},
            published_at=midday(publication.last_updated),
            summary=publication.summary,
        )
        for publication in publications
    ]


whats_new.register(_new_publications)
transparency_search.register()
opendata.register(exports.datasets)
social_channels.register(selectors.social_channels)
