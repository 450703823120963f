"""Who hears about what, through the engine's outbox (rows written in the caller's transaction).

The services call these (``response_submit``, ``consultation_phases_sweep``, ``response_draft_reminders_send``);
nothing here decides when.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from consultations.models import Consultation, Phase, Response
from engine.notifications import Mechanism, notification_context, notify
from participants.models import User


def _participants_of(consultation: Consultation):
    return User.objects.filter(
        participant__consultation_responses__consultation=consultation,
        participant__consultation_responses__status=Response.Status.SUBMITTED,
    ).distinct()


def response_submitted(*, response: Response) -> None:
    """The confirmation email of an online response (people without an account have no inbox with us)."""
    user_id = response.participant.user_id if response.participant_id else None
    if user_id is None:
        return
    notify(
        kind="generic",
        recipients=[user_id],
        context=notification_context(
            response.consultation,
            message=lambda: _("Recibimos sus respuestas. Gracias por participar."),
            url_name="consultations:detail",
            url_args=[response.consultation.slug],
        ),
    )


PHASE_MESSAGES: dict[str, Callable[[], str]] = {
    Phase.ANNOUNCED: lambda: _(
        "SERMIG anunció una nueva consulta ciudadana. Lea de qué se trata y cuándo abre."
    ),
    Phase.OPEN: lambda: _("La consulta está abierta. Su opinión cuenta: responda antes del cierre."),
    Phase.RESULTS: lambda: _("Ya están publicados los resultados de la consulta."),
    Phase.RESPONSE: lambda: _("SERMIG publicó su respuesta a la consulta y sus compromisos."),
}


def phase_changed(*, consultation: Consultation, phase: str) -> int:
    """Subscribers hear of announcement and opening; people who took part hear of results and response."""
    if phase not in PHASE_MESSAGES:
        return 0
    context = notification_context(
        consultation,
        message=PHASE_MESSAGES[phase],
        url_name="consultations:results" if phase == Phase.RESULTS else "consultations:detail",
        url_args=[consultation.slug],
    )
    if phase in (Phase.ANNOUNCED, Phase.OPEN):
        return notify(
            kind="generic",
            target=consultation,
            mechanism=Mechanism.CONSULTATIONS,
            topics=[consultation.topic] if consultation.topic_id else (),
            context=context,
        )
    return notify(
        kind="generic",
        recipients=_participants_of(consultation),
        target=consultation,
        mechanism=Mechanism.CONSULTATIONS,
        context=context,
    )


def draft_closing_soon(*, response: Response) -> int:
    """The author of an unfinished draft, shortly before the consultation closes."""
    return notify(
        kind="generic",
        recipients=[response.participant.user_id],
        context=notification_context(
            response.consultation,
            message=lambda: _(
                "Su respuesta está guardada como borrador y la consulta cierra pronto. Termine y envíela."
            ),
            url_name="consultations:resume",
            url_args=[response.consultation.slug],
        ),
    )
