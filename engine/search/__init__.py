"""Site-wide search: what mechanism apps call.

    from engine import search

    search.register(ConsultationSearch())  # AppConfig.ready(): a provider of the app's PUBLIC objects
    search.watch(Consultation, InstitutionalResponse)  # or call these where the app writes:

    search.index(consultation)    # published or edited: its rows are written (only if it is public)
    search.remove(consultation)   # unpublished or deleted: its rows are gone
    search.reindex(consultation)  # either: written while public, removed once it is not

Every call reads the providers' public querysets, so a draft, staff-only or members-only object never gets a
row, whichever call is made; the calls run in the caller's transaction. ``manage.py rebuild_search_index``
writes the whole index again (in batches). The page is ``/buscar/`` (``engine.search.views.search``).

``search.cached_content(namespace=…, language=…, shown=…, render=…)`` keeps a public page's content under the
index version: for pages whose every change reindexes them (watch the rows they show).
"""

from __future__ import annotations

from django.db import models
from django.db.models.signals import post_delete, post_save

from engine.search.registry import Document, Provider, get_provider, providers, register, unregister
from engine.search.selectors import cached_content
from engine.search.services import (
    REBUILD_BATCH_SIZE,
    RebuildResult,
    search_rebuild,
    search_reindex,
    search_remove,
)


def index(obj: models.Model) -> int:
    """``obj`` was published or edited: write its rows (and those of pages that show it), if public."""
    return search_reindex(obj=obj)


def reindex(obj: models.Model) -> int:
    """``obj`` changed in some way: rows for what is public, none for what is not."""
    return search_reindex(obj=obj)


def remove(obj: models.Model) -> int:
    """``obj`` is gone or no longer public: remove its rows without looking at it again."""
    return search_remove(obj=obj)


def rebuild(*, batch_size: int = REBUILD_BATCH_SIZE) -> RebuildResult:
    """Every public object of every provider written again, in batches; every other row removed."""
    return search_rebuild(batch_size=batch_size)


def _reindex_receiver(sender, instance: models.Model, raw: bool = False, **kwargs) -> None:
    if not raw:  # fixtures are loaded as they are; rebuild_search_index indexes them
        search_reindex(obj=instance)


def watch(*watched: type[models.Model]) -> None:
    """Reindex after every save and delete of these models, in the same transaction.

    For writes that skip signals (``QuerySet.update``, ``bulk_create``) call ``reindex`` yourself.
    """
    for model in watched:
        for signal in (post_save, post_delete):
            signal.connect(
                _reindex_receiver, sender=model, weak=False, dispatch_uid=f"engine.search:{model._meta.label}"
            )


__all__ = [
    "Document",
    "cached_content",
    "Provider",
    "RebuildResult",
    "get_provider",
    "index",
    "providers",
    "rebuild",
    "register",
    "reindex",
    "remove",
    "unregister",
    "watch",
]
