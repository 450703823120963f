"""The outbox: notifications are written with the event, sent after commit, exactly once, never lost."""

import logging
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy

from engine import tasks
from engine.models import BouncedAddress, Delivery, Mechanism, Notification, NotificationStatus
from engine.notifications import notify
from engine.notifications.services import notifications_send, notifications_sweep
from participants import services as participant_services
from sermig_portal.celery import app as celery_app
from tests.engine.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db


def submit_and_notify(user) -> None:
    """What a mechanism does when a citizen submits something: save it and notify, in one transaction."""
    with transaction.atomic():
        participant_services.participant_record(region="CL-AI", commune="Coyhaique")
        notify(kind="generic", recipients=[user], context={"title": "Recibimos su respuesta"})


def test_broker_unreachable_submission_succeeds_and_sweep_sends_once(
    alice, broker_down, django_capture_on_commit_callbacks, caplog
):
    assert celery_app.conf.task_always_eager is False
    with (
        caplog.at_level(logging.WARNING, logger="engine.queue"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        submit_and_notify(alice)  # returns normally: the broker failure is caught and logged
    assert len(callbacks) == 1
    assert "broker unreachable" in caplog.text
    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.PENDING
    assert mail.outbox == []

    # Structure of "never hangs": one publish attempt without kombu's retry loop or its 2 s pause.
    options = celery_app.conf.broker_transport_options
    assert options["interval_start"] == 0 and options["max_retries"] <= 1

    # Redis is back: the beat sweep sends what waited, exactly once however often it runs.
    tasks.notifications_sweep_task.apply()
    tasks.notifications_sweep_task.apply()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [alice.email]
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT and notification.attempts == 1


def test_after_a_broker_failure_the_next_submissions_do_not_even_try(
    alice, bob, broker_down, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    original = tasks.notifications_send_task.apply_async

    def counting_apply_async(*args, **kwargs):
        calls.append(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(tasks.notifications_send_task, "apply_async", counting_apply_async)
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="generic", recipients=[alice], context={"title": "Uno"})
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="generic", recipients=[bob], context={"title": "Dos"})
    assert len(calls) == 1
    assert calls[0]["retry"] is False
    assert Notification.objects.pending().count() == 2


def test_task_run_twice_sends_one_email(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notify(kind="generic", recipients=[alice], context={"title": "Hola"})
    ids = list(Notification.objects.values_list("pk", flat=True))
    tasks.notifications_send_task.apply(args=[ids])
    tasks.notifications_send_task.apply(args=[ids])
    assert len(mail.outbox) == 1


def test_notification_is_sent_after_commit(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="generic", recipients=[alice], context={"title": "Hola"})
        assert mail.outbox == []  # not before the transaction commits
    assert len(mail.outbox) == 1


def test_rolled_back_transaction_sends_nothing(alice, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(kind="generic", recipients=[alice], context={"title": "Nunca"})
        raise RuntimeError("the submission failed")
    assert callbacks == []
    assert not Notification.objects.exists()
    notifications_sweep()
    assert mail.outbox == []


def test_temporary_failure_retries_with_backoff(alice, monkeypatch):
    notify(kind="generic", recipients=[alice], context={"title": "Hola"})

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({alice.email: (451, b"try later")})

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", refuse)
    before = timezone.now()
    notifications_send()
    first = Notification.objects.get()
    assert first.status == NotificationStatus.PENDING and first.attempts == 1
    assert first.next_attempt_at >= before + timedelta(seconds=59)
    assert "451" in first.last_error

    # Not due yet: the sweep leaves it alone.
    assert notifications_send() == 0
    Notification.objects.update(next_attempt_at=timezone.now())
    notifications_send()
    second = Notification.objects.get()
    assert second.attempts == 2
    assert second.next_attempt_at - timezone.now() > timedelta(seconds=110)  # doubled

    monkeypatch.undo()
    Notification.objects.update(next_attempt_at=timezone.now())
    notifications_send()
    assert Notification.objects.get().status == NotificationStatus.SENT
    assert len(mail.outbox) == 1


def test_gives_up_after_max_attempts(alice, settings, monkeypatch):
    settings.ENGINE_NOTIFICATION_MAX_ATTEMPTS = 2
    notify(kind="generic", recipients=[alice], context={"title": "Hola"})
    monkeypatch.setattr(
        "django.core.mail.message.EmailMessage.send",
        lambda self, *a, **k: (_ for _ in ()).throw(smtplib.SMTPServerDisconnected("gone")),
    )
    for _attempt in range(3):
        Notification.objects.filter(status=NotificationStatus.PENDING).update(next_attempt_at=timezone.now())
        notifications_send()
    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.FAILED and notification.attempts == 2


def test_permanent_bounce_marks_the_address_and_stops_sending(alice, monkeypatch):
    notify(kind="generic", recipients=[alice], context={"title": "Uno"})

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({alice.email: (550, b"no such user")})

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", refuse)
    notifications_send()
    assert Notification.objects.get().status == NotificationStatus.FAILED
    bounce = BouncedAddress.objects.get()
    assert bounce.email == alice.email and bounce.smtp_code == 550

    monkeypatch.undo()
    # Neither a direct notification nor a follower's reaches the address any more.
    SubscriptionFactory(user=alice, mechanism=Mechanism.COSOC)
    assert (
        notify(kind="generic", recipients=[alice], mechanism=Mechanism.COSOC, context={"title": "Dos"}) == 0
    )
    notifications_sweep()
    assert mail.outbox == []


def test_bounce_arriving_between_writing_and_sending_skips(alice):
    notify(kind="generic", recipients=[alice], context={"title": "Uno"})
    BouncedAddress.objects.create(email=alice.email.upper())
    notifications_send()
    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.SKIPPED
    assert mail.outbox == []


def test_unsubscribing_before_sending_skips_the_pending_email(alice):
    subscription = SubscriptionFactory(user=alice, mechanism=Mechanism.INFORMATION)
    notify(kind="generic", mechanism=Mechanism.INFORMATION, context={"title": "Nuevo documento"})
    subscription.frequency = "off"
    subscription.save()
    notifications_send()
    assert Notification.objects.get().status == NotificationStatus.SKIPPED
    assert mail.outbox == []


def test_claims_of_a_dead_worker_are_released_by_the_sweep(alice, settings):
    notify(kind="generic", recipients=[alice], context={"title": "Hola"})
    long_ago = timezone.now() - timedelta(seconds=settings.ENGINE_NOTIFICATION_STALE_AFTER_SECONDS + 5)
    Notification.objects.update(status=NotificationStatus.SENDING, claim_token="dead", claimed_at=long_ago)
    assert notifications_send() == 0  # a live claim is never taken over
    notifications_sweep()
    assert len(mail.outbox) == 1


def test_template_errors_fail_at_notify_time_not_in_the_worker(alice):
    with pytest.raises(TemplateDoesNotExist):
        notify(kind="no_such_email", recipients=[alice], context={})
    with pytest.raises(ValueError):
        notify(kind="../secrets", recipients=[alice], context={})


def test_lazy_translations_are_refused_in_context(alice):
    with pytest.raises(TypeError, match="translatable text"):
        notify(kind="generic", recipients=[alice], context={"title": gettext_lazy("Hola")})


def test_follower_and_direct_recipient_get_one_email(alice, django_capture_on_commit_callbacks):
    SubscriptionFactory(user=alice, mechanism=Mechanism.COSOC)
    with django_capture_on_commit_callbacks(execute=True):
        written = notify(
            kind="generic", recipients=[alice], mechanism=Mechanism.COSOC, context={"title": "Acta publicada"}
        )
    assert written == 1
    assert Notification.objects.get().delivery == Delivery.IMMEDIATE
    assert len(mail.outbox) == 1


def test_excluded_author_is_not_notified(alice, bob):
    SubscriptionFactory(user=alice, mechanism=Mechanism.PUBLIC_ACCOUNT)
    SubscriptionFactory(user=bob, mechanism=Mechanism.PUBLIC_ACCOUNT)
    notify(kind="generic", mechanism=Mechanism.PUBLIC_ACCOUNT, exclude=[alice], context={"title": "Pregunta"})
    assert list(Notification.objects.values_list("recipient", flat=True)) == [bob.pk]


def test_a_burst_of_single_emails_is_gathered_into_one_send(
    alice, bob, staff_member, monkeypatch, request, django_capture_on_commit_callbacks
):
    """Fifty people submitting at once each get a confirmation: one task a few seconds later sends them all,
    instead of one task, claim and mail connection each competing with the pages (a worker is running)."""
    scheduled = []
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    request.addfinalizer(lambda: setattr(celery_app.conf, "task_always_eager", saved))
    monkeypatch.setattr(
        tasks.notifications_send_task, "apply_async", lambda *args, **kwargs: scheduled.append(kwargs)
    )
    for person in (alice, bob, staff_member):
        with django_capture_on_commit_callbacks(execute=True):
            notify(kind="generic", recipients=[person], context={"title": "Recibimos su respuesta"})
    assert len(scheduled) == 1
    assert scheduled[0]["countdown"] == 2 and not scheduled[0]["args"]
    assert mail.outbox == []

    tasks.notifications_send_task.apply()  # what the worker runs two seconds later
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in (alice, bob, staff_member))
    assert not Notification.objects.pending().exists()
