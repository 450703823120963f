"""'Mis avisos' and the follow button, in Kreyòl on a phone: usable and accessible."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from engine.models import Frequency, Subscription
from tests.consultations.factories import ConsultationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def citizen_page(new_context, live_server):
    user = UserFactory(email="swiv@example.org", preferred_language="ht")
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = new_context(viewport={"width": 360, "height": 740})
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return user, context.new_page()


def test_follow_a_consultation_then_choose_the_weekly_digest(live_server, citizen_page, assert_accessible):
    user, page = citizen_page
    consultation = ConsultationFactory(title="Konsiltasyon sou lekòl")

    page.goto(f"{live_server.url}/ht/consultas/{consultation.slug}/")
    assert_accessible(page)
    page.locator(f'main form[action$="/consultas/{consultation.slug}/seguir/"] button').click()
    expect(page.locator("main .message--success")).to_be_visible()
    expect(page.locator('main a[href="/ht/avisos/"]')).to_have_count(1)
    subscription = Subscription.objects.get(user=user, object_id=consultation.pk)

    page.locator('main a[href="/ht/avisos/"]').click()
    expect(page).to_have_url(f"{live_server.url}/ht/avisos/")
    assert_accessible(page)
    page.locator(f"#id_object_{subscription.pk}").select_option(Frequency.WEEKLY)
    page.locator("#id_mechanism_consultations").select_option(Frequency.IMMEDIATELY)
    page.locator('main form button[type="submit"]').click()
    expect(page.locator("main .message--success")).to_be_visible()
    assert_accessible(page)

    subscription.refresh_from_db()
    assert subscription.frequency == Frequency.WEEKLY
    assert Subscription.objects.get(user=user, mechanism="consultations").frequency == Frequency.IMMEDIATELY
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]
