"""Who hears about what, through the engine's outbox (rows written in the caller's transaction)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from consultations.models import Consultation, Phase, Response
from engine.notifications import Mechanism, notify
from participants.models import User


def _in_every_language(render: Callable[[], str]) -> dict[str, str]:
    """Content for an email written before anyone knows who reads it: every language travels along."""
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(render())
    return texts


def _title(consultation: Consultation) -> dict[str, str]:
    return {
        code: getattr(consultation, f"title_{code}") or consultation.title_es
        for code, _n in settings.LANGUAGES
    }


def _context(
    consultation: Consultation, message: Callable[[], str], url_name: str = "consultations:detail"
) -> dict:
    return {
        "title": _title(consultation),
        "message": _in_every_language(message),
        "url_name": url_name,
        "url_args": [consultation.slug],
    }


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
        context=_context(
            response.consultation, lambda: _("Recibimos sus respuestas. Gracias por participar.")
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
    url_name = "consultations:results" if phase == Phase.RESULTS else "consultations:detail"
    context = _context(consultation, PHASE_MESSAGES[phase], url_name)
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


def phases_sweep(*, now=None) -> int:
    """Beat task body: consultations open and close by their dates; notify each phase once."""
    now = now or timezone.now()
    sent = 0
    for consultation in Consultation.objects.published().select_related("topic"):
        phase = consultation.phase_at(now)
        if phase == consultation.last_notified_phase or phase in (Phase.DRAFT, Phase.CLOSED):
            continue
        with transaction.atomic():
            locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
            if locked.last_notified_phase == phase:
                continue
            sent += phase_changed(consultation=locked, phase=phase)
            locked.last_notified_phase = phase
            locked.save(update_fields=["last_notified_phase"])
    return sent


def draft_reminders(*, within_hours: int = 48) -> int:
    """People with an unfinished draft, two days before closing; each draft reminded once."""
    from consultations.selectors import drafts_closing_soon

    sent = 0
    for response in drafts_closing_soon(within_hours=within_hours):
        with transaction.atomic():
            updated = Response.objects.filter(pk=response.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not updated:
                continue
            sent += notify(
                kind="generic",
                recipients=[response.participant.user],
                context=_context(
                    response.consultation,
                    lambda: _(
                        "Su respuesta está guardada como borrador y la consulta cierra pronto. Termine y envíela."
                    ),
                    url_name="consultations:detail",
                ),
            )
    return sent
