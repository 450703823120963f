"""Reads for the register's pages; they own select_related/prefetch and ask ``permissions``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import get_language

from engine.models import Topic
from engine.notifications.selectors import followed_objects
from transparency import permissions
from transparency.models import (
    Attachment,
    BudgetRow,
    Publication,
    PublicationKind,
    PublicationType,
    PublicationVersion,
    SocialChannel,
)
from transparency.services import SOCIAL_CHANNELS_CACHE_KEY


@dataclass
class ListFilters:
    """What the list was asked for, each value checked: unknown values are ignored, never an error."""

    type: str = ""
    topic: Topic | None = None
    year: int | None = None
    ignored: list[str] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool(self.type or self.topic or self.year)


def list_filters(params, topics: list[Topic]) -> ListFilters:
    filters = ListFilters()
    kind = (params.get("tipo") or "").strip()
    if kind in PublicationType.values:
        filters.type = kind
    elif kind:
        filters.ignored.append("tipo")
    slug = (params.get("tema") or "").strip()
    by_slug = {topic.slug: topic for topic in topics}
    if slug in by_slug:
        filters.topic = by_slug[slug]
    elif slug:
        filters.ignored.append("tema")
    year = (params.get("anio") or "").strip()
    if year.isdigit() and 1900 <= int(year) <= 2999:
        filters.year = int(year)
    elif year:
        filters.ignored.append("anio")
    return filters


def publication_list(user, filters: ListFilters) -> QuerySet[Publication]:
    """Newest first; topics come in one extra query per page, whatever the number of rows."""
    publications = permissions.visible_to(user).prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("order", "slug"))
    )
    if filters.type:
        publications = publications.filter(type=filters.type)
    if filters.topic is not None:
        publications = publications.filter(topics=filters.topic)
    if filters.year:
        publications = publications.filter(published_on__year=filters.year)
    return publications.order_by("-published_on", "-pk")


def publication_years(user) -> list[int]:
    return [
        day.year
        for day in permissions.visible_to(user)
        .exclude(published_on__isnull=True)
        .dates("published_on", "year", order="DESC")
    ]


@dataclass
class PublicationAccess:
    publication: Publication
    preview: bool


def publication_access(*, slug: str, user, full: bool = True) -> PublicationAccess:
    """The publication if this person may see it (else Http404), with what its page shows."""
    publications = permissions.visible_to(user)
    if not full:
        publications = publications.only(
            "pk",
            "slug",
            "status",
            *(
                f"{field}_{code}"
                for field in ("title", "summary")
                for code in settings.MODELTRANSLATION_LANGUAGES
            ),
        )
    if full:
        publications = publications.prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("order", "slug")),
            Prefetch("versions", queryset=PublicationVersion.objects.order_by("-number")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("order", "pk")),
            Prefetch("budget_rows", queryset=BudgetRow.objects.order_by("order", "pk")),
        )
    publication = publications.filter(slug=slug).first()
    if publication is None:
        raise Http404
    return PublicationAccess(publication, preview=not publication.is_public)


def active_topics() -> list[Topic]:
    return list(Topic.objects.active())


def social_channels() -> list[SocialChannel]:
    """The visible channels, cached per language (they are on every page's footer)."""
    key = SOCIAL_CHANNELS_CACHE_KEY.format(language=get_language())
    channels = cache.get(key)
    if channels is None:
        channels = list(SocialChannel.objects.filter(is_active=True).order_by("order", "pk"))
        cache.set(key, channels, settings.TRANSPARENCY_CHANNELS_CACHE_SECONDS)
    return channels


def review_list(user) -> QuerySet[Publication]:
    """Published items past their review date, oldest first (for staff who keep the register timely)."""
    return Publication.objects.past_review()


def followed_types(user) -> set[str]:
    """The publication types this person follows (from their kept set of follows: no query for someone who
    follows none; none for visitors)."""
    if not user.is_authenticated:
        return set()
    kind = ContentType.objects.get_for_model(PublicationKind).pk
    ids = [object_id for content_type, object_id in followed_objects(user) if content_type == kind]
    if not ids:
        return set()
    return set(PublicationKind.objects.filter(pk__in=ids).values_list("type", flat=True))
