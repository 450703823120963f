"""Answer deadlines: computed from the window's end, reminders to the unit once for due-soon and once for
overdue questions, authors told in their own language."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from engine.models import Notification
from engine.notifications.services import notifications_send
from public_accounts import services, tasks
from public_accounts.models import Question, Status
from tests.factories import ParticipantFactory, UserFactory
from tests.public_accounts.factories import QuestionFactory, answered

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(db):
    group = Group.objects.create(name="Departamento de Extranjería")
    member = UserFactory(email="unidad@example.org", is_staff=True, preferred_language="es")
    member.groups.add(group)
    return group


def test_reminders_once_for_due_soon_and_once_for_overdue(account, unit):
    today = timezone.localdate()
    soon = QuestionFactory(account=account, accepted=True)
    late = QuestionFactory(account=account, accepted=True)
    far = QuestionFactory(account=account, accepted=True)
    done = QuestionFactory(account=account, accepted=True)
    for question, days in ((soon, 3), (late, -1), (far, 10), (done, -5)):
        services.question_assign(question=question, unit=unit, due_date=today + timedelta(days=days))
    answered(done)
    services.answers_publish_all(account=account)

    assert (
        services.deadline_reminders_send(today=today) == 2
    )  # one "due soon", one "overdue", to the one member
    assert services.deadline_reminders_send(today=today) == 0
    messages = [
        n.context["message"]["es"] for n in Notification.objects.filter(recipient__email="unidad@example.org")
    ]
    assert any("vencen en pocos días" in m for m in messages) and any("plazo vencido" in m for m in messages)
    # Once it becomes overdue, the due-soon question is reminded again, as overdue.
    assert services.deadline_reminders_send(today=today + timedelta(days=4)) == 1
    assert Question.objects.overdue(today + timedelta(days=4)).count() == 2


def test_author_hears_in_their_language(account, alice, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    question = answered(QuestionFactory(account=account, participant=alice.participant, language="ht"))
    services.answers_publish_all(account=account)
    notifications_send()
    to_alice = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert to_alice
    body = to_alice[0].body
    assert "SERMIG reponn kesyon ou." in body
    assert "/ht/cuenta-publica/" in body and f"/preguntas/{question.pk}/" in body


def test_author_without_account_hears_by_email_in_the_question_language(
    account, django_capture_on_commit_callbacks
):
    question = QuestionFactory(
        account=account, participant=ParticipantFactory(), language="en", contact="rose@example.org"
    )
    answered(question)
    with django_capture_on_commit_callbacks(execute=True):
        services.answers_publish_all(account=account)
    message = next(m for m in mail.outbox if m.to == ["rose@example.org"])
    assert "SERMIG answered your question." in message.body
    assert f"/en/cuenta-publica/{account.year}/preguntas/{question.pk}/" in message.body


def test_in_person_question_without_contact_is_published_and_nobody_is_emailed(account, staff_member):
    question = services.question_record_in_person(
        account=account, staff=staff_member, text="¿Oral?", topic="x"
    )
    assert question.channel == "in_person" and question.participant.user is None
    services.question_moderate(question=question, status=Status.ACCEPTED)
    answered(question)
    services.answers_publish_all(account=account)
    assert mail.outbox == []


def test_beat_runs_the_phase_sweep_and_the_daily_reminders(settings, account):
    scheduled = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled[tasks.phases_sweep_task.name] <= 5 * 60
    assert scheduled[tasks.deadline_reminders_task.name] == 24 * 60 * 60
    # Nobody follows the account: nothing to tell, but the phase is noted.
    assert tasks.phases_sweep_task() == 0
    account.refresh_from_db()
    assert account.last_notified_phase == "questions"
    assert tasks.deadline_reminders_task() == 0
