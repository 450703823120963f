"""The four mechanisms of Law 20.500: the header, the home page, subscriptions, digests, search filters and the
sitemap all read ``MECHANISMS``. ``Mechanism`` (the field choices of subscriptions and notifications) names the
four once; each entry of ``MECHANISMS`` adds what the portal shows of it, and a test keeps the two in step.

A mechanism app does not add itself here: the four are fixed by law. When an app lands it points its entry's
``url_name`` at its own index page (the placeholder ``mechanism_page`` serves the others).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Mechanism(models.TextChoices):
    INFORMATION = "information", _("Información relevante")
    COSOC = "cosoc", _("Consejo de la Sociedad Civil (COSOC)")
    PUBLIC_ACCOUNT = "public_account", _("Cuenta pública participativa")
    CONSULTATIONS = "consultations", _("Consultas ciudadanas")


@dataclass(frozen=True)
class MechanismInfo:
    mechanism: Mechanism
    url_name: str
    article: str | Promise
    summary: str | Promise

    @property
    def code(self) -> str:
        return self.mechanism.value

    @property
    def title(self) -> str | Promise:
        return self.mechanism.label


MECHANISMS: tuple[MechanismInfo, ...] = (
    MechanismInfo(
        Mechanism.INFORMATION,
        url_name="transparency:index",
        article=_("Ley 20.500, artículo 71"),
        summary=_(
            "SERMIG publica sus políticas, planes, programas, acciones y presupuestos. "
            "La información debe ser oportuna, completa y fácil de encontrar."
        ),
    ),
    MechanismInfo(
        Mechanism.COSOC,
        url_name="cosoc:index",
        article=_("Ley 20.500, artículo 74"),
        summary=_(
            "Un consejo autónomo de organizaciones de la sociedad civil. Analiza la política migratoria "
            "con SERMIG y da su opinión sobre las principales decisiones."
        ),
    ),
    MechanismInfo(
        Mechanism.PUBLIC_ACCOUNT,
        url_name="public-account",
        article=_("Ley 20.500, artículo 72"),
        summary=_(
            "Una vez al año SERMIG informa lo que hizo y cómo usó su presupuesto. "
            "Usted puede hacer preguntas, y cada pregunta recibe una respuesta pública."
        ),
    ),
    MechanismInfo(
        Mechanism.CONSULTATIONS,
        url_name="consultations:index",
        article=_("Ley 20.500, artículo 73"),
        summary=_(
            "SERMIG pide su opinión sobre temas de interés público: en línea, en diálogos "
            "presenciales o de ambas formas. Se publican los resultados y la respuesta de SERMIG."
        ),
    ),
)

_BY_CODE = {info.code: info for info in MECHANISMS}


def get(code: str) -> MechanismInfo:
    """The mechanism with this code; KeyError for anything else."""
    return _BY_CODE[code]
