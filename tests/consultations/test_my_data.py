"""'My data' includes my consultation answers and proposals, and nobody else's."""

import json

import pytest
from django.test import Client

from consultations.answers import AnswerValue
from tests.consultations.factories import TopicProposalFactory, submitted_response
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


def test_my_data_page_shows_a_draft_answer(open_questionnaire, alice_draft, alice):
    html = logged_in(alice).get("/cuenta/mis-datos/").content.decode()
    assert open_questionnaire.consultation.title in html
    assert "¿atendido?" in html
