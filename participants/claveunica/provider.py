"""ClaveÚnica, the Chilean State's OpenID Connect login, as an allauth provider.

Differences from plain OpenID Connect that matter here: the person is identified by their RUN
(``RolUnico.numero`` + ``DV``), never by ``sub``; names come as lists under ``name``; no email is given.
"""

from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider

from participants.claveunica.views import ClaveUnicaOAuth2Adapter


def run_from_userinfo(data: dict) -> str:
    rol = (data.get("userinfo") or data).get("RolUnico") or {}
    numero, dv = rol.get("numero"), rol.get("DV")
    if not numero or dv in (None, ""):
        # allauth turns this into its "login failed" page instead of a server error.
        raise OAuth2Error("ClaveÚnica answered without RolUnico.numero and DV")
    return f"{int(numero)}-{str(dv).upper()}"


def names_from_userinfo(data: dict) -> tuple[str, str]:
    name = (data.get("userinfo") or data).get("name") or {}
    return " ".join(name.get("nombres") or []), " ".join(name.get("apellidos") or [])


class ClaveUnicaAccount(ProviderAccount):
    def to_str(self) -> str:
        first, last = names_from_userinfo(self.account.extra_data)
        return f"{first} {last}".strip() or super().to_str()


class ClaveUnicaProvider(OpenIDConnectProvider):
    id = "claveunica"
    name = "ClaveÚnica"
    account_class = ClaveUnicaAccount
    oauth2_adapter_class = ClaveUnicaOAuth2Adapter

    def get_default_scope(self) -> list[str]:
        return ["openid", "run", "name"]

    def extract_uid(self, data: dict) -> str:
        return run_from_userinfo(data)

    def extract_common_fields(self, data: dict) -> dict:
        first, last = names_from_userinfo(data)
        return {"first_name": first, "last_name": last, "name": f"{first} {last}".strip()}

    def extract_email_addresses(self, data: dict) -> list:
        # ClaveÚnica gives no email: the person confirms one at sign-up, like everybody else.
        return []


provider_classes = [ClaveUnicaProvider]
