"""Who hears about what, through the engine's outbox (rows written in the caller's transaction).

Two audiences, never mixed: **members** (and the executive secretary) hear about the review area with a link to
it; **followers** (of the COSOC, of a session) hear only about public things with a link to the public page.
Each email carries the session's public title and a fixed message, never members-only content. The services call
these; nothing here decides when.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from cosoc import permissions
from cosoc.models import Agreement, Membership, Minutes, Session
from engine.notifications import Mechanism, notification_context, notify
from participants.models import User


def reviewers(session: Session) -> list[User]:
    """The people who may enter the session's review area (asked of the same predicate the page asks)."""
    members = [
        m.user
        for m in Membership.objects.active().filter(term_id=session.term_id).select_related("user", "term")
    ]
    return [user for user in members if permissions.may_review(user, session)]


def agenda_published(*, session: Session) -> int:
    members = reviewers(session)
    written = notify(
        kind="generic",
        recipients=members,
        context=notification_context(
            session,
            message=lambda: _(
                "Se publicó la tabla de la sesión. Lea los puntos y documentos y deje sus observaciones "
                "antes de la sesión."
            ),
            url_name="cosoc:review",
            url_args=[session.pk],
        ),
    )
    return written + notify(
        kind="generic",
        target=session,
        mechanism=Mechanism.COSOC,
        exclude=members,
        context=notification_context(
            session,
            message=lambda: _("El COSOC publicó la tabla de su próxima sesión."),
            url_name="cosoc:session",
            url_args=[session.pk],
        ),
    )


def minutes_shared(*, minutes: Minutes) -> int:
    return notify(
        kind="generic",
        recipients=reviewers(minutes.session),
        context=notification_context(
            minutes.session,
            message=lambda: _("El borrador del acta está listo. Puede comentarlo en el área de revisión."),
            url_name="cosoc:review",
            url_args=[minutes.session_id],
        ),
    )


def minutes_approved(*, minutes: Minutes, correction: bool = False) -> int:
    return notify(
        kind="generic",
        target=minutes.session,
        mechanism=Mechanism.COSOC,
        context=notification_context(
            minutes.session,
            message=(lambda: _("Se publicó una corrección del acta de la sesión."))
            if correction
            else (lambda: _("Ya está publicada el acta aprobada de la sesión, con sus acuerdos.")),
            url_name="cosoc:minutes",
            url_args=[minutes.session_id],
        ),
    )


def agreement_updated(*, agreement: Agreement) -> int:
    """Followers of the session hear about its public agreements' progress (nothing before they are public)."""
    if not permissions.may_view_agreement(permissions.ANONYMOUS, agreement):
        return 0
    return notify(
        kind="generic",
        target=agreement.session,
        context=notification_context(
            agreement.session,
            message=lambda: _("Hay novedades en el seguimiento de un acuerdo de esta sesión."),
            url_name="cosoc:agreements",
        ),
    )
