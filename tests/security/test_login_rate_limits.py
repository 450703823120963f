"""Issue 11, item 2: failed logins lock out neither everyone behind the reverse proxy nor a known account.

Per-address limits count the visitor's real address (``TRUSTED_PROXY_COUNT`` entries back in X-Forwarded-For);
the per-account limit counts each address apart, so failures sent from elsewhere never lock the owner out.
"""

import pytest
from django.utils import translation

from tests.security.conftest import dev_setting

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
WRONG = "no-es-la-clave-2026"


def too_many() -> str:
    with translation.override("es"):
        return translation.gettext("Too many failed login attempts. Try again later.")


def login(client, email: str, password: str, *, forwarded_for: str | None = None, remote: str = PROXY):
    headers = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post("/cuenta/login/", {"login": email, "password": password}, **headers)


def refused(response) -> bool:
    return response.status_code == 200 and too_many() in response.content.decode()


@pytest.fixture
def behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def proxy_count_with(**env: str) -> int:
    return dev_setting("getattr(settings, 'ALLAUTH_TRUSTED_PROXY_COUNT', 0)", **env)


def test_the_trusted_proxy_count_comes_from_the_environment():
    # docker-compose has no proxy in front of gunicorn: nothing is trusted unless the deployment says so.
    assert proxy_count_with() == 0
    assert proxy_count_with(TRUSTED_PROXY_COUNT="1") == 1


def test_failures_behind_the_proxy_lock_out_only_the_address_that_sent_them(
    client, citizen, behind_one_proxy
):
    for number in range(10):
        assert not refused(login(client, f"nadie{number}@example.org", WRONG, forwarded_for=ATTACKER))
    assert refused(login(client, "otra@example.org", WRONG, forwarded_for=ATTACKER))

    # Another visitor, through the same proxy, signs in at once.
    response = login(client, citizen.email, "demo-sermig-2026", forwarded_for=OWNER)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_failures_from_elsewhere_do_not_lock_out_a_known_staff_email(client, team_member, behind_one_proxy):
    for _attempt in range(5):
        assert not refused(login(client, team_member.email, WRONG, forwarded_for=ATTACKER))
    # The guesser is stopped, even with the right password...
    assert refused(login(client, team_member.email, "demo-sermig-2026", forwarded_for=ATTACKER))

    # ...while the owner, at their own address, reaches the second-factor step as usual.
    response = login(client, team_member.email, "demo-sermig-2026", forwarded_for=OWNER)
    assert response.status_code == 302
    assert response["Location"].endswith("/cuenta/2fa/authenticate/")


def test_the_owner_at_the_guessers_address_waits_like_the_guesser(client, citizen):
    for _attempt in range(5):
        login(client, citizen.email, WRONG, remote=ATTACKER)
    assert refused(login(client, citizen.email, "demo-sermig-2026", remote=ATTACKER))
    assert login(client, citizen.email, "demo-sermig-2026", remote=OWNER).status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_for_changes_nothing(client, citizen):
    # No proxy is trusted by default: writing another address in the header does not buy more guesses.
    for number in range(10):
        login(client, f"nadie{number}@example.org", WRONG, forwarded_for=f"192.0.2.{number}", remote=ATTACKER)
    assert refused(login(client, citizen.email, "demo-sermig-2026", forwarded_for=OWNER, remote=ATTACKER))


def test_behind_the_proxy_addresses_written_by_the_client_are_not_trusted(client, citizen, behind_one_proxy):
    # The proxy appends the address it saw; what the client wrote before it is ignored.
    for number in range(10):
        login(client, f"nadie{number}@example.org", WRONG, forwarded_for=f"192.0.2.{number}, {ATTACKER}")
    assert refused(login(client, citizen.email, "demo-sermig-2026", forwarded_for=f"{OWNER}, {ATTACKER}"))


@pytest.mark.parametrize("forwarded_for", ["", "203.0.113.66", "not-an-address"])
def test_a_forwarded_for_shorter_than_the_proxy_chain_is_not_a_500(client, citizen, settings, forwarded_for):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    response = login(client, citizen.email, "demo-sermig-2026", forwarded_for=forwarded_for)
    assert response.status_code == 302
