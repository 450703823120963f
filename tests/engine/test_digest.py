"""Weekly digests group items by mechanism, are never empty and never repeat an item."""

import pytest
from django.core import mail

from engine import tasks
from engine.models import Delivery, Frequency, Mechanism, Notification, NotificationStatus, Topic
from engine.notifications import notify, subscription_set
from engine.notifications.services import digests_build, notifications_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def weekly_alice(alice):
    subscription_set(user=alice, target=Mechanism.CONSULTATIONS, frequency=Frequency.WEEKLY)
    subscription_set(user=alice, target=Mechanism.COSOC, frequency=Frequency.WEEKLY)
    return alice


def events() -> None:
    notify(
        kind="generic", mechanism=Mechanism.CONSULTATIONS, context={"title": "Consulta sobre salud abierta"}
    )
    notify(kind="generic", mechanism=Mechanism.COSOC, context={"title": "Acta de la sesión de marzo"})
    notify(kind="generic", mechanism=Mechanism.CONSULTATIONS, context={"title": "Resultados publicados"})


def test_weekly_items_wait_for_the_digest(weekly_alice):
    events()
    assert set(Notification.objects.values_list("delivery", flat=True)) == {Delivery.DIGEST}
    notifications_send()
    assert mail.outbox == []


def test_digest_groups_items_by_mechanism(weekly_alice, bob, django_capture_on_commit_callbacks):
    events()
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_build() == 1
    assert len(mail.outbox) == 1  # one email for three items; none for Bob, who follows nothing
    message = mail.outbox[0]
    body = message.body
    # Mechanisms in the portal's order (COSOC before consultations), each item under its heading.
    assert body.index("Acta de la sesión de marzo") < body.index("Consulta sobre salud abierta")
    assert body.index("Consulta sobre salud abierta") < body.index("Resultados publicados")
    html = message.alternatives[0][0]
    assert html.count("<h2") == 2
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/ht/avisos/baja/")
    items = Notification.objects.filter(delivery=Delivery.DIGEST)
    digest = Notification.objects.get(kind=Notification.DIGEST_KIND)
    assert set(items.values_list("digest", flat=True)) == {digest.pk}
    assert digest.status == NotificationStatus.SENT


def test_no_empty_digest_and_no_repeat(weekly_alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_build() == 0  # nothing happened this week
    events()
    with django_capture_on_commit_callbacks(execute=True):
        digests_build()
        assert digests_build() == 0  # the same items never go out twice
        tasks.digests_build_task.apply()
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(kind=Notification.DIGEST_KIND).count() == 1


def test_unsubscribed_items_never_reach_a_digest(weekly_alice, django_capture_on_commit_callbacks):
    events()
    weekly_alice.subscriptions.update(frequency=Frequency.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_build() == 0
    assert mail.outbox == []
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SKIPPED}


def test_immediate_subscription_wins_over_weekly(alice):
    topic = Topic.objects.get(slug="regularizacion")
    subscription_set(user=alice, target=topic, frequency=Frequency.WEEKLY)
    subscription_set(user=alice, target=Mechanism.INFORMATION, frequency=Frequency.IMMEDIATELY)
    notify(
        kind="generic", mechanism=Mechanism.INFORMATION, topics=[topic], context={"title": "Nuevo decreto"}
    )
    notification = Notification.objects.get()
    assert notification.delivery == Delivery.IMMEDIATE
    assert notification.subscription.mechanism == Mechanism.INFORMATION


def test_digest_of_one_person_with_many_items_is_one_email(alice, bob, django_capture_on_commit_callbacks):
    for user in (alice, bob):
        subscription_set(user=user, target=Mechanism.INFORMATION, frequency=Frequency.WEEKLY)
    for number in range(5):
        notify(kind="generic", mechanism=Mechanism.INFORMATION, context={"title": f"Documento {number}"})
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_build() == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted([alice.email, bob.email])
    assert all(message.body.count("Documento") == 5 for message in mail.outbox)
