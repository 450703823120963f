"""The relevant-information bench's measurements, in a child process with Django set up (``bench/child.py``):
``setup`` inserts the synthetic publications, rebuilds the index (timed) and counts each page's queries before
and after; ``cleanup <session key>`` deletes what ``setup`` made."""

from __future__ import annotations

import os
import random
import time
from datetime import timedelta
from decimal import Decimal
from importlib import import_module

from allauth.account.models import EmailAddress
from common import HOST, vacuum
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from search_bench import MIGRATION, WORDS
from transparency_bench import DETAIL_SLUG, NO_PAGE_CACHE, PAGES, READER_EMAIL, SLUG_PREFIX

from engine import search
from engine.models import SearchDocument, Topic
from participants.models import User
from transparency import services
from transparency.models import (
    Attachment,
    BudgetRow,
    Publication,
    PublicationType,
    PublicationVersion,
    Status,
)

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _sentence(rng: random.Random, language: str, words: int, migration: bool) -> str:
    chosen = rng.choices(WORDS[language], k=words)
    if migration:
        chosen[rng.randrange(words)] = MIGRATION[language]
    return " ".join(chosen).capitalize() + "."


def _count_queries(client, session_key: str) -> dict[str, int]:
    settings.SEARCH_CACHE_SECONDS = 0
    counts = {}
    for name, path in PAGES.items():
        for who, cookie in (("anonymous", NO_PAGE_CACHE), ("signed in", {"sessionid": session_key})):
            client.cookies.clear()
            for key, value in cookie.items():
                client.cookies[key] = value
            client.get(path)
            with CaptureQueriesContext(connection) as context:
                response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
            counts[f"{name}, {who}"] = len(context.captured_queries)
    return counts


def _detail_publication() -> None:
    """The measured detail page: a budget with 20 rows, 20 versions and 20 attachments."""
    publication = Publication.objects.create(
        slug=DETAIL_SLUG,
        type=PublicationType.BUDGET,
        title="Presupuesto de migración (bench)",
        title_es="Presupuesto de migración (bench)",
        summary="Resumen del presupuesto.",
        summary_es="Resumen del presupuesto.",
        body="<p>Texto.</p>",
        responsible_unit="Finanzas",
    )
    services.publication_publish(publication=publication)
    for n in range(20):
        BudgetRow.objects.create(
            publication=publication, order=n, program=f"Programa {n}", program_es=f"Programa {n}",
            budget=Decimal(1_000_000 + n), executed=Decimal(500_000 + n),
        )  # fmt: skip
        attachment = Attachment(
            publication=publication, title=f"Anexo {n}", title_es=f"Anexo {n}", description="Anexo.",
            description_es="Anexo.", file_name=f"anexo-{n}.pdf",
        )  # fmt: skip
        attachment.file.save(f"anexo-{n}.pdf", ContentFile(MINIMAL_PDF), save=False)
        attachment.save()
        services.publication_update(publication=publication, change_note=f"Cambio {n}.")


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
        _detail_publication()
    client = Client(HTTP_HOST=HOST)
    before = _count_queries(client, session.session_key)

    rng = random.Random(14)  # noqa: S311 - reproducible synthetic text, not security
    today = timezone.localdate()
    types = PublicationType.values
    publications = []
    for n in range(count):
        migration = rng.random() < 0.2
        texts = {}
        for language in ("es", "ht", "en"):
            texts[f"title_{language}"] = _sentence(rng, language, 7, migration and rng.random() < 0.3)
            texts[f"summary_{language}"] = _sentence(rng, language, 30, migration)
            texts[f"body_{language}"] = f"<p>{_sentence(rng, language, 120, migration)}</p>"
            texts[f"responsible_unit_{language}"] = "Departamento de Estudios"
        day = today - timedelta(days=rng.randrange(1500))
        publications.append(
            Publication(
                slug=f"{SLUG_PREFIX}{n}",
                type=types[n % len(types)],
                title=texts["title_es"],
                summary=texts["summary_es"],
                body=texts["body_es"],
                responsible_unit=texts["responsible_unit_es"],
                status=Status.PUBLISHED,
                published_on=day,
                updated_on=day,
                next_review_on=day + timedelta(days=365),
                **texts,
            )
        )
    with transaction.atomic():
        made = Publication.objects.bulk_create(publications, batch_size=500)
        topics = list(Topic.objects.all())
        through = Publication.topics.through
        through.objects.bulk_create(
            [through(publication_id=p.pk, topic_id=topics[i % len(topics)].pk) for i, p in enumerate(made)],
            batch_size=1000,
        )
        PublicationVersion.objects.bulk_create(
            [
                PublicationVersion(
                    publication_id=p.pk,
                    number=1,
                    published_on=p.published_on,
                    change_note="Primera publicación.",
                    change_note_es="Primera publicación.",
                    title=p.title,
                    title_es=p.title_es,
                    summary=p.summary,
                    summary_es=p.summary_es,
                )  # fmt: skip
                for p in made
            ],
            batch_size=500,
        )
    started = time.perf_counter()
    search.rebuild()
    rebuild_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {SearchDocument._meta.db_table}")
        cursor.execute(f"ANALYZE {Publication._meta.db_table}")
    after = _count_queries(client, session.session_key)
    return {
        "session": session.session_key,
        "publications": Publication.objects.count(),
        "rebuild_seconds": rebuild_seconds,
        "queries": {name: (before[name], after[name]) for name in before},
    }


def cleanup(session_key: str) -> dict:
    """Plain DELETEs: the ORM would reindex (and query) once per deleted publication."""
    publications, documents = Publication._meta.db_table, SearchDocument._meta.db_table
    content_type = ContentType.objects.get_for_model(Publication).pk
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {documents} WHERE content_type_id = %s AND object_id IN "
            f"(SELECT id FROM {publications} WHERE slug LIKE %s)",
            [content_type, f"{SLUG_PREFIX}%"],
        )
        for related in (PublicationVersion, BudgetRow, Attachment, Publication.topics.through):
            cursor.execute(
                f"DELETE FROM {related._meta.db_table} WHERE publication_id IN "
                f"(SELECT id FROM {publications} WHERE slug LIKE %s)",
                [f"{SLUG_PREFIX}%"],
            )
        cursor.execute(f"DELETE FROM {publications} WHERE slug LIKE %s", [f"{SLUG_PREFIX}%"])
        deleted = cursor.rowcount
        Session.objects.filter(session_key=session_key).delete()
        User.objects.filter(email=READER_EMAIL).delete()
    vacuum(SearchDocument, Publication)
    return {"publications": deleted}


MEASURES = {"setup": setup, "cleanup": cleanup}
