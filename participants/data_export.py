"""Everything the portal holds about a person, for "My data" and its download.

Each mechanism app adds its part with one call in its ``AppConfig.ready()``::

    from participants.data_export import register
    register("consultations", _("Consultas"), lambda user, participant: [...])

so participants never imports a mechanism. A section returns JSON-serialisable data about this user only.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from participants.models import SENSITIVE_ATTRIBUTES, Participant, User

Section = Callable[[User, Participant | None], Any]


@dataclass(frozen=True)
class _Registered:
    key: str
    label: str | Promise
    build: Section


_sections: dict[str, _Registered] = {}


def register(key: str, label: str | Promise, build: Section) -> None:
    _sections[key] = _Registered(key, label, build)


def unregister(key: str) -> None:
    _sections.pop(key, None)


def _profile(user: User, participant: Participant | None) -> dict:
    data = {
        "email": user.email,
        "name": user.name,
        "preferred_language": user.preferred_language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in user.emailaddress_set.all()
        ],
        "login_providers": [account.provider for account in user.socialaccount_set.all()],
    }
    if participant is not None:
        for field in (
            "birth_year",
            "age_band",
            "nationality",
            "region",
            "commune",
            "languages",
            *SENSITIVE_ATTRIBUTES,
        ):
            value = getattr(participant, field)
            data[field] = str(value) if field == "nationality" else value
    return data


def _consents(user: User, participant: Participant | None) -> list[dict]:
    if participant is None:
        return []
    return [
        {
            "attribute": consent.attribute,
            "text_version": consent.text_version,
            "given_at": consent.given_at.isoformat(),
            "channel": consent.channel,
            "withdrawn_at": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
        }
        for consent in participant.consents.order_by("given_at")
    ]


register("profile", _("Perfil"), _profile)
register("consents", _("Consentimientos"), _consents)


def user_data(user: User) -> dict:
    participant = Participant.objects.filter(user=user).prefetch_related("consents").first()
    return {
        section.key: {"label": str(section.label), "data": section.build(user, participant)}
        for section in _sections.values()
    }
