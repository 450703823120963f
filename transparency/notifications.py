"""Who hears about the register: followers of the publication's type, of any of its topics and of the
relevant-information mechanism, once each, when a publication comes out or changes substantially.

Each email says which of these the person follows (the subscription's label) and carries its one-click
unsubscribe link (engine.notifications). The services call these in their transaction; nothing here decides
when.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from engine.notifications import Mechanism, notification_context, notify
from transparency import permissions
from transparency.models import Publication, PublicationKind


def _notify(publication: Publication, message) -> int:
    # An email is a public surface for each reader: only what anyone may read is announced.
    if not permissions.may_view(permissions.ANONYMOUS, publication):
        return 0
    return notify(
        kind="generic",
        target=PublicationKind.objects.filter(type=publication.type).first(),
        mechanism=Mechanism.INFORMATION,
        topics=publication.topics.all(),
        context=notification_context(
            publication, message=message, url_name="transparency:detail", url_args=[publication.slug]
        ),
    )


def publication_published(*, publication: Publication) -> int:
    return _notify(
        publication, lambda: _("SERMIG publicó información nueva. Lea el resumen en lenguaje claro.")
    )


def publication_updated(*, publication: Publication) -> int:
    return _notify(
        publication,
        lambda: _("SERMIG actualizó esta publicación. La versión anterior sigue disponible en su historial."),
    )
