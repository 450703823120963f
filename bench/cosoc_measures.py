"""The COSOC bench's measurements, in a child process with Django set up (``bench/child.py``): ``setup`` counts
each page's queries, inserts the synthetic sessions and agreements and counts again; ``cleanup <session key>``
deletes what ``setup`` made."""

from __future__ import annotations

import datetime
import os
from importlib import import_module

# The other bench modules: bench/ is first on sys.path when bench/child.py runs.
from common import HOST, vacuum
from cosoc_bench import NO_PAGE_CACHE, PAGES, TITLE_PREFIX
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session as LoginSession
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cosoc.models import AgendaItem, Agreement, AgreementStatus, Membership, Session, SessionStatus, Term
from participants.models import User


def _count_queries(client: Client, pages: dict[str, str], member_session: str) -> dict[str, int]:
    # The render path is what could grow with the rows: shared fragments off while counting (this process only).
    settings.COSOC_FRAGMENT_CACHE_SECONDS = 0
    counts = {}
    for path in pages.values():
        for who, cookie in (("anonymous", NO_PAGE_CACHE), ("member", {"sessionid": member_session})):
            client.cookies.clear()
            for key, value in cookie.items():
                client.cookies[key] = value
            client.get(path)
            with CaptureQueriesContext(connection) as context:
                response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code} for {who}")
            counts[f"{path} {who}"] = len(context.captured_queries)
    return counts


def setup() -> dict:
    sessions = int(os.environ.get("BENCH_COSOC_SESSIONS", "200"))
    agreements = int(os.environ.get("BENCH_COSOC_AGREEMENTS", "1000"))
    # A councillor who reads in Spanish: the demo councillor reads Kreyòl, and addresses without a prefix
    # would send her to /ht/ (sermig_portal.language).
    member = User.objects.filter(
        cosoc_memberships__in=Membership.objects.active(), preferred_language="es"
    ).first()
    if member is None:
        raise RuntimeError("the COSOC demo data has no Spanish-speaking councillor")
    login = import_module(settings.SESSION_ENGINE).SessionStore()
    login[SESSION_KEY] = member._meta.pk.value_to_string(member)
    login[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    login[HASH_SESSION_KEY] = member.get_session_auth_hash()
    login.create()
    upcoming = Session.objects.filter(status=SessionStatus.AGENDA_PUBLISHED).order_by("date").first()
    if upcoming is None:
        raise RuntimeError("the COSOC demo data has no upcoming session")
    pages = {**PAGES, "session": upcoming.get_absolute_url()}
    client = Client(HTTP_HOST=HOST)
    before = _count_queries(client, pages, login.session_key)

    term = Term.objects.current().get()
    today = timezone.localdate()
    span = (term.end - term.start).days
    with transaction.atomic():
        made = Session.objects.bulk_create(
            [
                Session(
                    term=term,
                    title=f"{TITLE_PREFIX}{n}",
                    title_es=f"{TITLE_PREFIX}{n}",
                    date=term.start + datetime.timedelta(days=n * span // sessions),
                    starts_at=datetime.time(10),
                    ends_at=datetime.time(12),
                    place="Santiago",
                    status=SessionStatus.MINUTES_APPROVED
                    if term.start + datetime.timedelta(days=n * span // sessions) < today
                    else SessionStatus.AGENDA_PUBLISHED,
                )
                for n in range(sessions)
            ]
        )
        AgendaItem.objects.bulk_create(
            [AgendaItem(session=s, order=1, title="Punto", title_es="Punto") for s in made]
        )
        held = [s for s in made if s.status == SessionStatus.MINUTES_APPROVED] or made
        statuses = AgreementStatus.values
        Agreement.objects.bulk_create(
            [
                Agreement(
                    session=held[n % len(held)],
                    text=f"{TITLE_PREFIX}acuerdo {n}",
                    text_es=f"{TITLE_PREFIX}acuerdo {n}",
                    responsible="Departamento de Estudios",
                    due_date=today + datetime.timedelta(days=n % 90 - 45),
                    status=statuses[n % len(statuses)],
                )
                for n in range(agreements)
            ],
            batch_size=500,
        )
    after = _count_queries(client, pages, login.session_key)
    return {
        "member_session": login.session_key,
        "session_path": upcoming.get_absolute_url(),
        "queries": {name: (before[name], after[name]) for name in before},
    }


def cleanup(member_session: str) -> dict:
    """Plain DELETEs: the ORM would reindex (and query) once per deleted row."""
    sessions = Session._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (Agreement, AgendaItem):
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE session_id IN "
                f"(SELECT id FROM {sessions} WHERE title LIKE %s)",
                [f"{TITLE_PREFIX}%"],
            )
        cursor.execute(f"DELETE FROM {sessions} WHERE title LIKE %s", [f"{TITLE_PREFIX}%"])
        deleted = cursor.rowcount
        LoginSession.objects.filter(session_key=member_session).delete()
    vacuum(Agreement, AgendaItem, Session)
    return {"sessions": deleted}


MEASURES = {"setup": setup, "cleanup": cleanup}
