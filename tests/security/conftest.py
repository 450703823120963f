import json
import subprocess
import sys
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group

from participants.demo import DEMO_PASSWORD
from tests.factories import UserFactory
from tests.helpers import TOTP_SECRET, enable_mfa
from tests.test_settings_env import ROOT, clean_env


def verified(user):
    """An account whose email is confirmed, so a right password signs it in."""
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


@pytest.fixture
def citizen(db):
    return verified(UserFactory(email="marie@example.org", name="Marie Joseph"))


@pytest.fixture
def team_member(db):
    """Staff of the Participation team, with a second factor: the kind of known email an attacker targets."""
    user = UserFactory(email="equipo.participacion@example.org", name="Equipo", is_staff=True)
    user.groups.add(Group.objects.get(name="Participation team"))
    return verified(enable_mfa(user))


def totp_code() -> str:
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // mfa_settings.TOTP_PERIOD))


def sign_in(client, user, password: str = DEMO_PASSWORD) -> None:
    """Through the login form (and the second factor when the account has one), as a person would: unlike
    ``force_login`` it records a fresh authentication, which some account pages ask for."""
    response = client.post("/cuenta/login/", {"login": user.email, "password": password})
    assert response.status_code == 302, response.content
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        assert response["Location"].endswith("/cuenta/2fa/authenticate/")
        assert client.post("/cuenta/2fa/authenticate/", {"code": totp_code()}).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def dev_setting(expression: str, **env: str):
    """``expression`` (Python over ``settings``) evaluated in a new process with the dev settings and ``env``:
    settings read the environment once, at import."""
    script = f"import json, django; from django.conf import settings; django.setup(); print(json.dumps({expression}))"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=clean_env(DJANGO_SETTINGS_MODULE="sermig_portal.settings.dev", **env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
