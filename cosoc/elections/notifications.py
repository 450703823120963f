"""Who hears about an election: the representatives of the organisations concerned, each in their language.
Before the roll is frozen that is every accredited organisation; afterwards, the organisations on the roll."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from cosoc.elections.models import Candidacy, Election, Phase
from engine.notifications import notification_context, notify
from participants.choices import OrganizationStatus
from participants.models import User

PHASE_MESSAGES: dict[str, Callable[[], str]] = {
    Phase.REGISTRATION: lambda: _(
        "Empezó la elección del COSOC. Las organizaciones que quieran votar deben estar acreditadas en el "
        "Registro de Organizaciones antes del corte."
    ),
    Phase.ACCREDITATION: lambda: _("Cerró la inscripción: SERMIG está acreditando a las organizaciones."),
    Phase.ROLL_PUBLISHED: lambda: _(
        "Está publicado el padrón de organizaciones que votan, cada una en su categoría. Revise si su "
        "organización está en él."
    ),
    Phase.CANDIDACIES: lambda: _(
        "Abrió la presentación de candidaturas: su organización puede proponer personas en su categoría."
    ),
    Phase.CANDIDATES_PUBLISHED: lambda: _("Están publicadas las candidaturas confirmadas de cada categoría."),
    Phase.VOTING: lambda: _(
        "Abrió la votación del COSOC. Su organización tiene un voto en su categoría; puede emitirlo "
        "cualquiera de sus representantes."
    ),
    Phase.COUNTING: lambda: _("Cerró la votación. SERMIG está contando los votos."),
    Phase.RESULTS: lambda: _(
        "Están publicados los resultados de la elección del COSOC, con la participación."
    ),
}


def _audience(election: Election):
    if election.roll_frozen_at is not None:
        return User.objects.filter(
            is_active=True, organization_roles__organization__election_roll__election=election
        ).distinct()
    return User.objects.filter(
        is_active=True, organization_roles__organization__status=OrganizationStatus.ACCREDITED
    ).distinct()


def phase_changed(*, election: Election) -> int:
    message = PHASE_MESSAGES.get(election.phase)
    if message is None:
        return 0
    url_name = "cosoc:elections:results" if election.phase == Phase.RESULTS else "cosoc:elections:detail"
    return notify(
        kind="generic",
        recipients=_audience(election),
        context=notification_context(election, url_name=url_name, url_args=[election.pk], message=message),
    )


def candidacy_decided(*, candidacy: Candidacy) -> int:
    def message() -> str:
        if candidacy.status == "confirmed":
            return _("La candidatura de %(name)s quedó confirmada.") % {"name": candidacy.name}
        return _("La candidatura de %(name)s fue rechazada. Motivo: %(reason)s") % {
            "name": candidacy.name,
            "reason": candidacy.refusal_reason,
        }

    return notify(
        kind="generic",
        recipients=User.objects.filter(
            is_active=True, organization_roles__organization=candidacy.organization
        ),
        context=notification_context(
            candidacy.election,
            url_name="cosoc:elections:detail",
            url_args=[candidacy.election_id],
            message=message,
        ),
    )
