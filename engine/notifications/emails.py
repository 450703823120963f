"""Render one notification as an email (text + HTML) in its recipient's language.

Templates live in ``templates/emails/<kind>_subject.txt``, ``<kind>_body.txt`` and ``<kind>_body.html`` and
usually extend ``emails/base_body.*``. They receive the notification's JSON ``context`` plus ``recipient``,
``language``, ``action_url`` (from ``url`` or ``url_name``/``url_args`` in the context, made absolute in the
recipient's language), ``unsubscribe_url`` and, for digests, ``groups``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from engine.emails import email_message, email_render, email_subject
from engine.models import Mechanism, Notification
from engine.notifications.tokens import absolute_url, unsubscribe_token, unsubscribe_url


@dataclass(frozen=True)
class DigestEntry:
    subject: str
    url: str
    context: dict


@dataclass(frozen=True)
class DigestGroup:
    mechanism: str
    title: str | Promise
    entries: list[DigestEntry]


def action_url(context: dict) -> str:
    """Where the email's button leads, in the active language."""
    if context.get("url_name"):
        try:
            path = reverse(context["url_name"], args=context.get("url_args") or ())
        except NoReverseMatch:
            return absolute_url("/")
        return absolute_url(path)
    url = context.get("url") or ""
    if url.startswith("/"):
        return absolute_url(url)
    return url if url.startswith(("https://", "http://")) else ""


def _unsubscribe_link(notification: Notification) -> str:
    if notification.kind == Notification.DIGEST_KIND:
        return unsubscribe_url(unsubscribe_token(weekly_of_user_id=notification.recipient_id))
    if notification.subscription_id:
        return unsubscribe_url(unsubscribe_token(subscription_id=notification.subscription_id))
    return ""


def digest_groups(items: Sequence[Notification], base_context: dict) -> list[DigestGroup]:
    """Items under their mechanism's heading, mechanisms in the portal's order, the rest last."""
    order = [*Mechanism.values, ""]
    labels = {**dict(Mechanism.choices), "": _("Otros avisos")}
    groups = []
    for mechanism in order:
        entries = [
            DigestEntry(
                subject=email_subject(item.kind, {**base_context, **item.context}),
                url=action_url(item.context),
                context=item.context,
            )
            for item in items
            if (item.mechanism or "") == mechanism
        ]
        if entries:
            groups.append(DigestGroup(mechanism=mechanism, title=labels[mechanism], entries=entries))
    return groups


def build_message(
    notification: Notification, *, digest_items: Sequence[Notification] = ()
) -> EmailMultiAlternatives:
    recipient = notification.recipient
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    # Links and digest headings are made in the recipient's language too, not only the templates.
    with translation.override(language):
        base = {
            "recipient": recipient,
            "language": language,
            "site_url": settings.ENGINE_SITE_URL.rstrip("/"),
            "LANGUAGE_CODE": language,
        }
        unsubscribe = _unsubscribe_link(notification)
        context = {
            **notification.context,
            **base,
            "notification": notification,
            "action_url": action_url(notification.context),
            "unsubscribe_url": unsubscribe,
            "groups": digest_groups(digest_items, base) if digest_items else [],
        }
    headers = {"X-SERMIG-Notification": str(notification.pk)}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" to the link, without a browser.
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    rendered = email_render(notification.kind, language=language, context=context)
    return email_message(rendered, to=recipient.email, language=language, headers=headers)
