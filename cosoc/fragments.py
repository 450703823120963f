"""The public parts of COSOC pages, rendered once per change and shared (bench/: rendering them per request
left signed-in readers at 0.03 of the bare view).

A fragment is HTML built for ANONYMOUS only (``permissions`` decide what it holds, as for any public surface),
cached for the language and the day (upcoming/past and overdue depend on it) as of the app's content version.
Every save or delete of a COSOC model changes the version: at once, and again after the commit (a reader
between the two could have cached the old rows under the new version). ``COSOC_FRAGMENT_CACHE_SECONDS = 0``
renders every time.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

VERSION_KEY = "cosoc:content-version"

T = TypeVar("T")


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY) or version
    return version


def content_changed() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _changed(**kwargs) -> None:
    content_changed()
    transaction.on_commit(content_changed)


def _key(name: str, parts: Iterable[object]) -> str:
    return ":".join(
        ["cosoc.shared", name, get_language() or "", timezone.localdate().isoformat(), *map(str, parts)]
    )


def shared(name: str, parts: Iterable[object], build: Callable[[], T]) -> T:
    """``build()``'s value (any picklable value, ``None`` included) for the language, the day and ``parts``,
    as of the content version. Only for what is the same for whoever may reach the key: public HTML and rows,
    or a fact about the reader whose key names the reader.

    The entry carries the version it was built under, so the version and the entry come in one round trip;
    an entry of another version is built again (and replaced). The version is read before ``build`` reads
    any row: an entry built from rows older than a change always carries an older version."""
    seconds = settings.COSOC_FRAGMENT_CACHE_SECONDS
    if not seconds:
        return build()
    key = _key(name, parts)
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY) or content_version()
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = build()
    cache.set(key, (version, value), seconds)
    return value


def cached(name: str, parts: Iterable[object], build: Callable[[], str]) -> str:
    """A public fragment of HTML (built for ANONYMOUS)."""
    return shared(name, parts, build)


def watch() -> None:
    """Called once from ``cosoc.hooks``: every COSOC model, and the registry's organisations members show."""
    models = [*apps.get_app_config("cosoc").get_models(), apps.get_model("participants", "Organization")]
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(
                _changed, sender=model, weak=False, dispatch_uid=f"cosoc.fragments:{model._meta.label}"
            )
