import json
import os
import shutil
import subprocess
import sys
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from django.db import connection

from engine.queue import reset_broker_state
from participants.demo import DEMO_PASSWORD
from sermig_portal.cache import reset_circuits
from sermig_portal.celery import app as celery_app
from tests.factories import UserFactory
from tests.helpers import TOTP_SECRET, enable_mfa
from tests.security.redis_outage import ThrowawayRedis, project_cache_at
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


# --- Redis stops in the middle (test_redis_down*.py; helpers in redis_outage.py) -----------------------------


@pytest.fixture
def throwaway_redis(redis_url, tmp_path):
    if shutil.which("redis-server") is None:
        reason = "redis-server is not installed: this test starts and stops a Redis of its own"
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI must run it (.ci/run starts the same redis-server)
        pytest.skip(reason)
    server = ThrowawayRedis(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def portal_on(throwaway_redis, settings):
    """Cache, sessions, health check and Celery broker all on the throw-away Redis, as in production."""
    settings.REDIS_URL = throwaway_redis.url
    settings.CACHES = {**settings.CACHES, "default": project_cache_at(settings, throwaway_redis.url)}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.CELERY_BROKER_URL = throwaway_redis.url
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_url")}
    celery_app.conf.update(task_always_eager=False, broker_url=throwaway_redis.url)
    celery_app._after_fork()  # drop pooled connections to the previous broker
    reset_broker_state()
    reset_circuits()
    yield throwaway_redis
    celery_app.conf.update(saved)
    celery_app._after_fork()
    reset_broker_state()
    reset_circuits()


@pytest.fixture
def postgresql_only():
    """For ``pytestmark = pytest.mark.usefixtures("postgresql_only")``: parallel writers need PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("citizens submitting at once need PostgreSQL's row locks (SQLite serialises writers)")
