"""Notifications: what mechanism apps call to tell people about something.

A mechanism's ``notifications.py`` says who hears about what; its services call it in the same transaction as
the event. Example, a new COSOC session minute (``cosoc/notifications.py``)::

    from django.utils.translation import gettext as _

    from engine.notifications import Mechanism, notification_context, notify


    def minutes_published(*, session: Session) -> int:
        return notify(
            kind="generic",                  # templates/emails/generic_{subject.txt,body.txt,body.html}
            target=session,                  # its followers ...
            mechanism=Mechanism.COSOC,       # ... the mechanism's followers, and the digest heading
            topics=session.topics.all(),     # ... and the followers of these topics; each person once
            context=notification_context(
                session,                     # its translated "title" field, in every language
                message=lambda: _("Ya está publicada el acta de la sesión."),
                url_name="cosoc:session",    # the button, reversed in the reader's language at send time
                url_args=[session.pk],
            ),
        )

- ``notify(kind=…, context=…, recipients=…, target=…, mechanism=…, topics=…, exclude=…)`` writes one outbox
  row per person in the caller's transaction and sends after commit (``services.notify`` says who gets it).
  ``recipients=[user]`` reaches a person directly (e.g. the author of an answered question).
- The context is plain JSON, written before anyone knows who reads it: text goes in every language.
  ``notification_context(obj, url_name=…, url_args=…, message=…)`` builds the ``generic`` kind's context;
  ``in_every_language(lambda: _("…"))`` and ``translated_field(obj, "title")`` make any other
  ``{"es": …, "ht": …, "en": …}`` value, shown by ``{{ value|localized }}`` in an email template.
- ``subscription_set(user=…, target=…, frequency=…)`` follows a mechanism, a Topic or any saved object.
- An email to an address rather than to a follower (a one-time link): ``engine.emails.direct_email_send``.
"""

from engine.models import Frequency, Mechanism
from engine.notifications.content import in_every_language, notification_context, translated_field
from engine.notifications.services import (
    notify,
    subscription_set,
    subscription_unsubscribe,
)
from engine.notifications.tokens import unsubscribe_token, unsubscribe_url

__all__ = [
    "Frequency",
    "Mechanism",
    "in_every_language",
    "notification_context",
    "notify",
    "subscription_set",
    "subscription_unsubscribe",
    "translated_field",
    "unsubscribe_token",
    "unsubscribe_url",
]
