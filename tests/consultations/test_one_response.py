"""One response per participant and per confirmed email, enforced by the database, even under a race."""

from unittest import mock

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.urls import reverse

from consultations import selectors, services
from consultations.models import QuestionKind, Response
from engine.models import Notification
from participants.models import Participant
from tests.consultations.factories import ConsultationFactory, QuestionFactory, ResponseFactory
from tests.helpers import logged_in, run_in_parallel


@pytest.mark.django_db
def test_get_or_create_twice_returns_the_same_response(open_questionnaire, alice):
    consultation = open_questionnaire.consultation
    first = services.response_get_or_create(consultation=consultation, participant=alice.participant)
    second = services.response_get_or_create(consultation=consultation, participant=alice.participant)
    assert first.pk == second.pk
    assert Response.objects.filter(consultation=consultation).count() == 1


@pytest.mark.django_db
def test_the_same_confirmed_email_gets_the_same_response(open_questionnaire):
    consultation = open_questionnaire.consultation
    first = services.response_get_or_create(
        consultation=consultation, hashed_email=services.email_hash("Marie@Example.org ")
    )
    second = services.response_get_or_create(
        consultation=consultation, hashed_email=services.email_hash("marie@example.org")
    )
    other = services.response_get_or_create(
        consultation=consultation, hashed_email=services.email_hash("jean@example.org")
    )
    assert first.pk == second.pk != other.pk


@pytest.mark.django_db
def test_a_response_needs_an_owner(open_questionnaire):
    with pytest.raises(ValueError):
        services.response_get_or_create(consultation=open_questionnaire.consultation)


@pytest.mark.django_db
def test_database_refuses_a_second_response_of_the_same_participant(alice):
    response = ResponseFactory(participant=alice.participant)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(consultation=response.consultation, participant=alice.participant)


@pytest.mark.django_db
def test_database_refuses_a_second_response_of_the_same_email(bob):
    consultation = ConsultationFactory(allow_anonymous=True)
    hashed = services.email_hash("marie@example.org")
    ResponseFactory(consultation=consultation, email_hash=hashed)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(consultation=consultation, participant=bob.participant, email_hash=hashed)


@pytest.mark.django_db
def test_the_same_person_may_answer_two_consultations(alice):
    ResponseFactory(participant=alice.participant)
    ResponseFactory(participant=alice.participant)
    assert Response.objects.filter(participant=alice.participant).count() == 2


def test_a_response_without_participant_nor_email_is_refused_by_the_database(db):
    consultation = ConsultationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(consultation=consultation)


# --- Parallel submissions --------------------------------------------------------------------------


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite serialises writers and has no row locks: the race is only meaningful on PostgreSQL"
        )


@pytest.fixture
def optional_only(transactional_db):
    """An open consultation whose only question is optional, so an empty response can be submitted."""
    consultation = ConsultationFactory(allow_anonymous=True)
    QuestionFactory(section__consultation=consultation, kind=QuestionKind.SHORT_TEXT)
    return consultation


def test_twenty_parallel_submissions_of_one_participant_store_one_response(
    postgres_only, optional_only, alice
):
    def submit():
        response = services.response_get_or_create(consultation=optional_only, participant=alice.participant)
        return services.response_submit(response=response)

    results = run_in_parallel(submit)

    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    assert len({r.pk for r in results}) == 1
    response = Response.objects.get(consultation=optional_only)
    assert response.status == Response.Status.SUBMITTED
    assert response.participant_id == alice.participant.pk
    # Submitted once: one confirmation for alice, not twenty.
    assert Notification.objects.filter(recipient=alice).count() == 1


def test_twenty_parallel_submissions_of_one_confirmed_email_store_one_response(postgres_only, optional_only):
    hashed = services.email_hash("marie@example.org")

    def submit():
        response = services.response_get_or_create(consultation=optional_only, hashed_email=hashed)
        return services.response_submit(response=response)

    results = run_in_parallel(submit)

    assert [r for r in results if isinstance(r, Exception)] == []
    response = Response.objects.get(consultation=optional_only)
    assert response.email_hash == hashed
    assert response.status == Response.Status.SUBMITTED
    assert {r.pk for r in results} == {response.pk}


@pytest.mark.django_db
def test_losing_the_race_for_an_email_leaves_no_stray_participant(open_questionnaire):
    consultation = open_questionnaire.consultation
    hashed = services.email_hash("marie@example.org")
    winner = services.response_get_or_create(consultation=consultation, hashed_email=hashed)
    participants = Participant.objects.count()

    # The other request looked before the winner committed: it did not see the response.
    with mock.patch.object(QuerySet, "first", return_value=None):
        loser = services.response_get_or_create(consultation=consultation, hashed_email=hashed)

    assert loser.pk == winner.pk
    assert Participant.objects.count() == participants


@pytest.mark.django_db
def test_create_or_get_says_whether_it_created(open_questionnaire, alice):
    consultation = open_questionnaire.consultation
    first, created = services.response_create_or_get(consultation=consultation, participant=alice.participant)
    again, created_again = services.response_create_or_get(
        consultation=consultation, participant=alice.participant
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Response.objects.filter(consultation=consultation).count() == 1


@pytest.mark.django_db
def test_a_save_that_lost_the_race_for_the_response_replaces_the_winners_answers(open_questionnaire, alice):
    """Two tabs post section 1 at once: the second finds no response, then loses the insert. Its answers
    must replace the first tab's, not sit beside them."""
    qn = open_questionnaire
    browser = logged_in(alice)
    url = reverse("consultations:answer", kwargs={"slug": qn.slug, "step": 1})
    section_1 = {
        f"q{qn.q['atendido'].pk}": str(qn.o["Sí"].pk),
        f"q{qn.q['barreras'].pk}": str(qn.o["Idioma"].pk),
        "action": "next",
    }
    assert browser.post(url, section_1).status_code == 302
    find = selectors.consultation_access

    def not_found_yet(**kwargs):
        access = find(**kwargs)
        access.own_response = None  # as if this tab looked just before the other one inserted
        return access

    with mock.patch("consultations.selectors.consultation_access", side_effect=not_found_yet):
        changed = {**section_1, f"q{qn.q['atendido'].pk}": str(qn.o["No"].pk)}
        assert browser.post(url, changed).status_code == 302

    response = Response.objects.get(consultation=qn.consultation)
    answers = response.answers.filter(question=qn.q["atendido"])
    assert answers.count() == 1
    assert list(answers.get().choices.values_list("option_id", flat=True)) == [qn.o["No"].pk]
