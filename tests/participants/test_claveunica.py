"""ClaveÚnica through allauth's OpenID Connect support, against a fake provider (no network)."""

import json
from urllib.parse import parse_qs, urlparse

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core import mail

from participants.adapters import SocialAccountAdapter
from participants.models import User

pytestmark = pytest.mark.django_db
SERVER = "https://accounts.claveunica.gob.cl/openid"


def userinfo(sub: str = "2594", numero: int = 44444444, dv: str = "4") -> dict:
    return {
        "sub": sub,
        "RolUnico": {"numero": numero, "DV": dv, "tipo": "RUN"},
        "name": {"nombres": ["María", "Carmen"], "apellidos": ["Del Río", "González"]},
    }


class FakeResponse:
    def __init__(self, payload: dict, status: int = 200) -> None:
        self.status_code = status
        self.headers = {"content-type": "application/json"}
        self.text = json.dumps(payload)
        self.content = self.text.encode()
        self._payload = payload

    def json(self) -> dict:
        return self._payload

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise RuntimeError(self.status_code)


class FakeClaveUnica:
    """Answers the server-side token and userinfo calls; records them so tests can inspect."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict]] = []
        self.userinfo = userinfo()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def request(self, method: str, url: str, **kwargs):
        self.calls.append((method, url, kwargs))
        if url == f"{SERVER}/token/":
            return FakeResponse({"access_token": "token-123", "token_type": "bearer", "expires_in": 3600})
        raise AssertionError(f"unexpected call {method} {url}")

    def get(self, url: str, **kwargs):
        self.calls.append(("GET", url, kwargs))
        if url == f"{SERVER}/userinfo/":
            assert kwargs["headers"]["Authorization"] == "Bearer token-123"
            return FakeResponse(self.userinfo)
        raise AssertionError(f"unexpected call GET {url}")


@pytest.fixture
def claveunica(settings, monkeypatch):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "claveunica": {
            "APPS": [
                {
                    "provider_id": "claveunica",
                    "name": "ClaveÚnica",
                    "client_id": "cliente-sermig",
                    "secret": "secreto",
                    "settings": {"server_url": SERVER},
                }
            ],
            "SCOPE": ["openid", "run", "name"],
            "OAUTH_PKCE_ENABLED": False,
        }
    }
    fake = FakeClaveUnica()
    monkeypatch.setattr(SocialAccountAdapter, "get_requests_session", lambda self: fake)
    return fake


def start(client) -> dict:
    response = client.post("/cuenta/claveunica/claveunica/login/")
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{SERVER}/authorize/"
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def test_login_button_appears_only_when_enabled(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert "ClaveÚnica" not in client.get("/cuenta/login/").content.decode()


@pytest.mark.parametrize("path", ["login/", "login/callback/"])
def test_login_and_callback_are_not_found_when_disabled(client, settings, path):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    url = f"/cuenta/claveunica/claveunica/{path}"
    assert client.post(url).status_code == 404
    assert client.get(url, {"code": "abc", "state": "x"}).status_code == 404


def test_login_button_when_configured(client, claveunica):
    assert "ClaveÚnica" in client.get("/cuenta/login/").content.decode()


def test_authorize_request_asks_for_run_and_name_with_a_state(client, claveunica):
    params = start(client)
    assert set(params["scope"].split()) == {"openid", "run", "name"}
    assert params["client_id"] == "cliente-sermig"
    assert params["state"]
    assert params["redirect_uri"].endswith("/cuenta/claveunica/claveunica/login/callback/")
    assert "secret" not in json.dumps(params)


def test_account_is_keyed_by_run_and_names_are_filled(client, claveunica):
    state = start(client)["state"]
    response = client.get("/cuenta/claveunica/claveunica/login/callback/", {"code": "abc", "state": state})
    # ClaveÚnica gives no email: the person gives one, which is then verified like any other.
    assert response.status_code == 302
    assert "/cuenta/3rdparty/signup/" in response["Location"]
    signup = client.post("/cuenta/3rdparty/signup/", {"email": "maria@example.org"})
    assert signup.status_code == 302

    account = SocialAccount.objects.get(provider="claveunica")
    assert account.uid == "44444444-4"
    assert account.user.name == "María Carmen Del Río González"
    assert account.user.email == "maria@example.org"
    assert any("maria@example.org" in m.to for m in mail.outbox)
    # The token and userinfo calls were made by the server, with the client secret, never via the browser.
    token_call = next(call for call in claveunica.calls if call[1].endswith("/token/"))
    assert token_call[2]["data"]["client_secret"] == "secreto"


def test_same_run_with_another_sub_is_the_same_account(client, claveunica):
    state = start(client)["state"]
    client.get("/cuenta/claveunica/claveunica/login/callback/", {"code": "abc", "state": state})
    client.post("/cuenta/3rdparty/signup/", {"email": "maria@example.org"})
    client.logout()

    claveunica.userinfo = userinfo(sub="another-sub")
    state = start(client)["state"]
    client.get("/cuenta/claveunica/claveunica/login/callback/", {"code": "def", "state": state})
    assert SocialAccount.objects.count() == 1
    assert User.objects.count() == 1


def test_tampered_state_is_refused(client, claveunica):
    start(client)
    response = client.get("/cuenta/claveunica/claveunica/login/callback/", {"code": "abc", "state": "forged"})
    assert 400 <= response.status_code < 500
    assert not SocialAccount.objects.exists()
    assert "_auth_user_id" not in client.session
    assert not any(call[1].endswith("/token/") for call in claveunica.calls)


def test_missing_run_is_refused(client, claveunica):
    claveunica.userinfo = {"sub": "1", "name": {"nombres": ["X"], "apellidos": []}}
    state = start(client)["state"]
    response = client.get("/cuenta/claveunica/claveunica/login/callback/", {"code": "abc", "state": state})
    assert 400 <= response.status_code < 500
    assert not SocialAccount.objects.exists()
