"""Access and portability: 'my data' holds exactly my data, for me only, and the link expires."""

import json
import shutil
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone, translation
from django.utils.formats import date_format

from participants import choices, data_export, services
from participants.models import CONSENT_TEXT_VERSION, DataExport, Participant
from tests.engine.factories import SubscriptionFactory
from tests.helpers import logged_in, pdf_objects, pdf_page_texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_with_data(alice):
    participant = alice.participant
    services.consent_give(participant=participant, attribute="gender_identity")
    services.participant_update(participant=participant, gender_identity=choices.GenderIdentity.NON_BINARY)
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    return alice


def start_export(client) -> str:
    response = client.post("/cuenta/mis-datos/copia/")
    assert response.status_code == 302
    return response["Location"]


def test_my_data_page_lists_what_the_portal_holds_in_words(client, alice_with_data):
    client.force_login(alice_with_data)
    content = client.get("/cuenta/mis-datos/").content.decode()
    assert "alice@example.org" in content
    # Labelled and translated, not keys and codes.
    assert "Identidad de género" in content and "No binaria" in content
    assert "non_binary" not in content and "gender_identity" not in content
    # The consent: what was accepted, its version and its date, in the reader's format.
    assert CONSENT_TEXT_VERSION in content
    assert "Doy mi consentimiento" in content
    given = timezone.localtime(alice_with_data.participant.consents.get().given_at)
    assert date_format(given, "DATETIME_FORMAT") in content
    assert given.isoformat() not in content and "[" not in content.split('id="section-profile"')[1]


def test_my_data_reads_in_kreyol_with_kreyol_dates(alice_with_data):
    browser = logged_in(alice_with_data, language=None)  # alice reads Kreyòl
    content = browser.get("/ht/cuenta/mis-datos/").content.decode()
    with translation.override("ht"):
        assert str(Participant._meta.get_field("gender_identity").verbose_name) in content
        given = timezone.localtime(alice_with_data.participant.consents.get().given_at)
        assert date_format(given, "DATETIME_FORMAT") in content
    assert "Identidad de género" not in content


def test_subscriptions_are_part_of_my_data(client, alice_with_data):
    SubscriptionFactory(user=alice_with_data, mechanism="consultations", frequency="weekly")
    client.force_login(alice_with_data)
    content = client.get("/cuenta/mis-datos/").content.decode()
    assert "Mis avisos" in content and "Consultas ciudadanas" in content and "Resumen semanal" in content


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils' pdftotext is not installed")
def test_the_copy_to_read_is_a_tagged_pdf_in_my_language(alice_with_data, tmp_path):
    browser = logged_in(alice_with_data, language=None)
    detail = browser.post("/ht/cuenta/mis-datos/copia/")["Location"]
    page = browser.get(detail).content.decode()
    assert 'pdf/"' in page and 'descargar/"' in page  # both downloads are offered
    response = browser.get(detail + "pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"] and "attachment" in response["Content-Disposition"]
    assert b"/StructTreeRoot" in pdf_objects(response.content)
    text = " ".join(pdf_page_texts(response.content, tmp_path))
    assert "alice@example.org" in text
    with translation.override("ht"):
        assert translation.gettext("Todo lo que sabemos de mí") in text


def test_export_contains_exactly_my_data(client, alice_with_data, bob):
    client.force_login(alice_with_data)
    detail = start_export(client)
    response = client.get(detail + "descargar/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["profile"]["data"]["email"] == "alice@example.org"
    assert data["profile"]["data"]["gender_identity"] == "non_binary"
    assert [c["attribute"] for c in data["consents"]["data"]] == ["gender_identity"]
    assert "bob@example.org" not in response.content.decode()


def test_another_user_or_anonymous_gets_404_for_my_export(client, alice_with_data, bob):
    client.force_login(alice_with_data)
    detail = start_export(client)
    client.force_login(bob)
    assert client.get(detail).status_code == 404
    assert client.get(detail + "descargar/").status_code == 404
    client.logout()
    response = client.get(detail + "descargar/")
    assert response.status_code == 302 and "/cuenta/login/" in response["Location"]


def test_export_cannot_be_replayed_after_it_expires(client, alice_with_data):
    client.force_login(alice_with_data)
    detail = start_export(client)
    DataExport.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(detail + "descargar/").status_code == 404
    assert client.get(detail).status_code == 404


def test_export_must_be_requested_with_post(client, alice_with_data):
    client.force_login(alice_with_data)
    assert client.get("/cuenta/mis-datos/copia/").status_code == 405


def test_mechanisms_add_their_part_through_the_hook(client, alice_with_data):
    data_export.register(
        "questions", "Preguntas", lambda user, participant: [{"text": f"pregunta de {user.email}"}]
    )
    try:
        client.force_login(alice_with_data)
        data = json.loads(client.get(start_export(client) + "descargar/").content)
    finally:
        data_export.unregister("questions")
    assert data["questions"]["data"] == [{"text": "pregunta de alice@example.org"}]


def test_html_view_of_the_export_is_escaped(client, alice_with_data):
    alice_with_data.name = "<script>alert('x')</script>"
    alice_with_data.save()
    client.force_login(alice_with_data)
    content = client.get(start_export(client)).content.decode()
    assert "<script>alert('x')</script>" not in content
    assert "&lt;script&gt;" in content
