"""A question shown only after a given answer: required only then, and dropped when that answer is not chosen."""

import pytest
from django.urls import reverse

from consultations import services
from consultations.answers import AnswerValue
from consultations.models import Answer, Response
from tests.consultations.factories import complete_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(open_questionnaire, alice):
    return services.response_get_or_create(
        consultation=open_questionnaire.consultation, participant=alice.participant
    )


def test_hidden_conditional_question_is_not_required_and_its_answer_is_dropped(open_questionnaire, draft):
    qn = open_questionnaire
    answers = complete_answers(qn)  # «Idioma», not «Discriminación»
    # An answer typed while «Discriminación» was ticked, before the person changed their mind.
    answers[qn.q["que_paso"]] = AnswerValue(text="Me trataron mal")
    services.response_save_answers(response=draft, answers=answers)

    assert services.missing_required(draft) == []
    submitted = services.response_submit(response=draft)

    assert submitted.status == Response.Status.SUBMITTED
    assert not Answer.objects.filter(response=draft, question=qn.q["que_paso"]).exists()
    assert Answer.objects.filter(response=draft, question=qn.q["atendido"]).exists()


def test_conditional_question_is_required_when_its_option_is_chosen(open_questionnaire, draft):
    qn = open_questionnaire
    answers = complete_answers(qn)
    answers[qn.q["barreras"]] = AnswerValue(option_ids=[qn.o["Discriminación"].pk])
    services.response_save_answers(response=draft, answers=answers)

    assert services.missing_required(draft) == [qn.q["que_paso"]]
    with pytest.raises(services.IncompleteResponse) as error:
        services.response_submit(response=draft)
    assert error.value.missing == [qn.q["que_paso"]]
    draft.refresh_from_db()
    assert draft.status == Response.Status.DRAFT

    services.response_save_answers(
        response=draft, answers={qn.q["que_paso"]: AnswerValue(text="No me atendieron en creole")}
    )
    services.response_submit(response=draft)
    assert Answer.objects.get(response=draft, question=qn.q["que_paso"]).text == "No me atendieron en creole"


def test_answer_to_a_question_conditional_on_an_earlier_section_is_kept_when_shown(open_questionnaire, draft):
    qn = open_questionnaire
    answers = complete_answers(qn)
    answers[qn.q["atendido"]] = AnswerValue(option_ids=[qn.o["No"].pk])
    answers[qn.q["por_que_no"]] = AnswerValue(text="No había horas")
    services.response_save_answers(response=draft, answers=answers)
    services.response_submit(response=draft)
    assert Answer.objects.filter(response=draft, question=qn.q["por_que_no"]).exists()


def section_url(qn, step: int) -> str:
    return reverse("consultations:answer", kwargs={"slug": qn.slug, "step": step})


def test_page_leaves_out_a_question_whose_earlier_condition_was_not_chosen(
    open_questionnaire, alice_client, draft
):
    qn = open_questionnaire
    services.response_save_answers(response=draft, answers=complete_answers(qn))  # «Sí» in section 1
    content = alice_client.get(section_url(qn, 3)).content.decode()
    assert f'name="q{qn.q["donde"].pk}"' in content
    assert f'name="q{qn.q["por_que_no"].pk}"' not in content

    services.response_save_answers(
        response=draft, answers={qn.q["atendido"]: AnswerValue(option_ids=[qn.o["No"].pk])}
    )
    content = alice_client.get(section_url(qn, 3)).content.decode()
    assert f'name="q{qn.q["por_que_no"].pk}"' in content


def test_next_without_the_conditional_answer_is_refused_when_its_option_is_ticked(
    open_questionnaire, alice_client
):
    qn = open_questionnaire
    data = {
        f"q{qn.q['atendido'].pk}": str(qn.o["Sí"].pk),
        f"q{qn.q['barreras'].pk}": [str(qn.o["Discriminación"].pk)],
        "action": "next",
    }
    response = alice_client.post(section_url(qn, 1), data)
    assert response.status_code == 200
    assert f"q{qn.q['que_paso'].pk}" in response.context["form"].errors

    data[f"q{qn.q['barreras'].pk}"] = [str(qn.o["Idioma"].pk)]
    response = alice_client.post(section_url(qn, 1), data)
    assert response.status_code == 302
    assert response["Location"] == section_url(qn, 2)


def test_unticking_the_option_releases_its_question(open_questionnaire, alice_client):
    qn = open_questionnaire
    ticked = {
        f"q{qn.q['atendido'].pk}": str(qn.o["Sí"].pk),
        f"q{qn.q['barreras'].pk}": [str(qn.o["Discriminación"].pk)],
        "action": "save",
    }
    assert alice_client.post(section_url(qn, 1), ticked).status_code == 302  # draft with «Discriminación»

    unticked = {**ticked, f"q{qn.q['barreras'].pk}": [str(qn.o["Idioma"].pk)], "action": "next"}
    response = alice_client.post(section_url(qn, 1), unticked)

    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == section_url(qn, 2)


def test_review_lists_only_the_questions_the_person_was_asked(open_questionnaire, alice, alice_client, draft):
    qn = open_questionnaire
    services.response_save_answers(response=draft, answers=complete_answers(qn))  # «Sí», «Idioma»
    html = alice_client.get(reverse("consultations:review", kwargs={"slug": qn.slug})).content.decode()
    assert "¿atendido?" in html and "¿donde?" in html
    assert "¿que_paso?" not in html and "¿por_que_no?" not in html
