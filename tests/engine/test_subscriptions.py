"""Following a mechanism, a topic or one object, and unsubscribing with a signed link, without logging in."""

import base64
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from engine.models import Frequency, Mechanism, Subscription, Topic
from engine.notifications import notify, subscription_set, unsubscribe_token
from engine.notifications.selectors import is_following
from engine.notifications.services import subscription_unsubscribe, unsubscribe_with_token, weekly_digest_off
from participants.models import Participant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    return Topic.objects.get(slug="regularizacion")


def test_follow_a_mechanism_a_topic_and_an_object(alice, topic):
    thing = Participant.objects.first()  # any saved object can be followed
    by_mechanism = subscription_set(user=alice, target=Mechanism.COSOC)
    by_topic = subscription_set(user=alice, target=topic, frequency=Frequency.WEEKLY)
    by_object = subscription_set(user=alice, target=thing)
    assert by_mechanism.mechanism == "cosoc"
    assert by_topic.topic == topic and by_topic.frequency == Frequency.WEEKLY
    assert by_object.target_object == thing
    assert by_object.content_type == ContentType.objects.get_for_model(Participant)


def test_following_again_changes_frequency_not_duplicates(alice, topic):
    subscription_set(user=alice, target=topic)
    subscription_set(user=alice, target=topic, frequency=Frequency.WEEKLY)
    assert Subscription.objects.get().frequency == Frequency.WEEKLY


def test_database_refuses_duplicates_and_mixed_targets(alice, topic):
    Subscription.objects.create(user=alice, mechanism=Mechanism.COSOC)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=alice, mechanism=Mechanism.COSOC)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=alice, mechanism=Mechanism.INFORMATION, topic=topic)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=alice)


def test_followers_of_an_object_its_mechanism_or_its_topics_are_notified(alice, bob, topic):
    thing = Participant.objects.get(user=bob)
    subscription_set(user=alice, target=thing)
    subscription_set(user=bob, target=topic)
    assert notify(kind="generic", target=thing, topics=[topic], context={"title": "x"}) == 2
    assert (
        notify(kind="generic", topics=Topic.objects.filter(slug="trabajo-decente"), context={"title": "y"})
        == 0
    )


def test_unknown_targets_are_refused(alice):
    with pytest.raises(ValueError):
        subscription_set(user=alice, target="not-a-mechanism")
    with pytest.raises(ValueError):
        subscription_set(user=alice, target=Topic(slug="unsaved"))


# --- The unsubscribe link ----------------------------------------------------------------------------


@pytest.fixture
def subscription(alice):
    return subscription_set(user=alice, target=Mechanism.CONSULTATIONS)


def link(subscription) -> str:
    return f"/avisos/baja/{unsubscribe_token(subscription_id=subscription.pk)}/"


def test_get_shows_a_confirmation_and_changes_nothing(client, subscription):
    response = client.get(link(subscription))
    assert response.status_code == 200
    assert "Consultas ciudadanas" in response.content.decode()
    assert b'method="post"' in response.content
    subscription.refresh_from_db()
    assert subscription.frequency == Frequency.IMMEDIATELY


def test_post_unsubscribes_without_logging_in(client, subscription):
    client.logout()
    response = client.post(link(subscription))
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.frequency == Frequency.OFF
    # The page names what was turned off, never whose subscription it was.
    assert subscription.user.email.encode() not in response.content


def test_rfc_8058_one_click_post(client, subscription):
    client_without_csrf = client.__class__(enforce_csrf_checks=True)
    response = client_without_csrf.post(
        link(subscription),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.frequency == Frequency.OFF


def test_link_works_again_harmlessly(client, subscription):
    client.post(link(subscription))
    response = client.get(link(subscription))
    assert response.status_code == 200
    assert "ya no recibía" in response.content.decode().lower()


def _other_payload(token: str, other_id: int) -> str:
    payload = base64.urlsafe_b64encode(json.dumps({"s": other_id}, separators=(",", ":")).encode())
    return payload.decode().rstrip("=") + token[token.index(":") :]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token, other: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature altered
        _other_payload,  # someone else's subscription id with this signature
        lambda token, other: "nada",
    ],
)
def test_tampered_link_is_refused_with_a_clear_message(client, subscription, bob, tamper):
    other = subscription_set(user=bob, target=Mechanism.COSOC)
    token = tamper(unsubscribe_token(subscription_id=subscription.pk), other.pk)
    response = client.post(f"/avisos/baja/{token}/")
    assert response.status_code == 400
    assert "no es válido" in response.content.decode()
    subscription.refresh_from_db()
    other.refresh_from_db()
    assert subscription.frequency == other.frequency == Frequency.IMMEDIATELY


def test_unsubscribe_page_in_kreyol(client, subscription):
    response = client.get("/ht" + link(subscription))
    assert response.status_code == 200
    assert b'<html lang="ht"' in response.content


def test_weekly_digest_link_turns_off_every_weekly_subscription(alice, topic):
    subscription_set(user=alice, target=topic, frequency=Frequency.WEEKLY)
    subscription_set(user=alice, target=Mechanism.COSOC, frequency=Frequency.WEEKLY)
    subscription_set(user=alice, target=Mechanism.INFORMATION, frequency=Frequency.IMMEDIATELY)
    assert unsubscribe_with_token(token=unsubscribe_token(weekly_of_user_id=alice.pk)) == 2
    assert list(alice.subscriptions.active().values_list("mechanism", flat=True)) == [Mechanism.INFORMATION]


def test_the_follow_state_pages_read_changes_at_once_whatever_changed_it(
    alice, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Pages read "do I follow this?" from the person's kept set of follows (engine.notifications.selectors):
    every way a subscription changes forgets it, so a follow button is never stale."""
    thing = Participant.objects.first()
    assert not is_following(user=alice, target=thing)
    with django_capture_on_commit_callbacks(execute=True):
        subscription = subscription_set(user=alice, target=thing)
    assert is_following(user=alice, target=thing)
    with django_assert_num_queries(0):  # kept
        assert is_following(user=alice, target=thing)
    assert not is_following(user=UserFactory(email="otra@example.org"), target=thing)

    unsubscribe_with_token(token=unsubscribe_token(subscription_id=subscription.pk))  # the email's link
    assert not is_following(user=alice, target=thing)
    subscription_set(user=alice, target=thing, frequency=Frequency.WEEKLY)
    assert is_following(user=alice, target=thing)
    weekly_digest_off(user_id=alice.pk)  # the digest's own link
    assert not is_following(user=alice, target=thing)
    subscription_set(user=alice, target=thing)
    assert is_following(user=alice, target=thing)
    subscription_unsubscribe(subscription=Subscription.objects.get(user=alice))
    assert not is_following(user=alice, target=thing)
    subscription_set(user=alice, target=thing)
    assert is_following(user=alice, target=thing)
    Subscription.objects.get(user=alice).delete()  # admin, or the account deleted
    assert not is_following(user=alice, target=thing)
