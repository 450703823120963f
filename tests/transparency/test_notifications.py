"""Followers of a type, a topic or the mechanism hear of new and substantially updated publications, once
each; every email says why it came and unsubscribes in one click. Drafts and corrections announce nothing."""

import re

import pytest
from django.core import mail

from engine.models import Frequency, Mechanism, Subscription, Topic
from engine.notifications import subscription_set
from engine.notifications.services import notifications_send
from tests.transparency.factories import PublicationFactory, draft
from transparency import services
from transparency.models import PublicationType, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def followers(alice, bob, django_user_model):
    topic = (
        Topic.objects.get(slug="regularizacion")
        if Topic.objects.filter(slug="regularizacion").exists()
        else Topic.objects.first()
    )
    carol = django_user_model.objects.create_user(email="carol@example.org", password="x", name="Carol")
    services.publication_type_follow(user=alice, type=PublicationType.BUDGET)  # Kreyòl reader
    subscription_set(user=bob, target=topic)
    subscription_set(user=carol, target=Mechanism.INFORMATION)
    return {"alice": alice, "bob": bob, "carol": carol, "topic": topic}


def sent() -> dict[str, mail.EmailMessage]:
    notifications_send()
    return {message.to[0]: message for message in mail.outbox}


def test_a_new_publication_reaches_type_topic_and_mechanism_followers_once_each(followers):
    publication = draft(
        title="Presupuesto de octubre", type=PublicationType.BUDGET, topics=[followers["topic"]]
    )
    services.publication_type_follow(
        user=followers["bob"], type=PublicationType.BUDGET
    )  # two reasons, one email
    services.publication_publish(publication=publication)
    emails = sent()
    assert set(emails) == {"alice@example.org", "bob@example.org", "carol@example.org"}
    assert len(mail.outbox) == 3


def test_each_email_says_why_and_unsubscribes_in_one_click(followers, client):
    publication = draft(
        title="Presupuesto de octubre", type=PublicationType.BUDGET, topics=[followers["topic"]]
    )
    services.publication_publish(publication=publication)
    emails = sent()
    carol = emails["carol@example.org"].body
    assert "Presupuesto de octubre" in carol and "/informacion/" in carol
    assert "porque sigue Información relevante" in carol
    bob = emails["bob@example.org"].body
    assert f"porque sigue {followers['topic'].name}" in bob
    alice = emails["alice@example.org"]
    assert "Presupuestos" in alice.body or "Bidjè" in alice.body  # her type, in her language
    link = alice.extra_headers["List-Unsubscribe"].strip("<>")
    response = client.post(re.sub(r"^https?://[^/]+", "", link), {"List-Unsubscribe": "One-Click"})
    assert response.status_code in (200, 302)
    assert Subscription.objects.get(user=followers["alice"]).frequency == Frequency.OFF


def test_a_substantive_update_is_announced_and_a_correction_is_not(followers):
    publication = PublicationFactory(type=PublicationType.BUDGET)
    mail.outbox.clear()
    notifications_send()
    mail.outbox.clear()
    services.publication_save(publication=publication)
    assert sent() == {}
    services.publication_update(publication=publication, change_note="Ejecución de octubre.")
    emails = sent()
    assert "alice@example.org" in emails
    assert "actualizó" in emails["carol@example.org"].body


def test_drafts_previews_and_unpublished_items_announce_nothing(followers):
    publication = draft(type=PublicationType.BUDGET)
    services.publication_set_status(publication=publication, status=Status.PREVIEW)
    assert sent() == {}
