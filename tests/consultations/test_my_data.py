"""'My data' includes my consultation answers and proposals, and nobody else's."""

import json

import pytest
from django.test import Client

from consultations.answers import AnswerValue
from consultations.models import QuestionKind
from tests.consultations.factories import (
    ConsultationFactory,
    OptionFactory,
    QuestionFactory,
    SectionFactory,
    TopicProposalFactory,
    submitted_response,
)
from tests.consultations.test_query_counts import count_queries
from tests.engine.factories import SubscriptionFactory
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db


def download_export(browser: Client) -> dict:
    detail = browser.post("/cuenta/mis-datos/copia/")
    assert detail.status_code == 302
    response = browser.get(detail["Location"] + "descargar/")
    assert response.status_code == 200
    return json.loads(response.content)


def test_export_holds_my_answers_and_not_other_peoples(open_questionnaire, alice, bob):
    qn = open_questionnaire
    value = AnswerValue
    submitted_response(
        qn.consultation,
        {
            qn.q["atendido"]: value(option_ids=[qn.o["No"].pk]),
            qn.q["idea"]: value(text="Clases de español en la tarde"),
        },
        participant=alice.participant,
    )
    submitted_response(
        qn.consultation, {qn.q["idea"]: value(text="La idea de Bob")}, participant=bob.participant
    )
    TopicProposalFactory(participant=alice.participant, title="Tema de Alice")
    TopicProposalFactory(participant=bob.participant, title="Tema de Bob")

    data = download_export(logged_in(alice))

    rows = data["consultations"]["data"]
    answers = {row["question"]: row["answer"] for row in rows if "question" in row}
    assert answers == {"¿atendido?": "No", "¿idea?": "Clases de español en la tarde"}
    assert {row["consultation"] for row in rows if "consultation" in row} == {qn.consultation.title}
    assert [row["proposal"] for row in rows if "proposal" in row] == ["Tema de Alice"]
    dumped = json.dumps(data, ensure_ascii=False)
    assert "La idea de Bob" not in dumped and "Tema de Bob" not in dumped


def test_my_data_page_shows_answers_by_consultation_in_words(open_questionnaire, alice_draft, alice):
    html = logged_in(alice).get("/cuenta/mis-datos/").content.decode()
    section = html[html.index('id="section-consultations"') :]
    # The consultation heads its answers; each question with the answer's words, not ids or lists.
    assert f"<h3>{open_questionnaire.consultation.title}</h3>" in section
    assert "Borrador guardado el" in section
    assert "<dt>¿atendido?</dt><dd>Sí</dd>" in section
    assert "<dt>¿barreras?</dt><dd>Idioma</dd>" in section
    assert "[" not in section.split("</section>")[0]


def give_answers(participant, count: int, start: int) -> None:
    """``count`` consultations answered by ``participant``, one question each, and as many subscriptions."""
    for n in range(start, start + count):
        consultation = ConsultationFactory(slug=f"mis-datos-{n}")
        question = QuestionFactory(
            section=SectionFactory(consultation=consultation), kind=QuestionKind.SINGLE
        )
        option = OptionFactory(question=question)
        submitted_response(
            consultation, {question: AnswerValue(option_ids=[option.pk])}, participant=participant
        )
        SubscriptionFactory(
            user=participant.user, mechanism="", content_type=None, target_object=consultation
        )


def test_my_data_page_10_vs_100_consultations(alice):
    browser = logged_in(alice)
    give_answers(alice.participant, 10, 0)
    ten = count_queries(browser, "/cuenta/mis-datos/")
    give_answers(alice.participant, 90, 10)
    hundred = count_queries(browser, "/cuenta/mis-datos/")
    assert ten == hundred
