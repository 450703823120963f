"""Phases follow the dates, staff can pin one, and each phase is announced once to the right people."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from consultations import services, tasks
from consultations.models import Consultation, Phase, Response
from engine.models import Mechanism, Notification, Topic
from engine.notifications import subscription_set
from tests.consultations.factories import (
    ConsultationFactory,
    QuestionFactory,
    ResponseFactory,
    build_questionnaire,
    complete_answers,
    submitted_response,
)
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

T0 = timezone.now().replace(microsecond=0)
DATES = {
    "announced_at": T0,
    "opens_at": T0 + timedelta(days=10),
    "closes_at": T0 + timedelta(days=40),
    "results_published_at": T0 + timedelta(days=60),
    "response_published_at": T0 + timedelta(days=90),
}


@pytest.fixture
def dated():
    return ConsultationFactory(**DATES)


@pytest.mark.parametrize(
    ("moment", "phase"),
    [
        (T0 - timedelta(seconds=1), Phase.DRAFT),
        (T0, Phase.ANNOUNCED),
        (T0 + timedelta(days=10) - timedelta(seconds=1), Phase.ANNOUNCED),
        (T0 + timedelta(days=10), Phase.OPEN),
        (T0 + timedelta(days=40) - timedelta(seconds=1), Phase.OPEN),
        (T0 + timedelta(days=40), Phase.CLOSED),
        (T0 + timedelta(days=60), Phase.RESULTS),
        (T0 + timedelta(days=90), Phase.RESPONSE),
    ],
)
def test_phase_follows_the_dates(dated, moment, phase):
    assert dated.phase_at(moment) == phase


def test_without_publication_dates_a_closed_consultation_stays_closed(dated):
    dated.results_published_at = dated.response_published_at = None
    assert dated.phase_at(T0 + timedelta(days=400)) == Phase.CLOSED


@pytest.mark.parametrize("override", [Phase.ANNOUNCED, Phase.OPEN, Phase.CLOSED, Phase.RESULTS])
def test_phase_override_wins_over_the_dates(dated, override):
    dated.phase_override = override
    for moment in (T0 - timedelta(days=1), T0 + timedelta(days=20), T0 + timedelta(days=100)):
        assert dated.phase_at(moment) == override


def test_staff_closing_early_stops_answers_and_reopening_allows_them(alice):
    qn = build_questionnaire(ConsultationFactory())
    response = services.response_get_or_create(consultation=qn.consultation, participant=alice.participant)
    services.response_save_answers(response=response, answers=complete_answers(qn))

    qn.consultation.phase_override = Phase.CLOSED
    qn.consultation.save()
    assert not qn.consultation.is_open
    assert not Consultation.objects.open_now().filter(pk=qn.consultation.pk).exists()
    with pytest.raises(services.ConsultationClosed):
        services.response_submit(response=response)

    # Reopened by staff although the dates say it closed.
    qn.consultation.closes_at = timezone.now() - timedelta(minutes=1)
    qn.consultation.phase_override = Phase.OPEN
    qn.consultation.save()
    assert Consultation.objects.open_now().filter(pk=qn.consultation.pk).exists()
    assert services.response_submit(response=response).status == Response.Status.SUBMITTED


def test_open_now_and_upcoming_list_exactly_the_consultations_in_those_phases():
    open_ = ConsultationFactory()
    upcoming = ConsultationFactory(upcoming=True)
    not_yet_announced = ConsultationFactory(
        announced_at=timezone.now() + timedelta(days=1),
        opens_at=timezone.now() + timedelta(days=2),
        closes_at=timezone.now() + timedelta(days=9),
    )
    ConsultationFactory(closed=True)
    ConsultationFactory(with_results=True)
    ConsultationFactory(is_published=False)  # open by its dates, but not published
    ConsultationFactory(upcoming=True, is_published=False)
    pinned_closed = ConsultationFactory(phase_override=Phase.CLOSED)
    pinned_open = ConsultationFactory(closed=True, phase_override=Phase.OPEN)

    assert set(Consultation.objects.open_now()) == {open_, pinned_open}
    assert set(Consultation.objects.upcoming()) == {upcoming}
    assert not_yet_announced.phase == Phase.DRAFT
    assert pinned_closed.phase == Phase.CLOSED


def test_querysets_agree_with_phase_at_at_any_moment(dated):
    for days in (-1, 0, 5, 10, 30, 40, 70, 100):
        moment = T0 + timedelta(days=days)
        phase = dated.phase_at(moment)
        assert Consultation.objects.open_now(moment).filter(pk=dated.pk).exists() == (phase == Phase.OPEN)
        assert Consultation.objects.upcoming(moment).filter(pk=dated.pk).exists() == (
            phase == Phase.ANNOUNCED
        )


def test_a_consultation_pinned_as_announced_is_upcoming():
    pinned = ConsultationFactory(closed=True, phase_override=Phase.ANNOUNCED)
    assert pinned.phase == Phase.ANNOUNCED
    assert pinned in Consultation.objects.upcoming()


# --- Notifications of each phase, through the engine's outbox ---------------------------------------


def rows(user) -> int:
    return Notification.objects.filter(recipient=user).count()


@pytest.fixture
def followers(dated):
    topic = Topic.objects.first()
    dated.topic = topic
    dated.save()
    by_mechanism, by_topic, by_consultation, other_mechanism = UserFactory.create_batch(4)
    subscription_set(user=by_mechanism, target=Mechanism.CONSULTATIONS)
    subscription_set(user=by_topic, target=topic)
    subscription_set(user=by_consultation, target=dated)
    subscription_set(user=other_mechanism, target=Mechanism.COSOC)
    return {"followers": [by_mechanism, by_topic, by_consultation], "outsider": other_mechanism}


def test_sweep_tells_subscribers_once_when_announced_and_once_when_opened(dated, followers):
    announced, opened = T0 + timedelta(days=1), T0 + timedelta(days=11)
    assert services.consultation_phases_sweep(now=T0 - timedelta(days=1)) == 0  # still a draft

    assert services.consultation_phases_sweep(now=announced) == 3
    assert services.consultation_phases_sweep(now=announced) == 0
    assert services.consultation_phases_sweep(now=announced + timedelta(hours=1)) == 0
    assert [rows(user) for user in followers["followers"]] == [1, 1, 1]

    assert services.consultation_phases_sweep(now=opened) == 3
    assert services.consultation_phases_sweep(now=opened) == 0
    assert [rows(user) for user in followers["followers"]] == [2, 2, 2]
    assert rows(followers["outsider"]) == 0
    dated.refresh_from_db()
    assert dated.last_notified_phase == Phase.OPEN
    messages = Notification.objects.filter(recipient=followers["followers"][0]).values_list(
        "context", flat=True
    )
    assert {m["url_args"][0] for m in messages} == {dated.slug}


def test_closing_notifies_nobody(dated, followers):
    services.consultation_phases_sweep(now=T0 + timedelta(days=11))
    before = Notification.objects.count()
    assert services.consultation_phases_sweep(now=T0 + timedelta(days=41)) == 0
    assert Notification.objects.count() == before


def test_unpublished_consultations_are_not_announced(dated, followers):
    dated.is_published = False
    dated.save()
    assert services.consultation_phases_sweep(now=T0 + timedelta(days=11)) == 0
    assert not Notification.objects.exists()


def test_results_and_response_reach_participants_once(dated, alice, bob):
    QuestionFactory(section__consultation=dated)
    submitted_response(dated, {}, participant=alice.participant)
    ResponseFactory(consultation=dated, participant=bob.participant)  # a draft: bob did not take part
    anonymous = submitted_response(dated, {})
    assert anonymous.participant.user is None  # no inbox: nobody to tell
    services.consultation_phases_sweep(now=T0 + timedelta(days=11))

    assert services.consultation_phases_sweep(now=T0 + timedelta(days=61)) == 1
    assert services.consultation_phases_sweep(now=T0 + timedelta(days=61)) == 0
    assert rows(alice) == 1
    assert Notification.objects.get(recipient=alice).context["url_name"] == "consultations:results"

    assert services.consultation_phases_sweep(now=T0 + timedelta(days=91)) == 1
    assert services.consultation_phases_sweep(now=T0 + timedelta(days=92)) == 0
    assert rows(alice) == 2
    assert rows(bob) == 0


def test_a_participant_who_also_follows_hears_of_results_once(dated, followers, alice):
    subscription_set(user=alice, target=dated)
    submitted_response(dated, {}, participant=alice.participant)
    services.consultation_phases_sweep(now=T0 + timedelta(days=61))
    services.consultation_phases_sweep(now=T0 + timedelta(days=62))
    assert rows(alice) == 1
    assert rows(followers["outsider"]) == 0


def test_draft_reminder_goes_once_to_unfinished_drafts_two_days_before_closing(alice, bob):
    closing = ConsultationFactory(closes_at=timezone.now() + timedelta(hours=30))
    later = ConsultationFactory(closes_at=timezone.now() + timedelta(days=9))
    ResponseFactory(consultation=closing, participant=alice.participant)
    ResponseFactory(consultation=later, participant=bob.participant)
    carol = ParticipantFactory(user=UserFactory())
    submitted_response(closing, {}, participant=carol)

    assert services.response_draft_reminders_send() == 1
    assert services.response_draft_reminders_send() == 0
    assert rows(alice) == 1
    assert rows(bob) == 0
    assert rows(carol.user) == 0


def test_no_draft_reminder_for_a_consultation_staff_closed_early(alice):
    closed_early = ConsultationFactory(
        closes_at=timezone.now() + timedelta(hours=30), phase_override=Phase.CLOSED
    )
    ResponseFactory(consultation=closed_early, participant=alice.participant)
    assert services.response_draft_reminders_send() == 0
    assert rows(alice) == 0


def test_the_beat_tasks_run_the_services_and_may_run_twice(dated, followers, alice):
    # The dated consultation was announced just now (T0): its followers hear of it once.
    assert tasks.phases_sweep_task() == 3
    assert tasks.phases_sweep_task() == 0
    ResponseFactory(
        consultation=ConsultationFactory(closes_at=timezone.now() + timedelta(hours=30)),
        participant=alice.participant,
    )
    assert tasks.draft_reminders_task() == 1
    assert tasks.draft_reminders_task() == 0


def test_the_draft_reminder_reaches_its_author_in_her_language(alice, django_capture_on_commit_callbacks):
    closing = ConsultationFactory(closes_at=timezone.now() + timedelta(hours=30), title_ht="")
    ResponseFactory(consultation=closing, participant=alice.participant)
    with django_capture_on_commit_callbacks(execute=True):
        services.response_draft_reminders_send()
    [message] = mail.outbox
    assert message.to == [alice.email]
    assert message.subject == closing.title_es  # no Kreyòl title: the Spanish one
    with translation.override("ht"):
        reminder = translation.gettext(
            "Su respuesta está guardada como borrador y la consulta cierra pronto. Termine y envíela."
        )
    assert reminder != translation.gettext(
        "Su respuesta está guardada como borrador y la consulta cierra pronto. Termine y envíela."
    )
    assert reminder in message.body
    assert f"/ht/consultas/{closing.slug}/" in message.body
