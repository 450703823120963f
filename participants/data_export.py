"""Everything the portal holds about a person, for "My data" and its downloads (Law 21.719: access and
portability).

Each app adds its part with one call in its ``AppConfig.ready()`` (or ``hooks.py``), so participants never
imports a mechanism::

    from participants import data_export

    data_export.register(
        "consultations",
        _("Consultas"),
        build=lambda user, participant: [...],  # JSON for the portable download: this user's data only
        readable=lambda user, participant: [  # what the page and the PDF show, in words people read
            data_export.Group(_("Política migratoria"), [data_export.Item(_("Estado"), _("Enviada"))]),
        ],
    )

``build`` returns JSON-serialisable data (dates as ``isoformat()`` in Chile's time: ``data_export.iso``).
``readable`` returns groups of labelled items whose values are text, numbers, dates, booleans or lists; the
page writes dates in the reader's format and language. A section without ``readable`` is shown from its JSON
with its keys as labels: every app should give one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from allauth.socialaccount.providers import registry as provider_registry
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from participants import choices
from participants.forms import SENSITIVE_EXPLANATIONS
from participants.models import ATTRIBUTE_NAMES, Consent, Participant, User

Builder = Callable[[User, Participant | None], Any]


@dataclass(frozen=True)
class Item:
    """One labelled value. ``value``: text, a number, a date or datetime, a boolean, a list, or None."""

    label: str | Promise
    value: Any


@dataclass(frozen=True)
class Group:
    title: str | Promise
    items: list[Item] = field(default_factory=list)


Readable = Callable[[User, Participant | None], list[Group]]


@dataclass(frozen=True)
class _Registered:
    key: str
    label: str | Promise
    build: Builder
    readable: Readable | None


@dataclass(frozen=True)
class ReadableSection:
    key: str
    label: str | Promise
    groups: list[Group]


_sections: dict[str, _Registered] = {}


def register(key: str, label: str | Promise, build: Builder, readable: Readable | None = None) -> None:
    _sections[key] = _Registered(key, label, build, readable)


def unregister(key: str) -> None:
    _sections.pop(key, None)


def iso(moment: datetime | None) -> str | None:
    """A moment for the JSON download: ISO 8601 in Chile's time (TIME_ZONE), with its offset."""
    return timezone.localtime(moment).isoformat() if moment else None


# --- Profile and consents -----------------------------------------------------------------------------


def _attribute_value(participant: Participant, name: str) -> Any:
    """The attribute as people read it: the choice's label, the country's name, the languages' names."""
    value = getattr(participant, name)
    if name == "nationality":
        return countries.name(str(value)) if value else None
    if name == "languages":
        labels = dict(choices.Language.choices)
        return [labels.get(code, code) for code in value or []]
    display = getattr(participant, f"get_{name}_display", None)
    return display() if display and value else value


def _profile(user: User, participant: Participant | None) -> dict:
    data = {
        "email": user.email,
        "name": user.name,
        "preferred_language": user.preferred_language,
        "date_joined": iso(user.date_joined),
        "last_login": iso(user.last_login),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in user.emailaddress_set.all()
        ],
        "login_providers": [account.provider for account in user.socialaccount_set.all()],
    }
    if participant is not None:
        for name in ATTRIBUTE_NAMES:
            value = getattr(participant, name)
            data[name] = str(value) if name == "nationality" else value
    return data


def _address(address) -> str:
    notes = [_("confirmado") if address.verified else _("sin confirmar")]
    if address.primary:
        notes.append(_("principal"))
    return f"{address.email} ({', '.join(str(note) for note in notes)})"


def _provider_name(provider_id: str) -> str:
    provider_registry.load()
    provider = provider_registry.get_class(provider_id)
    return str(provider.name) if provider is not None else provider_id  # a provider removed since: its id


def _profile_readable(user: User, participant: Participant | None) -> list[Group]:
    account = Group(
        _("Su cuenta"),
        [
            Item(_("Correo electrónico"), user.email),
            Item(_("Nombre"), user.name),
            Item(_("Idioma de las páginas y los correos"), user.get_preferred_language_display()),
            Item(_("Cuenta creada el"), user.date_joined),
            Item(_("Último ingreso"), user.last_login),
            Item(_("Correos de la cuenta"), [_address(a) for a in user.emailaddress_set.all()]),
            Item(
                _("Ingresa también con"), [_provider_name(a.provider) for a in user.socialaccount_set.all()]
            ),
        ],
    )
    if participant is None:
        return [account]
    about = Group(
        _("Sobre usted"),
        [
            Item(Participant._meta.get_field(name).verbose_name, _attribute_value(participant, name))
            for name in ATTRIBUTE_NAMES
        ],
    )
    return [account, about]


def _consents(user: User, participant: Participant | None) -> list[dict]:
    if participant is None:
        return []
    return [
        {
            "attribute": consent.attribute,
            "text_version": consent.text_version,
            "given_at": iso(consent.given_at),
            "channel": consent.channel,
            "withdrawn_at": iso(consent.withdrawn_at),
        }
        for consent in participant.consents.order_by("given_at")
    ]


def _consent_text(consent: Consent) -> str:
    return "{} {}".format(
        _("Doy mi consentimiento para que SERMIG guarde esta respuesta."),
        SENSITIVE_EXPLANATIONS.get(consent.attribute, ""),
    ).strip()


def _consents_readable(user: User, participant: Participant | None) -> list[Group]:
    if participant is None:
        return []
    return [
        Group(
            consent.get_attribute_display(),
            [
                Item(_("Texto que aceptó"), _consent_text(consent)),
                Item(_("Versión del texto"), consent.text_version),
                Item(_("Fecha"), consent.given_at),
                Item(_("Cómo lo dio"), consent.get_channel_display()),
                Item(_("Estado"), _("Vigente") if consent.is_active else _("Retirado")),
                Item(_("Retirado el"), consent.withdrawn_at),
            ],
        )
        for consent in participant.consents.order_by("given_at")
    ]


register("profile", _("Perfil"), _profile, _profile_readable)
register("consents", _("Consentimientos"), _consents, _consents_readable)


# --- Reading every section ------------------------------------------------------------------------------


def _participant(user: User) -> Participant | None:
    return Participant.objects.filter(user=user).prefetch_related("consents").first()


def user_data(user: User) -> dict:
    """The portable copy: every section's JSON."""
    participant = _participant(user)
    return {
        section.key: {"label": str(section.label), "data": section.build(user, participant)}
        for section in _sections.values()
    }


def _humanised(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _groups_from_json(label: str | Promise, data: Any) -> list[Group]:
    """For a section registered without ``readable``: its JSON, keys as labels."""
    if not data:
        return []
    if isinstance(data, dict):
        return [Group(label, [Item(_humanised(str(k)), v) for k, v in data.items()])]
    if isinstance(data, Iterable) and not isinstance(data, str):
        rows = list(data)
        if all(isinstance(row, dict) for row in rows):
            return [Group("", [Item(_humanised(str(k)), v) for k, v in row.items()]) for row in rows]
        return [Group(label, [Item(label, rows)])]
    return [Group(label, [Item(label, data)])]


def readable_user_data(user: User) -> list[ReadableSection]:
    """What the page and the PDF show: labelled, translated values in the active language."""
    participant = _participant(user)
    sections = []
    for section in _sections.values():
        if section.readable is not None:
            groups = section.readable(user, participant)
        else:
            groups = _groups_from_json(section.label, section.build(user, participant))
        sections.append(ReadableSection(section.key, section.label, groups))
    return sections
