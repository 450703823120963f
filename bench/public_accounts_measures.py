"""The public account bench's measurements, in a child process with Django set up (``bench/child.py``):
``setup`` makes the account and its answered questions, counts the page's queries, builds the answers
document (timed, peak memory); ``cleanup <session key>`` deletes what ``setup`` made."""

from __future__ import annotations

import os
import resource
import time
from datetime import timedelta
from importlib import import_module

from allauth.account.models import EmailAddress
from common import HOST
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from public_accounts_bench import NO_PAGE_CACHE, PAGE, READER_EMAIL, YEAR

from participants.models import Participant, User
from public_accounts import services
from public_accounts.models import AnswerState, PublicAccount, Question, Section, Status


def _queries(client: Client, cookies: dict) -> int:
    """The page's queries when it renders everything (no shared copy of its content or row: those would hide
    what 20 and 2,000 questions cost)."""
    client.cookies.clear()
    for key, value in cookies.items():
        client.cookies[key] = value
    with override_settings(FRAGMENT_CACHE_SECONDS=0):
        client.get(PAGE)
        with CaptureQueriesContext(connection) as context:
            response = client.get(PAGE)
    if response.status_code != 200:
        raise RuntimeError(f"{PAGE} answered {response.status_code}")
    return len(context.captured_queries)


def _questions(account: PublicAccount, sections: list[Section], count: int, start: int, state: str) -> None:
    participants = Participant.objects.bulk_create([Participant() for _ in range(count)], batch_size=1000)
    now = timezone.now()
    Question.objects.bulk_create(
        [
            Question(
                account=account,
                participant=participant,
                section=sections[n % len(sections)],
                text=f"¿Pregunta de prueba número {start + n} sobre los plazos de residencia en regiones?",
                text_hash=f"bench-{start + n}",
                status=Status.ACCEPTED,
                answer=f"Respuesta {start + n}: el plazo promedio fue de 120 días; la meta es 90.",
                answer_es=f"Respuesta {start + n}: el plazo promedio fue de 120 días; la meta es 90.",
                answer_state=state,
                answered_at=now if state == AnswerState.PUBLISHED else None,
                due_date=timezone.localdate() + timedelta(days=10),
                created_at=now - timedelta(days=20),
            )
            for n, participant in enumerate(participants)
        ],
        batch_size=1000,
    )


def setup() -> dict:
    count = int(os.environ.get("BENCH_ACCOUNT_QUESTIONS", "2000"))
    now = timezone.now()
    with transaction.atomic():
        reader = User.objects.create(email=READER_EMAIL, password=make_password(None))
        EmailAddress.objects.create(user=reader, email=reader.email, verified=True, primary=True)
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = reader._meta.pk.value_to_string(reader)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = reader.get_session_auth_hash()
        session.create()
        account = PublicAccount.objects.create(
            year=YEAR,
            period="enero a diciembre",
            title="Cuenta pública de prueba",
            title_es="Cuenta pública de prueba",
            summary="Resumen.",
            summary_es="Resumen.",
            published_at=now - timedelta(days=60),
            questions_open_at=now - timedelta(days=50),
            questions_close_at=now - timedelta(days=30),
        )
        sections = [
            Section.objects.create(account=account, order=n, title=f"Sección {n}", title_es=f"Sección {n}")
            for n in range(3)
        ]
        _questions(account, sections, 20, 0, AnswerState.PUBLISHED)
    client = Client(HTTP_HOST=HOST)
    before = _queries(client, {"sessionid": session.session_key}) + _queries(client, NO_PAGE_CACHE)
    with transaction.atomic():
        _questions(account, sections, count - 20, 20, AnswerState.APPROVED)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Question._meta.db_table}")
    started = time.perf_counter()
    document = services.answers_publish_all(account=account)
    seconds = time.perf_counter() - started
    peak_megabytes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    after = _queries(client, {"sessionid": session.session_key}) + _queries(client, NO_PAGE_CACHE)
    return {
        "session": session.session_key,
        "queries": (before, after),
        "document_seconds": seconds,
        "peak_megabytes": peak_megabytes,
        "document_questions": document.question_count,
    }


def cleanup(session_key: str) -> dict:
    with transaction.atomic():
        account = PublicAccount.objects.filter(year=YEAR).first()
        participants = list(account.questions.values_list("participant_id", flat=True)) if account else []
        if account:
            account.answer_documents.all().delete()
            account.questions.all().delete()
            account.delete()
        Participant.objects.filter(pk__in=participants).delete()
        Session.objects.filter(session_key=session_key).delete()
        User.objects.filter(email=READER_EMAIL).delete()
    return {"participants": len(participants)}


MEASURES = {"setup": setup, "cleanup": cleanup}
