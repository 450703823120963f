"""Writes to the search index. Every write reads the providers' PUBLIC querysets, so whatever a caller passes,
only public objects get rows, and an object that stopped being public loses them.

They run in the caller's transaction (a few small queries): an edit, its index rows and the new index version
(under which results are cached) commit or roll back together. ``search_rebuild`` works in batches, each in
its own transaction, so the index stays searchable.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.core.cache import cache
from django.db import connection, models, transaction
from django.utils import timezone

from engine.models import SearchDocument, SearchIndexVersion
from engine.search.registry import Document, Provider, providers
from engine.search.text import clean, fold

logger = logging.getLogger(__name__)

# PostgreSQL text-search configuration per language (engine migration 0004); others fold accents only.
TEXT_SEARCH_CONFIGS = {"es": "sermig_es", "en": "sermig_en", "ht": "sermig_ht"}
DEFAULT_CONFIG = "sermig_ht"
REBUILD_BATCH_SIZE = 500
# The index version is read from the cache (shared by every process with Redis): a write sets it after its
# commit; should that fail, the copy is read from the database again after this many seconds at most.
VERSION_CACHE_KEY = "search:index-version"
VERSION_CACHE_SECONDS = 60
# Each process reuses the token it read this long, so a page served from the cache needs no round trip.
LOCAL_VERSION_SECONDS = 2.0
_local_version: list = [None, 0.0]  # token, time.monotonic() when read


def text_search_config(language: str) -> str:
    return TEXT_SEARCH_CONFIGS.get(language, DEFAULT_CONFIG)


@dataclass(frozen=True)
class RebuildResult:
    documents: int
    removed: int


def _index_changed() -> None:
    """A new version token, written in the caller's transaction: what the search page cached under the old one
    is never served again once it commits.

    The cache's copy of the token is dropped now (readers go back to the database's row, which shows the new
    token only after the commit) and replaced by the new token after the commit. The row is upserted, so a
    database emptied by a test (or by hand) gets it back on the next write.
    """
    token = uuid.uuid4().hex
    SearchIndexVersion.objects.bulk_create(
        [SearchIndexVersion(pk=1, token=token, changed_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["token", "changed_at"],
    )
    forget_local_version()
    _cache_quietly(cache.delete, VERSION_CACHE_KEY)
    transaction.on_commit(lambda: _share_version(token))


def _share_version(token: str) -> None:
    """After the commit: this process (its other threads too) and, through the cache, every other one."""
    _local_version[:] = [token, time.monotonic()]
    _cache_quietly(cache.set, VERSION_CACHE_KEY, token, VERSION_CACHE_SECONDS)


def _cache_quietly(operation, *args) -> None:
    try:
        operation(*args)
    except Exception:  # the cache is down: its copy of the version expires within VERSION_CACHE_SECONDS
        logger.warning("search index: the cache's copy of the version could not be updated", exc_info=True)


def forget_local_version() -> None:
    """This process reads the version again on its next search (a write, or a test starting afresh)."""
    _local_version[:] = [None, 0.0]


def index_version() -> str:
    """The token what the search page shows is cached under.

    Each process keeps the token it read for ``LOCAL_VERSION_SECONDS``: a write made by another process is
    seen within that time (one made by this process at once). Otherwise it is the cache's copy, or else the
    database's row (one primary-key read), copied unless a newer token was copied meanwhile (``add``).
    """
    token, read_at = _local_version
    now = time.monotonic()
    if token is not None and now - read_at < LOCAL_VERSION_SECONDS:
        return token
    token = cache.get(VERSION_CACHE_KEY)
    if token is None:
        token = SearchIndexVersion.objects.filter(pk=1).values_list("token", flat=True).first() or "-"
        cache.add(VERSION_CACHE_KEY, token, VERSION_CACHE_SECONDS)
    _local_version[:] = [token, now]
    return token


def _vector(document: Document):
    """Title A, summary B, body D, in the document's language: computed by PostgreSQL on insert."""
    config = text_search_config(document.language)
    return (
        SearchVector(models.Value(document.title), weight="A", config=config)
        + SearchVector(models.Value(document.summary), weight="B", config=config)
        + SearchVector(models.Value(document.body), weight="D", config=config)
    )


def _row(provider: Provider, content_type: ContentType, obj: models.Model, document: Document, now):
    document = Document(
        language=document.language,
        title=clean(document.title).strip(),
        summary=clean(document.summary).strip(),
        body=clean(document.body).strip(),
        url=document.url,
    )
    return SearchDocument(
        content_type=content_type,
        object_id=obj.pk,
        language=document.language,
        mechanism=provider.mechanism,
        kind=provider.kind,
        title=document.title,
        summary=document.summary,
        body=document.body,
        url=document.url,
        updated_at=now,
        vector=_vector(document) if connection.vendor == "postgresql" else None,
        folded=fold(f"{document.title}\n{document.summary}\n{document.body}"),
    )


def _write(provider: Provider, objects: Iterable[models.Model], now) -> int:
    """Insert or overwrite the rows of these (public) objects: one statement, whatever was there before."""
    content_type = provider.content_type
    rows = [_row(provider, content_type, obj, doc, now) for obj in objects for doc in provider.documents(obj)]
    SearchDocument.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["content_type", "object_id", "language"],
        update_fields=[
            "mechanism",
            "kind",
            "title",
            "summary",
            "body",
            "url",
            "updated_at",
            "vector",
            "folded",
        ],
    )
    return len(rows)


def search_reindex(*, obj: models.Model) -> int:
    """Bring the rows of ``obj`` and of everything whose documents read it in step with what is public now.

    Returns the number of rows written. Rows of objects that are no longer public (unpublished, deleted,
    made members-only) are removed.
    """
    now = timezone.now()
    written, changed = 0, False
    for provider in providers():
        concerned = provider.affected(obj)
        if concerned is None:
            continue
        concerned = set(concerned)
        if not concerned:
            continue
        public = list(provider.queryset().filter(pk__in=concerned))
        written += _write(provider, public, now)
        gone = concerned - {item.pk for item in public}
        deleted = 0
        if gone:
            deleted, _by_model = SearchDocument.objects.filter(
                content_type=provider.content_type, object_id__in=gone
            ).delete()
        changed = changed or bool(public) or bool(deleted)
    if changed:
        _index_changed()
    return written


def search_remove(*, obj: models.Model) -> int:
    """Remove every row of ``obj`` (under its own and its proxies' content types) without asking providers."""
    content_types = [
        provider.content_type
        for provider in providers()
        if provider.model._meta.concrete_model is not None
        and isinstance(obj, provider.model._meta.concrete_model)
    ]
    if not content_types:
        return 0
    deleted, _by_model = SearchDocument.objects.filter(
        content_type__in=content_types, object_id=obj.pk
    ).delete()
    if deleted:
        _index_changed()
    return deleted


def search_rebuild(*, batch_size: int = REBUILD_BATCH_SIZE) -> RebuildResult:
    """Index every public object of every provider, in batches, then remove every row not written now."""
    started = timezone.now()
    written = 0
    for provider in providers():
        queryset = provider.queryset().order_by("pk")
        last_pk = None
        while True:
            batch_queryset = queryset if last_pk is None else queryset.filter(pk__gt=last_pk)
            batch = list(batch_queryset[:batch_size])
            if not batch:
                break
            with transaction.atomic():
                written += _write(provider, batch, timezone.now())
                _index_changed()
            last_pk = batch[-1].pk
        logger.info("search index: %s rebuilt", provider.kind)
    # Every row not written since ``started`` belongs to an object no longer public or to a provider no longer
    # registered; rows written by a concurrent edit meanwhile are newer and stay.
    with transaction.atomic():
        removed, _by_model = SearchDocument.objects.filter(updated_at__lt=started).delete()
        _index_changed()
    return RebuildResult(documents=written, removed=removed)
