"""Measurements for the pages sections of ``run.py``, in a child process with Django set up (``bench/child.py``).

``reader`` makes (or finds) a signed-in reader: a verified user with a server-side session, whose cookie the
load generator sends, so that every request renders the page as a signed-in person gets it.
"""

from __future__ import annotations

from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.db import transaction

from consultations.models import Consultation
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
