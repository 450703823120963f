"""A second-factor code signs someone in once: not again from another browser while it is still valid, even
when the cache that allauth marks used codes in is empty, restarted or down (participants.mfa)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from allauth.mfa import app_settings as mfa_settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from participants.demo import DEMO_PASSWORD
from participants.models import UsedSecondFactorCode
from tests.factories import UserFactory
from tests.helpers import enable_mfa, login, run_in_parallel, totp_code, verified

SECOND_FACTOR = "/cuenta/2fa/authenticate/"


@pytest.fixture
def staff(db):
    return verified(enable_mfa(UserFactory(email="equipo@example.org", is_staff=True)))


def at_second_factor(user) -> Client:
    """A browser past the password, asked for the code."""
    browser = Client()
    response = login(browser, user.email, DEMO_PASSWORD)
    assert (response.status_code, response["Location"]) == (302, SECOND_FACTOR)
    return browser


def code_with_time_left(seconds: float = 15) -> str:
    """The current code once at least ``seconds`` of its period are left: a code is valid in its own period only
    (no tolerance), so every step of a test then happens while it is valid."""
    left = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
    if left < seconds:
        time.sleep(left + 0.05)
    return totp_code()


def signed_in(browser: Client, user) -> bool:
    return browser.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.django_db
def test_a_used_code_is_refused_in_another_browser_even_after_the_cache_forgets_it(staff):
    first, second = at_second_factor(staff), at_second_factor(staff)
    code = code_with_time_left()
    assert first.post(SECOND_FACTOR, {"code": code}).status_code == 302
    assert signed_in(first, staff)

    cache.clear()  # Redis restarted (it keeps nothing on disk)
    refused = second.post(SECOND_FACTOR, {"code": code})
    assert refused.status_code == 200 and not signed_in(second, staff)
    assert UsedSecondFactorCode.objects.filter(user=staff).count() == 1


@pytest.mark.django_db
def test_the_same_digits_sign_in_again_once_their_earlier_use_is_past_the_window(staff):
    browser = at_second_factor(staff)
    code = code_with_time_left()
    UsedSecondFactorCode.objects.create(user=staff, code=code, used_at=timezone.now() - timedelta(minutes=10))
    assert browser.post(SECOND_FACTOR, {"code": code}).status_code == 302
    assert signed_in(browser, staff)
    assert list(UsedSecondFactorCode.objects.filter(user=staff).values_list("code", flat=True)) == [code]


@pytest.mark.django_db
def test_a_code_of_one_person_does_not_use_up_anothers(staff):
    other = verified(enable_mfa(UserFactory(email="otra@example.org", is_staff=True)))
    first, browser = at_second_factor(staff), at_second_factor(other)
    code = code_with_time_left()  # the same secret in the tests: the same digits for both
    assert first.post(SECOND_FACTOR, {"code": code}).status_code == 302
    assert browser.post(SECOND_FACTOR, {"code": code}).status_code == 302
    assert signed_in(browser, other)


@pytest.mark.usefixtures("postgresql_only")
@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_a_used_code_is_refused_and_twenty_racing_posts_sign_in_once(staff, portal_on):
    portal_on.stop()
    browsers = [at_second_factor(staff) for _ in range(20)]
    late = at_second_factor(staff)
    pending = list(browsers)
    code = code_with_time_left(20)

    def post():
        return pending.pop().post(SECOND_FACTOR, {"code": code}).status_code

    statuses = run_in_parallel(post, threads=len(browsers))
    assert [s for s in statuses if isinstance(s, Exception)] == []
    assert sorted(statuses) == [200] * 19 + [302]
    assert sum(signed_in(browser, staff) for browser in browsers) == 1

    assert late.post(SECOND_FACTOR, {"code": code}).status_code == 200
    assert not signed_in(late, staff)
