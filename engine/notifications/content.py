"""Notification text in every language, written when the event happens, before anyone knows who reads it.

A notification's context is JSON kept in the outbox; each email is rendered later in its recipient's language
and picks its text with the ``|localized`` filter (``engine/templatetags/engine_emails.py``). So texts travel
as ``{"es": …, "ht": …, "en": …}``; these helpers make them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.functional import Promise

Text = Callable[[], str] | Promise
Localized = dict[str, str]


def in_every_language(text: Text) -> Localized:
    """``text`` rendered in each of ``settings.LANGUAGES``: ``in_every_language(lambda: _("…"))`` with
    ``gettext``, or a ``gettext_lazy`` string."""
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(text if isinstance(text, Promise) else text())
    return texts


def translated_field(obj: models.Model, field: str) -> Localized:
    """A modeltranslation field in each language, with its fallback (Spanish) where a translation is empty."""
    return in_every_language(lambda: getattr(obj, field) or "")


def notification_context(
    obj: models.Model,
    *,
    url_name: str,
    url_args: Sequence[str | int] = (),
    message: Text | None = None,
    title_field: str = "title",
) -> dict:
    """The context of a ``generic`` notification about ``obj``: its title and ``message`` in every language,
    and a link made in the reader's language at send time (``reverse(url_name, args=url_args)``)."""
    context: dict = {
        "title": translated_field(obj, title_field),
        "url_name": url_name,
        "url_args": list(url_args),
    }
    if message is not None:
        context["message"] = in_every_language(message)
    return context
