"""A second-factor code signs someone in once: not again from another browser while it is still valid, even
when the cache that allauth marks used codes in is empty, restarted or down (participants.mfa)."""

from __future__ import annotations

from datetime import timedelta

import pytest
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


def signed_in(browser: Client, user) -> bool:
    return browser.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.django_db
def test_a_used_code_is_refused_in_another_browser_even_after_the_cache_forgets_it(staff):
    first = at_second_factor(staff)
    code = totp_code()
    assert first.post(SECOND_FACTOR, {"code": code}).status_code == 302
    assert signed_in(first, staff)

    cache.clear()  # Redis restarted (it keeps nothing on disk)
    second = at_second_factor(staff)
    refused = second.post(SECOND_FACTOR, {"code": code})
    assert refused.status_code == 200 and not signed_in(second, staff)
    assert UsedSecondFactorCode.objects.filter(user=staff).count() == 1


@pytest.mark.django_db
def test_the_same_digits_sign_in_again_once_their_earlier_use_is_past_the_window(staff):
    code = totp_code()
    UsedSecondFactorCode.objects.create(user=staff, code=code, used_at=timezone.now() - timedelta(minutes=10))
    browser = at_second_factor(staff)
    assert browser.post(SECOND_FACTOR, {"code": code}).status_code == 302
    assert signed_in(browser, staff)
    assert list(UsedSecondFactorCode.objects.filter(user=staff).values_list("code", flat=True)) == [code]


@pytest.mark.django_db
def test_a_code_of_one_person_does_not_use_up_anothers(staff):
    other = verified(enable_mfa(UserFactory(email="otra@example.org", is_staff=True)))
    code = totp_code()  # the same secret in the tests: the same digits for both
    assert at_second_factor(staff).post(SECOND_FACTOR, {"code": code}).status_code == 302
    browser = at_second_factor(other)
    assert browser.post(SECOND_FACTOR, {"code": code}).status_code == 302
    assert signed_in(browser, other)


@pytest.mark.usefixtures("postgresql_only")
@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_a_used_code_is_refused_and_twenty_racing_posts_sign_in_once(staff, portal_on):
    portal_on.stop()
    code = totp_code()
    browsers = [at_second_factor(staff) for _ in range(20)]
    pending = list(browsers)

    def post():
        return pending.pop().post(SECOND_FACTOR, {"code": code}).status_code

    statuses = run_in_parallel(post, threads=len(browsers))
    assert [s for s in statuses if isinstance(s, Exception)] == []
    assert sorted(statuses) == [200] * 19 + [302]
    assert sum(signed_in(browser, staff) for browser in browsers) == 1

    late = at_second_factor(staff)
    assert late.post(SECOND_FACTOR, {"code": code}).status_code == 200
    assert not signed_in(late, staff)
