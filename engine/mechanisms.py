"""The four mechanisms of Law 20.500: the one list the header, the home page, subscriptions, digests, search
filters and the sitemap read. ``Mechanism`` (the model field choices) is made from it.

A mechanism app does not add itself here: the four are fixed by law. When an app lands it points its entry's
``url_name`` at its own index page (the placeholder ``mechanism_page`` serves the others).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MechanismInfo:
    code: str
    title: str | Promise
    url_name: str
    article: str | Promise
    summary: str | Promise


MECHANISMS: tuple[MechanismInfo, ...] = (
    MechanismInfo(
        code="information",
        title=_("Información relevante"),
        url_name="information",
        article=_("Ley 20.500, artículo 71"),
        summary=_(
            "SERMIG publica sus políticas, planes, programas, acciones y presupuestos. "
            "La información debe ser oportuna, completa y fácil de encontrar."
        ),
    ),
    MechanismInfo(
        code="cosoc",
        title=_("Consejo de la Sociedad Civil (COSOC)"),
        url_name="cosoc",
        article=_("Ley 20.500, artículo 74"),
        summary=_(
            "Un consejo autónomo de organizaciones de la sociedad civil. Analiza la política migratoria "
            "con SERMIG y da su opinión sobre las principales decisiones."
        ),
    ),
    MechanismInfo(
        code="public_account",
        title=_("Cuenta pública participativa"),
        url_name="public-account",
        article=_("Ley 20.500, artículo 72"),
        summary=_(
            "Una vez al año SERMIG informa lo que hizo y cómo usó su presupuesto. "
            "Usted puede hacer preguntas, y cada pregunta recibe una respuesta pública."
        ),
    ),
    MechanismInfo(
        code="consultations",
        title=_("Consultas ciudadanas"),
        url_name="consultations:index",
        article=_("Ley 20.500, artículo 73"),
        summary=_(
            "SERMIG pide su opinión sobre temas de interés público: en línea, en diálogos "
            "presenciales o de ambas formas. Se publican los resultados y la respuesta de SERMIG."
        ),
    ),
)

_BY_CODE = {mechanism.code: mechanism for mechanism in MECHANISMS}

# Stored in subscriptions and notifications; the values are the codes above.
Mechanism = models.TextChoices(  # type: ignore[misc]  (the functional API keeps one list)
    "Mechanism", [(m.code.upper(), (m.code, m.title)) for m in MECHANISMS]
)


def get(code: str) -> MechanismInfo:
    """The mechanism with this code; KeyError for anything else."""
    return _BY_CODE[code]
