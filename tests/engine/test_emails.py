"""Emails render in the recipient's language, as text and HTML, with a one-click unsubscribe link."""

import re

import pytest
from django.core import mail
from django.utils import translation

from engine.models import Mechanism, Notification
from engine.notifications import notify
from engine.notifications.services import notifications_send
from tests.engine.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db

TITLE = {
    "es": "Nueva consulta: ¿cómo mejorar la atención?",
    "ht": "Nouvo konsiltasyon",
    "en": "New consultation",
}


def send_to_followers(mechanism=Mechanism.CONSULTATIONS) -> None:
    notify(kind="generic", mechanism=mechanism, context={"title": TITLE, "message": {"es": "Participe"}})
    notifications_send()


def html_of(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def test_language_of_the_email_follows_the_recipient(alice, bob):
    # Alice reads Kreyòl, Bob Spanish.
    SubscriptionFactory(user=alice)
    SubscriptionFactory(user=bob)
    send_to_followers()
    by_recipient = {message.to[0]: message for message in mail.outbox}
    kreyol, spanish = by_recipient[alice.email], by_recipient[bob.email]

    assert kreyol.extra_headers["Content-Language"] == "ht"
    assert '<html lang="ht">' in html_of(kreyol)
    assert kreyol.subject == "Nouvo konsiltasyon"
    assert "/ht/avisos/baja/" in kreyol.body  # links lead to the Kreyòl pages

    assert spanish.extra_headers["Content-Language"] == "es"
    assert '<html lang="es">' in html_of(spanish)
    assert spanish.subject == TITLE["es"]
    assert "/avisos/baja/" in spanish.body and "/ht/" not in spanish.body


def test_template_strings_are_translated_for_the_recipient(alice):
    SubscriptionFactory(user=alice)
    send_to_followers()
    with translation.override("ht"):
        expected = translation.gettext("Servicio Nacional de Migraciones")
    assert expected in mail.outbox[0].body


def test_text_and_html_parts_and_unescaped_text(bob):
    SubscriptionFactory(user=bob)
    notify(kind="generic", mechanism=Mechanism.CONSULTATIONS, context={"title": "Salud & trabajo <2026>"})
    notifications_send()
    message = mail.outbox[0]
    assert message.subject == "Salud & trabajo <2026>"
    assert "Salud & trabajo <2026>" in message.body  # plain text is not HTML-escaped
    assert "Salud &amp; trabajo &lt;2026&gt;" in html_of(message)  # the HTML part is


def test_list_unsubscribe_headers_for_rfc_8058(bob):
    SubscriptionFactory(user=bob)
    send_to_followers()
    headers = mail.outbox[0].extra_headers
    link = re.fullmatch(r"<(http://[^>]+)>", headers["List-Unsubscribe"]).group(1)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in mail.outbox[0].body and link in html_of(mail.outbox[0])


def test_direct_notification_has_no_unsubscribe_link(bob):
    notify(
        kind="generic",
        recipients=[bob],
        context={"title": "Su pregunta fue respondida", "url": "/cuenta-publica/"},
    )
    notifications_send()
    message = mail.outbox[0]
    assert "List-Unsubscribe" not in message.extra_headers
    assert "http://127.0.0.1:8000/cuenta-publica/" in message.body


def test_button_url_is_reversed_in_the_recipient_language(alice):
    notify(kind="generic", recipients=[alice], context={"title": "COSOC", "url_name": "cosoc:index"})
    notifications_send()
    assert "http://127.0.0.1:8000/ht/cosoc/" in mail.outbox[0].body


def test_each_email_names_its_notification(bob):
    notify(kind="generic", recipients=[bob], context={"title": "Hola"})
    notifications_send()
    assert mail.outbox[0].extra_headers["X-SERMIG-Notification"] == str(Notification.objects.get().pk)
