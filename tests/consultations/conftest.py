import pytest
from django.test import Client

from consultations import services
from tests.consultations.factories import (
    ConsultationFactory,
    Questionnaire,
    build_questionnaire,
    complete_answers,
)
from tests.helpers import logged_in


@pytest.fixture
def open_questionnaire(db) -> Questionnaire:
    """Open now, three sections covering every kind of question, with two conditional questions."""
    return build_questionnaire(ConsultationFactory(title="Política Nacional Migratoria", slug="politica"))


@pytest.fixture
def closed_questionnaire(db) -> Questionnaire:
    return build_questionnaire(ConsultationFactory(closed=True, slug="cerrada"))


@pytest.fixture
def unpublished_questionnaire(db) -> Questionnaire:
    return build_questionnaire(ConsultationFactory(is_published=False, slug="borrador"))


@pytest.fixture
def results_questionnaire(db) -> Questionnaire:
    """Closed, with results published two days ago."""
    return build_questionnaire(ConsultationFactory(with_results=True, slug="con-resultados"))


@pytest.fixture
def alice_client(alice) -> Client:
    return logged_in(alice)


@pytest.fixture
def bob_client(bob) -> Client:
    return logged_in(bob)


@pytest.fixture
def alice_draft(open_questionnaire, alice):
    """Alice saved section 1 and stopped there."""
    response = services.response_get_or_create(
        consultation=open_questionnaire.consultation, participant=alice.participant
    )
    answers = complete_answers(open_questionnaire)
    section_1 = {q: v for q, v in answers.items() if q.section_id == open_questionnaire.sections[0].pk}
    services.response_save_answers(response=response, answers=section_1)
    return response
