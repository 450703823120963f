"""What the site-wide search and the sitemap know of the register: public publications only.

Every save or delete of a publication reindexes it in the same transaction (``search.watch``): publishing
writes its rows, editing rewrites them (one row per language, never a duplicate), going back to draft or
preview removes them. Topics are saved after the row, so the admin reindexes once more after them
(``services.publication_reindex``); renaming a topic reindexes its publications (``affected``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy

from engine import search, sitemaps
from engine.models import Mechanism, Topic
from transparency import permissions
from transparency.models import Attachment, BudgetRow, Publication, PublicationVersion


class PublicationSearch(search.Provider):
    model = Publication
    mechanism = Mechanism.INFORMATION
    kind = "publication"
    label = gettext_lazy("Publicación")
    summary_field = "summary"

    def queryset(self) -> QuerySet[Publication]:
        return permissions.visible_to(permissions.ANONYMOUS).prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("order", "slug"))
        )

    def body(self, obj: Publication) -> str:
        topics = ", ".join(topic.name for topic in obj.topics.all())
        return "\n\n".join(
            text
            for text in (strip_tags(obj.body or ""), obj.responsible_unit, obj.get_type_display(), topics)
            if text
        )

    def affected(self, obj) -> Iterable[int] | None:
        """A topic's name is in the text; the rows a page shows (files, budget, versions) are watched too, so
        that every change to a public page changes the index version its shared copy is kept under."""
        if isinstance(obj, Topic):
            return Publication.objects.filter(topics=obj).values_list("pk", flat=True)
        if isinstance(obj, Attachment | BudgetRow | PublicationVersion):
            return [obj.publication_id]
        return super().affected(obj)


PUBLICATIONS = PublicationSearch()


def register() -> None:
    """Called once from ``transparency.hooks`` (AppConfig.ready)."""
    search.register(PUBLICATIONS)
    search.watch(Publication, Topic, Attachment, BudgetRow, PublicationVersion)
    sitemaps.register(
        "transparency-pages", sitemaps.PagesSitemap(["transparency:index", "transparency:open-data"])
    )
    sitemaps.register("publications", sitemaps.ProviderSitemap(PUBLICATIONS))
