"""Emails rendered from ``templates/emails/<template>_{subject.txt,body.txt,body.html}`` in one language.

Two ways out: the notification outbox (``engine.notifications.notify``, for people, sent after commit, with
retries and unsubscribe links) and ``direct_email_send`` below, for an email to an address that cannot wait
or has no user behind it: a one-time link, the goodbye after an account is deleted::

    from engine.emails import direct_email_send

    direct_email_send(
        template="account_deleted",  # emails/account_deleted_subject.txt, _body.txt, _body.html
        to=user.email,
        language=user.preferred_language,
        context={"recipient": {"name": user.name}},
    )

Templates extend ``emails/base_body.*`` and receive the context plus ``language``, ``LANGUAGE_CODE`` and
``site_url``; ``recipient.name`` greets the reader by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

TEMPLATE_PARTS = ("subject.txt", "body.txt", "body.html")


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def email_subject(template: str, context: Mapping) -> str:
    """One line: a newline in a header is refused by Django (and would be header injection anyway)."""
    return " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())


def email_render(template: str, *, language: str, context: Mapping) -> RenderedEmail:
    """Subject, text and HTML of ``template`` in ``language``, whatever the active language."""
    with translation.override(language):
        context = {
            "site_url": settings.ENGINE_SITE_URL.rstrip("/"),
            **context,
            "language": language,
            "LANGUAGE_CODE": language,
        }
        return RenderedEmail(
            subject=email_subject(template, context),
            text=render_to_string(f"emails/{template}_body.txt", context),
            html=render_to_string(f"emails/{template}_body.html", context),
        )


def email_message(
    rendered: RenderedEmail, *, to: str, language: str, headers: Mapping[str, str] | None = None
) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        # RFC 3834: automatic replies (holiday messages) must not answer a machine.
        headers={"Content-Language": language, "Auto-Submitted": "auto-generated", **(headers or {})},
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


def direct_email_send(*, template: str, to: str, language: str, context: Mapping) -> EmailMultiAlternatives:
    """Render ``template`` in ``language`` (text + HTML) and send it to ``to`` now; returns the message.

    For people who follow something, or anything that may wait for a worker, use ``notify`` instead: it
    survives a mail server that is down.
    """
    message = email_message(
        email_render(template, language=language, context=context), to=to, language=language
    )
    message.send()
    return message
