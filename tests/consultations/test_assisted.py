"""Assisted participation: staff type in a paper or phone response for someone who cannot use the web."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from consultations.models import Answer, Channel, Response
from participants.choices import ConsentChannel
from participants.models import Consent, Participant
from tests.helpers import enable_mfa, grant, logged_in

pytestmark = pytest.mark.django_db


def assisted_url(qn) -> str:
    return reverse("consultations:assisted", kwargs={"slug": qn.slug})


@pytest.fixture
def recorder(staff_member):
    return grant(enable_mfa(staff_member), "enter_assisted_response")


def paper_response(qn, channel: str = Channel.ASSISTED_PAPER, reference: str = "P-017", **person) -> dict:
    data = {
        "canal-channel": channel,
        "canal-paper_reference": reference if channel == Channel.ASSISTED_PAPER else "",
        f"q{qn.q['atendido'].pk}": str(qn.o["No"].pk),
        f"q{qn.q['barreras'].pk}": [str(qn.o["Idioma"].pk)],
        f"q{qn.q['facilidad'].pk}": str(qn.o["Muy difícil"].pk),
        f"q{qn.q['donde'].pk}": str(qn.o["Oficina"].pk),
        f"q{qn.q['por_que_no'].pk}": "No había intérprete",
        "persona-languages": ["ht"],
        "persona-nationality": "HT",
        "persona-region": "CL-TA",
    }
    data.update({f"persona-{name}": value for name, value in person.items()})
    return data


def test_staff_without_a_second_factor_are_sent_to_set_it_up(open_questionnaire, recorder):
    Authenticator.objects.filter(user=recorder).delete()
    response = logged_in(recorder).get(assisted_url(open_questionnaire))
    assert response.status_code == 302 and response["Location"].endswith("/cuenta/2fa/totp/activate/")


def test_staff_without_the_permission_get_403(open_questionnaire, staff_member):
    browser = logged_in(enable_mfa(staff_member))
    assert browser.get(assisted_url(open_questionnaire)).status_code == 403
    assert (
        browser.post(assisted_url(open_questionnaire), paper_response(open_questionnaire)).status_code == 403
    )
    assert not Response.objects.exists()


def test_citizens_get_403_and_anonymous_people_are_sent_to_log_in(open_questionnaire, alice_client, client):
    qn = open_questionnaire
    assert alice_client.get(assisted_url(qn)).status_code == 403
    assert alice_client.post(assisted_url(qn), paper_response(qn)).status_code == 403
    anonymous = client.post(assisted_url(qn), paper_response(qn))
    assert anonymous.status_code == 302 and reverse("account_login") in anonymous["Location"]
    assert not Response.objects.exists()


@pytest.mark.parametrize("channel", [Channel.ASSISTED_PAPER, Channel.ASSISTED_PHONE])
def test_a_paper_or_phone_response_is_stored_submitted_with_its_channel(
    open_questionnaire, recorder, channel
):
    qn = open_questionnaire
    browser = logged_in(recorder)
    assert browser.get(assisted_url(qn)).status_code == 200

    saved = browser.post(
        assisted_url(qn),
        paper_response(qn, channel, gender_identity="woman", consent_gender_identity="on"),
    )

    assert saved.status_code == 302
    response = Response.objects.get()
    assert response.status == Response.Status.SUBMITTED and response.submitted_at
    assert response.channel == channel
    assert response.paper_reference == ("P-017" if channel == Channel.ASSISTED_PAPER else "")
    assert response.recorded_by == recorder
    person = response.participant
    assert person.user is None
    assert (person.nationality, person.region, person.gender_identity) == ("HT", "CL-TA", "woman")
    assert person.languages == ["ht"]
    consent = Consent.objects.get(participant=person)
    assert (consent.attribute, consent.channel, consent.recorded_by) == (
        "gender_identity",
        ConsentChannel.STAFF,
        recorder,
    )
    assert Answer.objects.get(response=response, question=qn.q["por_que_no"]).text == "No había intérprete"


def test_a_sensitive_value_without_paper_consent_is_refused_and_nothing_stored(open_questionnaire, recorder):
    qn = open_questionnaire
    participants = Participant.objects.count()
    refused = logged_in(recorder).post(assisted_url(qn), paper_response(qn, migration_status="refugee"))
    assert refused.status_code == 200
    assert "migration_status" in refused.context["person_form"].errors
    assert not Response.objects.exists()
    assert Participant.objects.count() == participants
    assert not Consent.objects.exists()


def test_a_web_channel_cannot_be_claimed(open_questionnaire, recorder):
    refused = logged_in(recorder).post(
        assisted_url(open_questionnaire), paper_response(open_questionnaire, channel=Channel.ONLINE)
    )
    assert refused.status_code == 200
    assert not Response.objects.exists()


def test_missing_required_answers_are_refused(open_questionnaire, recorder):
    qn = open_questionnaire
    data = paper_response(qn)
    del data[f"q{qn.q['donde'].pk}"]
    refused = logged_in(recorder).post(assisted_url(qn), data)
    assert refused.status_code == 200
    assert f"q{qn.q['donde'].pk}" in refused.context["form"].errors
    assert not Response.objects.exists()


def test_several_assisted_responses_are_several_people(open_questionnaire, recorder):
    browser = logged_in(recorder)
    for number in range(3):
        browser.post(
            assisted_url(open_questionnaire), paper_response(open_questionnaire, reference=f"P-{number}")
        )
    assert Response.objects.filter(channel=Channel.ASSISTED_PAPER).count() == 3
    assert Participant.objects.filter(consultation_responses__isnull=False).distinct().count() == 3


def test_no_language_ticked_records_no_languages(open_questionnaire, recorder):
    data = paper_response(open_questionnaire)
    del data["persona-languages"]
    saved = logged_in(recorder).post(assisted_url(open_questionnaire), data)
    assert saved.status_code == 302
    assert Response.objects.get().participant.languages == []


def test_a_paper_form_needs_its_reference_and_is_recorded_once(open_questionnaire, recorder):
    qn = open_questionnaire
    browser = logged_in(recorder)

    unnamed = browser.post(assisted_url(qn), paper_response(qn, reference=""))
    assert "paper_reference" in unnamed.context["channel_form"].errors
    assert not Response.objects.exists()

    first = browser.post(assisted_url(qn), paper_response(qn, reference="P-017"), follow=True)
    assert "Respuesta registrada (formulario P-017). Puede registrar la siguiente." in first.content.decode()

    again = browser.post(assisted_url(qn), paper_response(qn, reference=" P-017 "))
    assert again.status_code == 200
    assert again.context["channel_form"].errors["paper_reference"] == [
        "El formulario P-017 ya se registró en esta consulta."
    ]
    assert Response.objects.count() == 1
    assert Participant.objects.filter(user__isnull=True).count() == 1  # the refused entry left no one behind
