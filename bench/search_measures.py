"""The search bench's measurements, in a child process with Django set up (``bench/child.py``).

``search_bench.py`` runs them through ``run_child(bench, "search_measures", <what>, …)``: ``setup`` inserts the
synthetic publications, rebuilds the index (timed), counts each page's queries before and after and times
in-process renders; ``cleanup <session key>`` deletes what ``setup`` made.
"""

from __future__ import annotations

import os
import random
import time
from importlib import import_module

# The other bench modules: bench/ is first on sys.path when bench/child.py runs.
from allauth.account.models import EmailAddress
from common import HOST, vacuum
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from search_bench import (
    KREYOL_SEARCH,
    MIGRATION,
    NO_PAGE_CACHE,
    PAGES,
    QUERY,
    READER_EMAIL,
    SEARCH,
    SLUG_PREFIX,
    WORDS,
)

from consultations.models import Consultation
from engine import search
from engine.models import SearchDocument
from engine.search.selectors import search_documents
from participants.models import User


def _sentence(rng: random.Random, language: str, words: int, migration: bool) -> str:
    chosen = rng.choices(WORDS[language], k=words)
    if migration:
        chosen[rng.randrange(words)] = MIGRATION[language]
    return " ".join(chosen).capitalize() + "."


def _count_queries(client, session_key: str) -> dict[str, int]:
    """Queries of each page as it is rendered (an anonymous copy would come from the page cache), with the
    search computed and with what it shows served from the cache."""

    counts = {}
    for mode, seconds in (("computed", 0), ("cached", 300)):
        settings.SEARCH_CACHE_SECONDS = seconds
        for name, path in PAGES.items():
            client.cookies.clear()
            cookie = {"sessionid": session_key} if name.startswith("signed in") else NO_PAGE_CACHE
            for key, value in cookie.items():
                client.cookies[key] = value
            client.get(path)  # content types, translations and the like, alike on both sides
            with CaptureQueriesContext(connection) as context:
                response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
            counts[f"{name}, {mode}"] = len(context.captured_queries)
    return counts


def _render_times(client, session_key: str, repeats: int = 15) -> dict[str, list[float]]:
    """Seconds per signed-in render in this process: every search computed, and served from the cache."""

    client.cookies.clear()
    client.cookies["sessionid"] = session_key
    times: dict[str, list[float]] = {}
    for path in (SEARCH, KREYOL_SEARCH):
        for mode, seconds in (("computed", 0), ("cached", 300)):
            settings.SEARCH_CACHE_SECONDS = seconds
            client.get(path)
            samples = []
            for _ in range(repeats):
                started = time.perf_counter()
                client.get(path)
                samples.append(time.perf_counter() - started)
            times[f"{path} signed in, {mode}"] = samples
    return times


def setup() -> dict:

    count = int(os.environ.get("BENCH_PUBLICATIONS", "5000"))
    with transaction.atomic():
        reader = User.objects.create(email=READER_EMAIL, password=make_password(None))
        EmailAddress.objects.create(user=reader, email=reader.email, verified=True, primary=True)
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = reader._meta.pk.value_to_string(reader)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = reader.get_session_auth_hash()
        session.create()
    client = Client(HTTP_HOST=HOST)
    before = _count_queries(client, session.session_key)

    rng = random.Random(14)  # noqa: S311 - reproducible synthetic text, not security
    now = timezone.now()
    consultations = []
    for n in range(count):
        migration = rng.random() < 0.2
        texts = {}
        for language in ("es", "ht", "en"):
            texts[f"title_{language}"] = _sentence(rng, language, 7, migration and rng.random() < 0.15)
            texts[f"summary_{language}"] = _sentence(rng, language, 30, False)
            texts[f"rationale_{language}"] = _sentence(rng, language, 80, migration)
            texts[f"expected_results_{language}"] = _sentence(rng, language, 40, False)
        consultations.append(
            Consultation(
                slug=f"{SLUG_PREFIX}{n}",
                title=texts["title_es"],
                summary=texts["summary_es"],
                rationale=texts["rationale_es"],
                expected_results=texts["expected_results_es"],
                announced_at=now - timezone.timedelta(days=400),
                opens_at=now - timezone.timedelta(days=390),
                closes_at=now - timezone.timedelta(days=360),
                is_published=True,
                last_notified_phase="closed",
                **texts,
            )
        )
    with transaction.atomic():
        Consultation.objects.bulk_create(consultations, batch_size=500)
    started = time.perf_counter()
    search.rebuild()
    rebuild_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {SearchDocument._meta.db_table}")
    after = _count_queries(client, session.session_key)
    return {
        "render": _render_times(client, session.session_key),
        "session": session.session_key,
        "documents": SearchDocument.objects.count(),
        "rebuild_seconds": rebuild_seconds,
        "matches": search_documents(query=QUERY, language="es").count(),
        "queries": {name: (before[name], after[name]) for name in before},
    }


def cleanup(session_key: str) -> dict:
    """Plain DELETEs: the ORM would reindex (and query) once per deleted consultation."""

    consultations, documents = Consultation._meta.db_table, SearchDocument._meta.db_table
    content_type = ContentType.objects.get_for_model(Consultation).pk
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {documents} WHERE content_type_id = %s AND object_id IN "
            f"(SELECT id FROM {consultations} WHERE slug LIKE %s)",
            [content_type, f"{SLUG_PREFIX}%"],
        )
        cursor.execute(f"DELETE FROM {consultations} WHERE slug LIKE %s", [f"{SLUG_PREFIX}%"])
        deleted = cursor.rowcount
        Session.objects.filter(session_key=session_key).delete()
        User.objects.filter(email=READER_EMAIL).delete()
    vacuum(SearchDocument, Consultation)
    return {"consultations": deleted}


MEASURES = {"setup": setup, "cleanup": cleanup}
