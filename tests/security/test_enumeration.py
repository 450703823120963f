"""Issue 11, item 5: whether an email has an account shows neither in the reply nor in the time it takes.

The slow part of every account request is hashing a password, so each pair (known / unknown email) must hash the
same number of times; a wrapped hasher counts them. One test also times a real PBKDF2 over several tries.
"""

import re
import time
from statistics import median

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher, PBKDF2PasswordHasher
from django.core import mail

from participants.models import User
from tests.factories import UserFactory
from tests.security.conftest import verified

pytestmark = pytest.mark.django_db
PASSWORD = "tres-palabras-largas-2026"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


class CountingHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting every hash it computes (making or checking a password)."""

    hashes = 0

    def encode(self, password, salt):
        type(self).hashes += 1
        return super().encode(password, salt)


class SlowHasher(PBKDF2PasswordHasher):
    """A real key-stretching hasher, lighter than production's so the timing test stays short."""

    iterations = 150_000


@pytest.fixture
def hashes(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]

    def count(request) -> int:
        before = CountingHasher.hashes
        request()
        return CountingHasher.hashes - before

    return count


@pytest.fixture
def known(hashes):
    """An existing, verified account (created after the counting hasher is in place)."""
    return verified(UserFactory(email="conocida@example.org"))


def signup(client, email: str):
    return client.post("/cuenta/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD})


def login(client, email: str):
    return client.post("/cuenta/login/", {"login": email, "password": "no-es-la-clave-2026"})


def reset(client, email: str):
    return client.post("/cuenta/password/reset/", {"email": email})


def page(response) -> str:
    return CSRF.sub("", response.content.decode())


def test_signup_hashes_the_password_for_a_known_email_too(client, known, hashes):
    replies = {}
    work = {}
    for email in ("conocida@example.org", "nueva@example.org"):
        work[email] = hashes(lambda email=email: replies.__setitem__(email, signup(client, email)))
        client.logout()
    assert work["conocida@example.org"] == work["nueva@example.org"] >= 1
    known_reply, new_reply = replies["conocida@example.org"], replies["nueva@example.org"]
    assert known_reply.status_code == new_reply.status_code == 302
    assert known_reply["Location"] == new_reply["Location"]
    # Each address gets one email (verification, or "you already have an account"); no second account.
    assert sorted(m.to[0] for m in mail.outbox) == ["conocida@example.org", "nueva@example.org"]
    assert User.objects.filter(email="conocida@example.org").count() == 1


def test_a_failed_login_costs_and_reads_the_same_for_known_and_unknown_emails(client, known, hashes):
    replies = {}
    work = {
        email: hashes(lambda email=email: replies.__setitem__(email, login(client, email)))
        for email in ("conocida@example.org", "nadie@example.org")
    }
    assert work["conocida@example.org"] == work["nadie@example.org"] >= 1
    assert replies["conocida@example.org"].status_code == replies["nadie@example.org"].status_code == 200
    assert page(replies["conocida@example.org"]).replace("conocida@", "nadie@") == page(
        replies["nadie@example.org"]
    )


def test_a_password_reset_costs_and_reads_the_same_for_known_and_unknown_emails(client, known, hashes):
    replies = {}
    work = {
        email: hashes(lambda email=email: replies.__setitem__(email, reset(client, email)))
        for email in ("conocida@example.org", "nadie@example.org")
    }
    assert work["conocida@example.org"] == work["nadie@example.org"]
    assert replies["conocida@example.org"].status_code == replies["nadie@example.org"].status_code == 302
    assert replies["conocida@example.org"]["Location"] == replies["nadie@example.org"]["Location"]
    assert sorted(m.to[0] for m in mail.outbox) == ["conocida@example.org", "nadie@example.org"]


def test_signup_takes_about_as_long_for_a_known_email_with_a_real_hasher(client, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.SlowHasher"]
    for number in range(3):
        verified(UserFactory(email=f"conocida{number}@example.org"))

    def seconds(email: str) -> float:
        start = time.perf_counter()
        assert signup(client, email).status_code == 302
        client.logout()
        return time.perf_counter() - start

    known = median(seconds(f"conocida{number}@example.org") for number in range(3))
    new = median(seconds(f"nueva{number}@example.org") for number in range(3))
    # Without the extra hash a known email answered 5-10x faster; a generous ratio, not an absolute time.
    assert 0.5 < known / new < 2, (known, new)
