"""What the answering, consultation and results pages share between readers (engine.fragments), and what
stays each person's own: their answers, their profile, their errors, their response and follow state."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations import services
from consultations.answers import AnswerValue
from consultations.models import Commitment, InstitutionalResponse, Phase
from engine.notifications import subscription_set
from tests.consultations.factories import complete_answers
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def fragments(settings):
    settings.FRAGMENT_CACHE_SECONDS = 30


def section_url(qn, step: int) -> str:
    return reverse("consultations:answer", kwargs={"slug": qn.slug, "step": step})


def review_url(qn) -> str:
    return reverse("consultations:review", kwargs={"slug": qn.slug})


def draft_of(qn, user, answers):
    response = services.response_get_or_create(consultation=qn.consultation, participant=user.participant)
    services.response_save_answers(response=response, answers=answers)
    return response


def option_input(html: str, option) -> str:
    """The <input> tag of one option."""
    start = html.index(f'value="{option.pk}"')
    return html[html.rindex("<input", 0, start) : html.index(">", start) + 1]


def test_an_unanswered_section_is_shared_but_saved_answers_are_each_persons_own(
    fragments, open_questionnaire, alice, bob
):
    qn = open_questionnaire
    no = qn.o["No"]
    first = logged_in(alice).get(section_url(qn, 1)).content.decode()  # Alice has answered nothing
    assert "checked" not in option_input(first, no)
    draft_of(qn, bob, {qn.q["atendido"]: AnswerValue(option_ids=[no.pk])})
    bobs = logged_in(bob).get(section_url(qn, 1)).content.decode()
    assert "checked" in option_input(bobs, no)
    again = logged_in(alice).get(section_url(qn, 1)).content.decode()
    assert "checked" not in option_input(again, no)


def test_a_refused_post_shows_its_own_values_and_errors(fragments, open_questionnaire, alice_client):
    qn = open_questionnaire
    alice_client.get(section_url(qn, 1))  # the blank section is now shared
    posted = {f"q{qn.q['barreras'].pk}": [str(qn.o["Idioma"].pk)], "action": "next"}
    page = alice_client.post(section_url(qn, 1), posted)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Responda esta pregunta." in html
    assert "checked" in option_input(html, qn.o["Idioma"])


def test_people_asked_different_questions_get_different_sections(fragments, open_questionnaire, alice, bob):
    """The third section asks «why not» only of those who answered «No» in the first."""
    qn = open_questionnaire
    why_not = f'name="q{qn.q["por_que_no"].pk}"'
    yes = complete_answers(qn)
    no = {**yes, qn.q["atendido"]: AnswerValue(option_ids=[qn.o["No"].pk])}
    # Only the first section answered: the third is unanswered for both, and shared per set of questions.
    draft_of(qn, alice, {q: v for q, v in yes.items() if q.section_id == qn.sections[0].pk})
    draft_of(qn, bob, {q: v for q, v in no.items() if q.section_id == qn.sections[0].pk})
    assert why_not not in logged_in(alice).get(section_url(qn, 3)).content.decode()
    assert why_not in logged_in(bob).get(section_url(qn, 3)).content.decode()
    assert why_not not in logged_in(alice).get(section_url(qn, 3)).content.decode()


def test_a_changed_question_shows_at_once(fragments, open_questionnaire, alice_client):
    qn = open_questionnaire
    alice_client.get(section_url(qn, 1))
    question = qn.q["atendido"]
    question.text = "¿Le atendieron a tiempo en la oficina?"
    question.save()  # bumps the questionnaire's version
    assert "¿Le atendieron a tiempo en la oficina?" in alice_client.get(section_url(qn, 1)).content.decode()


def region_option(html: str, code: str) -> str:
    start = html.index(f'<option value="{code}"')
    return html[start : html.index(">", start) + 1]


def test_the_blank_about_you_form_is_shared_but_a_filled_one_is_the_persons_own(
    fragments, open_questionnaire, alice, bob
):
    qn = open_questionnaire
    answers = complete_answers(qn)
    draft_of(qn, alice, answers)
    draft_of(qn, bob, answers)
    bob.participant.region = "CL-VS"  # no sensitive answer, no consent: only this differs from a blank form
    bob.participant.save()

    alices = logged_in(alice).get(review_url(qn)).content.decode()
    assert "selected" not in region_option(alices, "CL-VS")
    bobs = logged_in(bob).get(review_url(qn)).content.decode()
    assert "selected" in region_option(bobs, "CL-VS")
    again = logged_in(alice).get(review_url(qn)).content.decode()
    assert "selected" not in region_option(again, "CL-VS")


def test_a_refused_profile_shows_the_persons_errors(fragments, open_questionnaire, alice, alice_client):
    qn = open_questionnaire
    draft_of(qn, alice, complete_answers(qn))
    alice_client.get(review_url(qn))  # the blank form is now shared
    # A sensitive answer without its consent box is refused, and the page says so next to it.
    page = alice_client.post(review_url(qn), {"perfil-gender_identity": "woman"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "marque la casilla de consentimiento" in html
    assert "selected" in html[html.index('name="perfil-gender_identity"') :].split("</select>")[0]


# --- The consultation's page and its results -------------------------------------------------------------


def detail_url(qn) -> str:
    return reverse("consultations:detail", kwargs={"slug": qn.slug})


def test_each_reader_sees_their_own_response_and_follow_state_on_the_shared_page(
    fragments, open_questionnaire, alice, bob, staff_member
):
    qn = open_questionnaire
    draft_of(qn, alice, complete_answers(qn))
    subscription_set(user=alice, target=qn.consultation)
    submitted = draft_of(qn, bob, complete_answers(qn))
    services.response_submit(response=submitted)

    alices = logged_in(alice).get(detail_url(qn)).content.decode()
    assert "Tiene un borrador guardado." in alices and "Usted sigue esta consulta" in alices
    bobs = logged_in(bob).get(detail_url(qn)).content.decode()
    assert "Usted ya respondió esta consulta" in bobs and "Seguir esta consulta" in bobs
    staff = logged_in(staff_member).get(detail_url(qn)).content.decode()
    assert "Responder la consulta" in staff and "Seguir esta consulta" in staff


def test_the_consultation_page_reads_the_reader_and_the_consultation_only(
    fragments, open_questionnaire, alice
):
    qn = open_questionnaire
    draft_of(qn, alice, complete_answers(qn))
    subscription_set(user=alice, target=qn.consultation)
    reader = logged_in(alice)
    reader.get(detail_url(qn))
    with CaptureQueriesContext(connection) as queries:
        assert "Usted sigue esta consulta" in reader.get(detail_url(qn)).content.decode()
    assert len(queries) == 2, [q["sql"][:80] for q in queries.captured_queries]


def results_url(qn) -> str:
    return reverse("consultations:results", kwargs={"slug": qn.slug})


def with_institutional_response(qn, n_commitments: int) -> None:
    consultation = qn.consultation
    consultation.phase_override = Phase.RESPONSE
    consultation.save(update_fields=["phase_override"])
    InstitutionalResponse.objects.create(consultation=consultation, text="SERMIG responde a la consulta.")
    Commitment.objects.bulk_create(
        Commitment(
            consultation=consultation,
            text=f"Compromiso {i}",
            responsible_unit="Unidad",
            due_date=date(2027, 6, 30),
            order=i,
        )
        for i in range(n_commitments)
    )


@pytest.mark.parametrize("n_commitments", [10, 100])
def test_signed_in_results_read_the_reader_and_the_consultation_only(
    fragments, results_questionnaire, alice, n_commitments
):
    qn = results_questionnaire
    with_institutional_response(qn, n_commitments)
    reader = logged_in(alice)
    first = reader.get(results_url(qn)).content.decode()
    assert "SERMIG responde a la consulta." in first and "Compromiso 0" in first
    with CaptureQueriesContext(connection) as queries:
        again = reader.get(results_url(qn)).content.decode()
    assert "SERMIG responde a la consulta." in again and "Compromiso 0" in again
    assert len(queries) == 2, [q["sql"][:80] for q in queries.captured_queries]
    if n_commitments > 20:  # another page of the commitments is its own copy
        assert "Compromiso 20" not in again
        assert "Compromiso 20" in reader.get(results_url(qn), {"compromisos": 2}).content.decode()


def test_the_shared_heading_follows_the_phase_at_once(fragments, open_questionnaire, alice):
    qn = open_questionnaire
    reader = logged_in(alice)
    assert "Responder la consulta" in reader.get(detail_url(qn)).content.decode()
    qn.consultation.phase_override = Phase.CLOSED
    qn.consultation.save(update_fields=["phase_override"])
    page = reader.get(detail_url(qn)).content.decode()
    assert "Responder la consulta" not in page
    assert "Cerrada, en sistematización" in page.split("<h1>")[1].split("</p>")[0]
