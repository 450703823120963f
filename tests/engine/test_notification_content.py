"""engine.notifications' content helpers: texts written once at the event, in every language, so each
email is later rendered in its reader's."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.models import Mechanism, Topic
from engine.notifications import in_every_language, notification_context, notify, translated_field
from engine.notifications.services import notifications_send

pytestmark = pytest.mark.django_db

THANKS = {
    "es": "Recibimos sus respuestas. Gracias por participar.",
    "ht": "Nou resevwa repons ou yo. Mèsi paske ou patisipe.",
    "en": "We have received your answers. Thank you for taking part.",
}


@pytest.fixture
def topic():
    return Topic.objects.create(slug="salud", name_es="Salud", name_ht="Sante", name_en="")


def test_in_every_language_renders_the_message_once_per_language():
    assert in_every_language(lambda: _("Recibimos sus respuestas. Gracias por participar.")) == THANKS


def test_in_every_language_takes_a_lazy_string_too_and_leaves_the_active_language_alone():
    with translation.override("en"):
        texts = in_every_language(gettext_lazy("Consultas ciudadanas"))
        assert translation.get_language() == "en"
    assert texts == {
        "es": "Consultas ciudadanas",
        "ht": "Konsiltasyon sitwayen",
        "en": "Citizen consultations",
    }


def test_translated_field_falls_back_to_spanish_where_a_translation_is_empty(topic):
    assert translated_field(topic, "name") == {"es": "Salud", "ht": "Sante", "en": "Salud"}


def thanks_about(topic: Topic) -> dict:
    return notification_context(
        topic,
        title_field="name",
        message=lambda: _("Recibimos sus respuestas. Gracias por participar."),
        url_name="consultations:detail",
        url_args=["una-consulta"],
    )


def test_notification_context_is_plain_json_with_title_message_and_link(topic):
    assert thanks_about(topic) == {
        "title": {"es": "Salud", "ht": "Sante", "en": "Salud"},
        "message": THANKS,
        "url_name": "consultations:detail",
        "url_args": ["una-consulta"],
    }
    assert "message" not in notification_context(topic, title_field="name", url_name="home")


def test_each_reader_gets_the_context_in_their_own_language(topic, alice, bob):
    # Alice reads Kreyòl, Bob Spanish; the context was written once, in Spanish, by the event.
    notify(
        kind="generic",
        recipients=[alice, bob],
        mechanism=Mechanism.CONSULTATIONS,
        context=thanks_about(topic),
    )
    notifications_send()
    by_recipient = {message.to[0]: message for message in mail.outbox}
    kreyol, spanish = by_recipient[alice.email], by_recipient[bob.email]
    assert kreyol.subject == "Sante" and spanish.subject == "Salud"
    assert THANKS["ht"] in kreyol.body and THANKS["es"] in spanish.body
    assert "http://127.0.0.1:8000/ht/consultas/una-consulta/" in kreyol.body
    assert "http://127.0.0.1:8000/consultas/una-consulta/" in spanish.body
