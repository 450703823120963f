"""Who hears about what in the registry: the organisation's representatives, each in their own language
(the outbox renders every email in its recipient's language at send time)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from engine.notifications import notification_context, notify
from participants.models import Organization, User


def representatives_of(organization: Organization):
    return User.objects.filter(organization_roles__organization=organization, is_active=True)


def _tell(organization: Organization, message: Callable[[], str]) -> int:
    return notify(
        kind="generic",
        recipients=representatives_of(organization),
        context=notification_context(
            organization, title_field="legal_name", url_name="organizations:dashboard", message=message
        ),
    )


def application_received(*, organization: Organization) -> int:
    return _tell(
        organization,
        lambda: _(
            "Recibimos la postulación de su organización al Registro de Organizaciones. "
            "El equipo de SERMIG la revisará y le avisará por este medio."
        ),
    )


def accredited(*, organization: Organization) -> int:
    return _tell(
        organization,
        lambda: _(
            "Su organización quedó acreditada en el Registro de Organizaciones. "
            "Ya aparece en la lista pública y puede participar en la elección del COSOC de su categoría."
        ),
    )


def changes_requested(*, organization: Organization, reason: str) -> int:
    return _tell(
        organization,
        lambda: (
            _(
                "El equipo de SERMIG pide cambios en la postulación de su organización: %(reason)s "
                "Corrija los datos en su panel y envíela de nuevo."
            )
            % {"reason": reason}
        ),
    )


def rejected(*, organization: Organization, reason: str) -> int:
    return _tell(
        organization,
        lambda: _("La postulación de su organización fue rechazada. Motivo: %(reason)s") % {"reason": reason},
    )


def change_decided(*, organization: Organization, approved: bool, reason: str = "") -> int:
    if approved:
        return _tell(
            organization,
            lambda: _("El equipo de SERMIG aprobó el cambio de nombre o de categoría de su organización."),
        )
    return _tell(
        organization,
        lambda: (
            _(
                "El equipo de SERMIG no aprobó el cambio de nombre o de categoría de su organización. "
                "Motivo: %(reason)s"
            )
            % {"reason": reason}
        ),
    )
