"""Measurements for the pages sections of ``run.py``, in a child process with Django set up (``bench/child.py``).

``reader`` makes (or finds) a signed-in reader: a verified user with a server-side session, whose cookie the
load generator sends, so that every request renders the page as a signed-in person gets it.
"""

from __future__ import annotations

import time
from datetime import timedelta
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from consultations.models import (
    Commitment,
    Consultation,
    ConsultationDocument,
    Dialogue,
    InstitutionalResponse,
)
from engine.models import Subscription
from participants.models import User

READER_EMAIL = "lectora-bench@example.org"


def reader() -> dict:
    with transaction.atomic():
        user, _created = User.objects.get_or_create(
            email=READER_EMAIL, defaults={"password": make_password(None), "preferred_language": "es"}
        )
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
    detail = Consultation.objects.published().order_by("-closes_at").first()
    return {"session": session.session_key, "detail": detail.get_absolute_url() if detail else "/consultas/"}


MEASURES = {"reader": reader}


# --- Lists at 10x and 100x the demo data ---------------------------------------------------------------

SCALE_SLUG = "bench-escala-"
# Per 1x of the demo data (issue 12 measured 100x as 200 consultations, 1,194 documents, 600 dialogues and
# 201 follows): 2 consultations, 12 documents, 6 dialogues, 2 follows, 2 commitments.
PER_X = {"consultations": 2, "documents": 12, "dialogues": 6, "follows": 2, "commitments": 2}


def _grow(factor: int, reader_email: str) -> str:
    """Add ``factor`` x the demo data's rows; the first synthetic consultation gets the documents, dialogues
    and commitments (a closed consultation whose SERMIG response is published), the reader follows them all."""

    now = timezone.now()
    start = Consultation.objects.filter(slug__startswith=SCALE_SLUG).count()
    made = Consultation.objects.bulk_create(
        Consultation(
            slug=f"{SCALE_SLUG}{start + n}",
            title=f"Consulta de escala {start + n}",
            title_es=f"Consulta de escala {start + n}",
            summary="Una consulta para medir listas largas.",
            summary_es="Una consulta para medir listas largas.",
            announced_at=now - timedelta(days=60 + n),
            opens_at=now - timedelta(days=50 + n),
            closes_at=now - timedelta(days=20 + n),
            results_published_at=now - timedelta(days=10),
            response_published_at=now - timedelta(days=5),
            is_published=True,
            last_notified_phase="response",
        )
        for n in range(PER_X["consultations"] * factor)
    )
    big = Consultation.objects.filter(slug=f"{SCALE_SLUG}0").get()
    InstitutionalResponse.objects.get_or_create(consultation=big, defaults={"text": "Respuesta de SERMIG."})
    ConsultationDocument.objects.bulk_create(
        ConsultationDocument(
            consultation=big,
            title=f"Documento {i}",
            title_es=f"Documento {i}",
            url="https://example.org/doc",
            order=i,
        )
        for i in range(PER_X["documents"] * factor)
    )
    Dialogue.objects.bulk_create(
        Dialogue(
            consultation=big,
            title=f"Diálogo {i}",
            title_es=f"Diálogo {i}",
            starts_at=now - timedelta(days=300) + timedelta(hours=7 * i),
            ends_at=now - timedelta(days=300) + timedelta(hours=7 * i + 2),
            place="Sede",
            region="CL-RM",
            commune="Santiago",
        )
        for i in range(PER_X["dialogues"] * factor)
    )
    Commitment.objects.bulk_create(
        Commitment(
            consultation=big,
            text=f"Compromiso {i}",
            text_es=f"Compromiso {i}",
            responsible_unit="Unidad",
            due_date=now.date(),
            order=i,
        )
        for i in range(PER_X["commitments"] * factor)
    )
    reader = User.objects.get(email=reader_email)
    kind = ContentType.objects.get_for_model(Consultation)
    Subscription.objects.bulk_create(
        Subscription(user=reader, content_type=kind, object_id=c.pk)
        for c in made[: PER_X["follows"] * factor]
    )
    return big.get_absolute_url()


def _times(client, paths: list[str], repeats: int = 15) -> dict[str, list[float]]:

    times: dict[str, list[float]] = {path: [] for path in paths}
    for path in paths:
        assert client.get(path).status_code == 200, path  # warm
    for _ in range(repeats):
        for path in paths:
            started = time.perf_counter()
            client.get(path)
            times[path].append(time.perf_counter() - started)
    return times


def scale() -> dict:
    """Signed in (no page cache; FRAGMENT_CACHE_SECONDS=0 in this process, so every list renders), the
    index, a closed consultation with its lists, the iCal feed and "Mis avisos" at 10x, then at 100x."""

    session = reader()["session"]
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = session
    results = {}
    with override_settings(FRAGMENT_CACHE_SECONDS=0, RESULTS_CACHE_SECONDS=300):
        detail = _grow(10, READER_EMAIL)
        paths = ["/consultas/", detail, "/consultas/dialogos.ics", "/avisos/"]
        results["10x"] = _times(client, paths)
        _grow(90, READER_EMAIL)
        results["100x"] = _times(client, paths)
    return {"paths": paths, **results}


def scale_cleanup() -> dict:

    with transaction.atomic():
        ids = list(Consultation.objects.filter(slug__startswith=SCALE_SLUG).values_list("pk", flat=True))
        Subscription.objects.filter(object_id__in=ids, user__email=READER_EMAIL).delete()
        deleted = Consultation.objects.filter(pk__in=ids).delete()[0]
    return {"deleted": deleted}


MEASURES.update({"scale": scale, "scale-cleanup": scale_cleanup})
