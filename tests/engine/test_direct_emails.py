"""engine.emails.direct_email_send: an email to an address, sent at once, in the language it is given."""

import pytest
from django.core import mail
from django.template import TemplateDoesNotExist
from django.utils import translation

from engine.emails import direct_email_send

pytestmark = pytest.mark.django_db


def html_of(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def send(language: str, name: str = "Jean") -> None:
    direct_email_send(
        template="account_deleted",
        to="jean@example.org",
        language=language,
        context={"recipient": {"name": name}},
    )


def test_rendered_in_the_given_language_whatever_the_active_one():
    with translation.override("es"):
        send("ht")
        assert translation.get_language() == "es"
    [message] = mail.outbox
    with translation.override("ht"):
        subject = translation.gettext("Su cuenta fue eliminada")
        greeting = translation.gettext("Hola, %(name)s:") % {"name": "Jean"}
    assert subject != "Su cuenta fue eliminada"  # Kreyòl really is different
    assert message.subject == f"[SERMIG] {subject}"
    assert greeting in message.body
    assert '<html lang="ht">' in html_of(message)
    assert message.extra_headers["Content-Language"] == "ht"


def test_text_and_html_parts_one_address_automatic_headers():
    send("en", name="<b>Jean</b>")
    [message] = mail.outbox
    assert message.to == ["jean@example.org"]
    assert "\n" not in message.subject
    assert "<b>Jean</b>" in message.body  # plain text is not escaped
    assert "&lt;b&gt;Jean&lt;/b&gt;" in html_of(message)  # the HTML part is
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "List-Unsubscribe" not in message.extra_headers  # nothing to unsubscribe from


def test_an_unknown_template_fails_in_the_caller_and_sends_nothing():
    with pytest.raises(TemplateDoesNotExist, match="no_such_email"):
        direct_email_send(template="no_such_email", to="jean@example.org", language="es", context={})
    assert mail.outbox == []
