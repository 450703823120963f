"""RSS and Atom feeds of the register (Django's syndication framework), all types or one: public only."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from transparency import permissions
from transparency.models import TYPE_PLURALS, Publication, PublicationType
from transparency.rules import midday


class PublicationsRss(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request: HttpRequest, type: str = "") -> str:
        if type and type not in PublicationType.values:
            raise Http404
        return type

    def title(self, obj: str) -> str:
        if obj:
            return _("SERMIG — %(types)s") % {"types": TYPE_PLURALS[PublicationType(obj)]}
        return _("SERMIG — Información relevante")

    def link(self, obj: str) -> str:
        url = reverse("transparency:index")
        return f"{url}?tipo={obj}" if obj else url

    def description(self, obj: str) -> str:
        return _(
            "Políticas, planes, programas, acciones y presupuestos de SERMIG, con su resumen en lenguaje claro."
        )

    def items(self, obj: str):
        # The public rule, whoever asks: a feed reader shares one copy with everyone.
        publications = permissions.visible_to(permissions.ANONYMOUS)
        if obj:
            publications = publications.filter(type=obj)
        return publications.order_by("-updated_on", "-published_on", "-pk")[
            : settings.TRANSPARENCY_FEED_ITEMS
        ]

    def item_title(self, item: Publication) -> str:
        # Feed readers render titles and summaries as HTML: only the words travel.
        return strip_tags(item.title)

    def item_description(self, item: Publication) -> str:
        # Plain text: the summary is plain already; nothing of the body's markup reaches a feed reader.
        return strip_tags(item.summary)

    def item_link(self, item: Publication) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Publication):
        return midday(item.published_on)

    def item_updateddate(self, item: Publication):
        return midday(item.last_updated)

    def item_categories(self, item: Publication) -> list[str]:
        return [str(item.get_type_display())]


class PublicationsAtom(PublicationsRss):
    feed_type = Atom1Feed
    subtitle = PublicationsRss.description
