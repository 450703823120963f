"""Answering in the browser: section by section, save a draft and resume, review, submit, confirmation."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from consultations.models import Answer, Response
from engine.models import Notification
from participants.models import Consent
from tests.helpers import close, review_data

pytestmark = pytest.mark.django_db


def answer_url(qn, step: int) -> str:
    return reverse("consultations:answer", kwargs={"slug": qn.slug, "step": step})


def review_url(qn) -> str:
    return reverse("consultations:review", kwargs={"slug": qn.slug})


def thanks_url(qn) -> str:
    return reverse("consultations:thanks", kwargs={"slug": qn.slug})


def is_checked(html: str, name: str, value: int) -> bool:
    return any(
        f'value="{value}"' in tag and "checked" in tag
        for tag in re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
    )


def section_1(qn, **overrides) -> dict:
    data = {
        f"q{qn.q['atendido'].pk}": str(qn.o["Sí"].pk),
        f"q{qn.q['barreras'].pk}": [str(qn.o["Documentos"].pk), "other"],
        f"q{qn.q['barreras'].pk}_other": "El transporte",
        f"q{qn.q['que_paso'].pk}": "",
        "action": "next",
    }
    data.update(overrides)
    return data


def section_2(qn) -> dict:
    return {
        f"q{qn.q['facilidad'].pk}": str(qn.o["Difícil"].pk),
        f"q{qn.q['prioridades'].pk}_rank_{qn.o['Vivienda'].pk}": "1",
        f"q{qn.q['prioridades'].pk}_rank_{qn.o['Empleo'].pk}": "2",
        f"q{qn.q['idea'].pk}": "Clases de español gratis",
        "action": "next",
    }


def section_3(qn) -> dict:
    return {f"q{qn.q['donde'].pk}": str(qn.o["Oficina"].pk), "action": "next"}


def own_response(user, qn) -> Response:
    return Response.objects.get(consultation=qn.consultation, participant__user=user)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_draft_resume_review_submit_and_confirmation(
    open_questionnaire, alice, alice_client, django_capture_on_commit_callbacks
):
    qn = open_questionnaire
    page = alice_client.get(answer_url(qn, 1))
    assert page.status_code == 200
    assert "Parte 1 de 3" in page.content.decode()
    assert not Response.objects.exists()  # looking does not create anything

    saved = alice_client.post(answer_url(qn, 1), section_1(qn, action="save"))
    assert saved.status_code == 302 and saved["Location"] == answer_url(qn, 1)
    draft = own_response(alice, qn)
    assert draft.status == Response.Status.DRAFT
    assert Answer.objects.get(response=draft, question=qn.q["barreras"]).other_text == "El transporte"

    # Later, on another visit: the saved answers are there.
    html = alice_client.get(answer_url(qn, 1)).content.decode()
    assert is_checked(html, f"q{qn.q['atendido'].pk}", qn.o["Sí"].pk)
    assert not is_checked(html, f"q{qn.q['atendido'].pk}", qn.o["No"].pk)
    assert is_checked(html, f"q{qn.q['barreras'].pk}", qn.o["Documentos"].pk)
    assert 'value="El transporte"' in html

    moved = alice_client.post(answer_url(qn, 1), section_1(qn))
    assert moved["Location"] == answer_url(qn, 2)
    assert "Parte 2 de 3" in alice_client.get(answer_url(qn, 2)).content.decode()
    assert alice_client.post(answer_url(qn, 2), section_2(qn))["Location"] == answer_url(qn, 3)
    assert alice_client.post(answer_url(qn, 3), section_3(qn))["Location"] == review_url(qn)

    review = alice_client.get(review_url(qn)).content.decode()
    for shown in ("Documentos", "Otra: El transporte", "Difícil", "1. Vivienda · 2. Empleo", "Oficina"):
        assert shown in review
    assert own_response(alice, qn).status == Response.Status.DRAFT

    with django_capture_on_commit_callbacks(execute=True):
        submitted = alice_client.post(review_url(qn), review_data(alice.participant))
    assert submitted.status_code == 302 and submitted["Location"] == thanks_url(qn)
    thanks = alice_client.get(thanks_url(qn))
    assert thanks.status_code == 200
    assert qn.consultation.title in thanks.content.decode()

    response = own_response(alice, qn)
    assert response.status == Response.Status.SUBMITTED and response.submitted_at
    assert response.answers.count() == 6
    confirmation = Notification.objects.get(recipient=alice)
    assert confirmation.context["url_args"] == [qn.slug]
    assert [m.to for m in mail.outbox] == [[alice.email]]  # the confirmation email, sent after commit
    alice.participant.refresh_from_db()
    assert alice.participant.nationality == "HT"  # the pre-filled profile came back unchanged


def fill_in_everything(browser, qn) -> None:
    for step, data in enumerate([section_1(qn), section_2(qn), section_3(qn)], start=1):
        browser.post(answer_url(qn, step), data)


def test_sensitive_profile_answer_needs_its_consent_at_review(open_questionnaire, alice, alice_client):
    qn = open_questionnaire
    fill_in_everything(alice_client, qn)

    refused = alice_client.post(review_url(qn), review_data(alice.participant, gender_identity="woman"))
    assert refused.status_code == 200
    assert "gender_identity" in refused.context["profile_form"].errors
    assert own_response(alice, qn).status == Response.Status.DRAFT

    data = review_data(alice.participant, gender_identity="woman", consent_gender_identity="on")
    assert alice_client.post(review_url(qn), data)["Location"] == thanks_url(qn)
    alice.participant.refresh_from_db()
    assert alice.participant.gender_identity == "woman"
    assert Consent.objects.active().get(participant=alice.participant).attribute == "gender_identity"


def test_previous_goes_back_without_losing_answers(open_questionnaire, alice, alice_client):
    qn = open_questionnaire
    alice_client.post(answer_url(qn, 1), section_1(qn))
    back = alice_client.post(answer_url(qn, 2), {**section_2(qn), "action": "previous"})
    assert back["Location"] == answer_url(qn, 1)
    assert (
        own_response(alice, qn).answers.filter(question=qn.q["idea"]).get().text == "Clases de español gratis"
    )


def test_after_submitting_the_questionnaire_cannot_change(open_questionnaire, alice, alice_client):
    qn = open_questionnaire
    fill_in_everything(alice_client, qn)
    alice_client.post(review_url(qn), review_data(alice.participant))

    again = alice_client.post(
        answer_url(qn, 1), section_1(qn, **{f"q{qn.q['atendido'].pk}": str(qn.o["No"].pk)})
    )
    assert again["Location"] == thanks_url(qn)
    assert alice_client.get(review_url(qn))["Location"] == thanks_url(qn)
    chosen = Answer.objects.get(response__participant__user=alice, question=qn.q["atendido"]).choices.get()
    assert chosen.option == qn.o["Sí"]


# --- Bad input -------------------------------------------------------------------------------------


def test_answers_to_a_closed_consultation_are_refused_and_the_draft_kept(
    open_questionnaire, alice, alice_client
):
    qn = open_questionnaire
    alice_client.post(answer_url(qn, 1), section_1(qn))
    alice_client.post(answer_url(qn, 2), section_2(qn))
    alice_client.post(answer_url(qn, 3), section_3(qn))
    before = sorted(
        Answer.objects.filter(response__participant__user=alice).values_list("question_id", "text")
    )
    close(qn.consultation)

    changed = alice_client.post(answer_url(qn, 2), {**section_2(qn), f"q{qn.q['idea'].pk}": "Otra idea"})
    assert changed.status_code == 302 and changed["Location"] == qn.consultation.get_absolute_url()
    assert any("no está abierta" in m for m in messages_of(changed))

    submitted = alice_client.post(review_url(qn), review_data(alice.participant))
    assert submitted["Location"] == qn.consultation.get_absolute_url()
    assert any("Su borrador se conserva" in m for m in messages_of(submitted))

    response = own_response(alice, qn)
    assert response.status == Response.Status.DRAFT
    after = sorted(response.answers.values_list("question_id", "text"))
    assert after == before and len(after) == 6


def test_unpublished_consultation_is_404_for_citizens(unpublished_questionnaire, alice_client, client):
    qn = unpublished_questionnaire
    for browser in (alice_client, client):
        assert browser.get(answer_url(qn, 1)).status_code == 404
        assert browser.post(answer_url(qn, 1), section_1(qn)).status_code == 404
        assert browser.get(review_url(qn)).status_code == 404
        assert browser.post(review_url(qn), {}).status_code == 404
    assert not Response.objects.exists()


def test_missing_required_answers_get_an_error_per_question(open_questionnaire, alice_client):
    qn = open_questionnaire
    response = alice_client.post(answer_url(qn, 2), {f"q{qn.q['idea'].pk}": "Algo", "action": "next"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {f"q{qn.q['facilidad'].pk}"}
    html = response.content.decode()
    assert f'href="#pregunta-{qn.q["facilidad"].pk}"' in html
    assert f'id="pregunta-{qn.q["facilidad"].pk}"' in html
    # Entered text is kept on the page for the person to complete.
    assert 'value="Algo"' in html


def test_a_draft_may_be_saved_incomplete(open_questionnaire, alice, alice_client):
    qn = open_questionnaire
    response = alice_client.post(answer_url(qn, 2), {f"q{qn.q['idea'].pk}": "Algo", "action": "save"})
    assert response.status_code == 302
    assert own_response(alice, qn).answers.get().text == "Algo"


@pytest.mark.parametrize("tampered", ["999999", "abc", "other"])
def test_tampered_option_id_is_a_form_error_and_nothing_is_saved(open_questionnaire, alice_client, tampered):
    qn = open_questionnaire
    data = section_1(qn, **{f"q{qn.q['atendido'].pk}": tampered}, action="save")
    response = alice_client.post(answer_url(qn, 1), data)
    assert response.status_code == 200
    assert f"q{qn.q['atendido'].pk}" in response.context["form"].errors
    assert not Answer.objects.exists()


def test_option_of_another_question_is_refused(open_questionnaire, alice_client):
    qn = open_questionnaire
    data = section_1(qn, **{f"q{qn.q['atendido'].pk}": str(qn.o["Oficina"].pk)})
    response = alice_client.post(answer_url(qn, 1), data)
    assert response.status_code == 200
    assert not Answer.objects.exists()


@pytest.mark.parametrize(("name", "limit"), [("idea", 200), ("que_paso", 3000)])
def test_oversized_text_is_refused(open_questionnaire, alice_client, name, limit):
    qn = open_questionnaire
    step = 1 if name == "que_paso" else 2
    base = section_1(qn, action="save") if step == 1 else {**section_2(qn), "action": "save"}
    ok = alice_client.post(answer_url(qn, step), {**base, f"q{qn.q[name].pk}": "a" * limit})
    assert ok.status_code == 302
    too_long = alice_client.post(answer_url(qn, step), {**base, f"q{qn.q[name].pk}": "b" * (limit + 1)})
    assert too_long.status_code == 200
    assert f"q{qn.q[name].pk}" in too_long.context["form"].errors
    assert Answer.objects.get(question=qn.q[name]).text == "a" * limit


def test_other_without_its_text_is_refused(open_questionnaire, alice_client):
    qn = open_questionnaire
    data = section_1(qn, **{f"q{qn.q['barreras'].pk}_other": ""})
    response = alice_client.post(answer_url(qn, 1), data)
    assert response.status_code == 200
    assert f"q{qn.q['barreras'].pk}_other" in response.context["form"].errors
    assert not Answer.objects.exists()


def test_duplicate_ranking_positions_are_refused(open_questionnaire, alice_client):
    qn = open_questionnaire
    data = {**section_2(qn), f"q{qn.q['prioridades'].pk}_rank_{qn.o['Empleo'].pk}": "1"}
    response = alice_client.post(answer_url(qn, 2), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(key.startswith(f"q{qn.q['prioridades'].pk}_rank_") or key == "__all__" for key in errors)
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    "extra", [{"participant": "1"}, {"status": "submitted"}, {"q999999": "x"}, {"q1_rank_999999": "1"}]
)
def test_unknown_fields_are_a_bad_request(open_questionnaire, alice_client, extra):
    qn = open_questionnaire
    response = alice_client.post(answer_url(qn, 1), {**section_1(qn), **extra})
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_field_of_another_section_is_a_bad_request(open_questionnaire, alice_client):
    qn = open_questionnaire
    response = alice_client.post(
        answer_url(qn, 1), {**section_1(qn), f"q{qn.q['donde'].pk}": str(qn.o["Oficina"].pk)}
    )
    assert response.status_code == 400


def test_another_person_never_sees_nor_changes_my_draft(
    open_questionnaire, alice, alice_draft, bob, bob_client
):
    qn = open_questionnaire
    mine = sorted(alice_draft.answers.values_list("question_id", "text", "choices__option_id"))

    html = bob_client.get(answer_url(qn, 1)).content.decode()
    assert not is_checked(html, f"q{qn.q['atendido'].pk}", qn.o["Sí"].pk)
    assert bob_client.get(review_url(qn)).status_code == 302  # bob has nothing to review
    assert bob_client.get(thanks_url(qn)).status_code == 404

    data = section_1(qn, **{f"q{qn.q['atendido'].pk}": str(qn.o["No"].pk)}, action="save")
    assert bob_client.post(answer_url(qn, 1), data).status_code == 302
    # Bob's own draft is incomplete: he is sent to his first unanswered required question, in section 2.
    sent_back = bob_client.post(review_url(qn), review_data(bob.participant))
    assert sent_back["Location"] == answer_url(qn, 2)

    bobs = own_response(bob, qn)
    assert bobs.pk != alice_draft.pk
    assert bobs.answers.get(question=qn.q["atendido"]).choices.get().option == qn.o["No"]
    alice_draft.refresh_from_db()
    assert alice_draft.status == Response.Status.DRAFT
    assert sorted(alice_draft.answers.values_list("question_id", "text", "choices__option_id")) == mine


def test_thanks_page_is_404_until_i_have_submitted(
    open_questionnaire, alice_draft, alice_client, bob_client, client
):
    qn = open_questionnaire
    assert alice_client.get(thanks_url(qn)).status_code == 404
    assert bob_client.get(thanks_url(qn)).status_code == 404
    assert client.get(thanks_url(qn)).status_code == 404


def test_questions_and_options_render_in_the_chosen_language(open_questionnaire, alice_client):
    qn = open_questionnaire
    qn.q["atendido"].text_ht = "Èske yo te okipe w?"
    qn.q["atendido"].save()
    qn.o["No"].text_ht = "Non"
    qn.o["No"].save()
    html = alice_client.get(f"/ht{answer_url(qn, 1)}").content.decode()
    assert "Èske yo te okipe w?" in html
    assert ">Non<" in html
    assert "¿barreras?" in html  # not translated yet: falls back to Spanish
