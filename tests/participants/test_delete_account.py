"""Deleting my account: re-authentication, confirmation email first, anonymous contributions, no sessions."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client

from participants import choices, services
from participants.models import Consent, Participant, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jean(client, password):
    user = UserFactory(email="jean@example.org", name="Jean", preferred_language="ht")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    participant = services.participant_record(
        user=user, consented=["disability"], disability=choices.Disability.YES, nationality="HT"
    )
    assert participant.disability == "yes"
    return user


def login(client, email, password):
    response = client.post("/cuenta/login/", {"login": email, "password": password})
    assert response.status_code == 302
    return client.session.session_key


def reauthenticate(client, password):
    response = client.post("/cuenta/reauthenticate/", {"password": password})
    assert response.status_code == 302


def test_deletion_asks_to_reauthenticate_first(client, jean, password):
    login(client, "jean@example.org", password)
    response = client.post("/cuenta/eliminar/", {"confirm": "on"})
    assert response.status_code == 302
    assert "/cuenta/reauthenticate/" in response["Location"]
    assert User.objects.filter(pk=jean.pk).exists()
    wrong = client.post("/cuenta/reauthenticate/", {"password": "no-es-la-clave"})
    assert wrong.status_code == 200
    reauthenticate(client, password)
    # Jean reads Kreyòl: since she signed in, addresses without a prefix lead to her language.
    assert client.get("/cuenta/eliminar/")["Location"] == "/ht/cuenta/eliminar/"
    assert client.get("/ht/cuenta/eliminar/").status_code == 200


def test_deletion_anonymises_and_ends_every_session(client, jean, password):
    other_device = Client()
    other_key = login(other_device, "jean@example.org", password)
    login(client, "jean@example.org", password)
    reauthenticate(client, password)
    participant_id = Participant.objects.get(user=jean).pk

    missing_confirmation = client.post("/cuenta/eliminar/", {})
    assert missing_confirmation.status_code == 200
    assert User.objects.filter(pk=jean.pk).exists()

    response = client.post("/cuenta/eliminar/", {"confirm": "on"})
    assert response.status_code == 302

    assert not User.objects.filter(email="jean@example.org").exists()
    assert not EmailAddress.objects.filter(email="jean@example.org").exists()
    participant = Participant.objects.get(pk=participant_id)
    assert participant.user is None
    assert participant.disability == ""
    assert participant.nationality == "HT"  # non-identifying attributes keep statistics true
    assert not Consent.objects.filter(participant=participant, withdrawn_at__isnull=True).exists()
    assert not Session.objects.filter(session_key=other_key).exists()
    assert other_device.get("/cuenta/perfil/").status_code == 302
    assert client.get("/cuenta/perfil/").status_code == 302


def test_confirmation_email_is_sent_in_the_persons_language(client, jean, password):
    login(client, "jean@example.org", password)
    reauthenticate(client, password)
    mail.outbox.clear()
    client.post("/cuenta/eliminar/", {"confirm": "on"})
    [message] = mail.outbox
    assert message.to == ["jean@example.org"]
    assert message.extra_headers["Content-Language"] == "ht"
    html = message.alternatives[0][0]
    assert '<html lang="ht">' in html


def test_name_with_html_is_escaped_in_the_email(client, jean, password):
    jean.name = "<b>Jean</b>"
    jean.save()
    login(client, "jean@example.org", password)
    reauthenticate(client, password)
    mail.outbox.clear()
    client.post("/cuenta/eliminar/", {"confirm": "on"})
    html = mail.outbox[0].alternatives[0][0]
    assert "<b>Jean</b>" not in html and "&lt;b&gt;Jean&lt;/b&gt;" in html


def test_anonymous_cannot_delete(client):
    response = client.post("/cuenta/eliminar/", {"confirm": "on"})
    assert response.status_code == 302 and "/cuenta/login/" in response["Location"]
