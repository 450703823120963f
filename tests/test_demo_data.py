import io

import pytest
from django.core.management import CommandError, call_command

from engine.models import Topic
from participants.demo import DEMO_EDITOR_EMAIL, DEMO_PASSWORD, DEMO_STAFF_EMAIL
from participants.models import Consent, Participant, User

pytestmark = pytest.mark.django_db


def load() -> str:
    out = io.StringIO()
    call_command("load_demo_data", "--allow-without-debug", stdout=out)
    return out.getvalue()


def snapshot() -> tuple:
    return (User.objects.count(), Participant.objects.count(), Consent.objects.count(), Topic.objects.count())


def test_demo_data_is_idempotent():
    output = load()
    first = snapshot()
    load()
    assert snapshot() == first
    assert first[1] >= 5
    assert DEMO_STAFF_EMAIL in output and DEMO_PASSWORD in output


def test_demo_staff_can_log_into_admin(client):
    load()
    assert client.login(email=DEMO_STAFF_EMAIL, password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_demo_data_is_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo_data", stdout=io.StringIO())
    assert not User.objects.exists()


def test_demo_participants_respect_consent_rules():
    load()
    for participant in Participant.objects.all():
        participant.check_consents()  # raises if a sensitive value lacks consent


def test_topics_are_seeded_in_three_languages():
    topic = Topic.objects.get(slug="proteccion-internacional")
    assert topic.name_es == "Protección internacional"
    assert topic.name_ht and topic.name_en == "International protection"


def test_demo_content_editor_works_on_topics_only(client):
    load()
    assert client.login(email=DEMO_EDITOR_EMAIL, password=DEMO_PASSWORD)
    assert client.get("/admin/engine/topic/").status_code == 200
    assert client.get("/admin/consultations/consultation/").status_code == 403
