"""Taking part without an account: a one-time link confirms the email, kept only as a keyed hash."""

import io
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import AnonymousConfirmation, Response
from tests.consultations.factories import (
    AnonymousConfirmationFactory,
    ConsultationFactory,
    build_questionnaire,
)
from tests.helpers import review_data

pytestmark = pytest.mark.django_db

EMAIL = "Marie.Joseph@Example.org"


@pytest.fixture
def qn():
    return build_questionnaire(ConsultationFactory(allow_anonymous=True, slug="abierta-sin-cuenta"))


def start_url(qn) -> str:
    return reverse("consultations:anonymous-start", kwargs={"slug": qn.slug})


def answer_url(qn, step: int = 1) -> str:
    return reverse("consultations:answer", kwargs={"slug": qn.slug, "step": step})


def request_link(browser, qn, email: str = EMAIL) -> str:
    sent = browser.post(start_url(qn), {"email": email})
    assert sent.status_code == 200
    message = mail.outbox[-1]
    assert message.to == [email]
    match = re.search(r"http://testserver(/consultas/[\w-]+/sin-cuenta/[0-9a-f-]{36}/)", message.body)
    assert match, message.body
    return match.group(1)


def section_1(qn, choice: str = "Sí", action: str = "save") -> dict:
    return {f"q{qn.q['atendido'].pk}": str(qn.o[choice].pk), "action": action}


def test_without_anonymous_participation_there_is_no_email_way_in(open_questionnaire, client):
    qn = open_questionnaire
    assert not qn.consultation.allow_anonymous
    assert client.get(start_url(qn)).status_code == 404
    assert client.post(start_url(qn), {"email": EMAIL}).status_code == 404
    assert mail.outbox == []
    answer = client.get(answer_url(qn))
    assert answer.status_code == 302
    assert answer["Location"] == f"{reverse('account_login')}?next={answer_url(qn)}"
    assert client.post(answer_url(qn), section_1(qn)).status_code == 302
    assert not Response.objects.exists()


def test_with_anonymous_participation_answering_starts_with_the_email(qn, client):
    assert client.get(answer_url(qn))["Location"] == start_url(qn)
    assert client.get(start_url(qn)).status_code == 200


def test_invalid_email_sends_nothing(qn, client):
    response = client.post(start_url(qn), {"email": "not-an-address"})
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert mail.outbox == [] and not AnonymousConfirmation.objects.exists()


def test_the_one_time_link_confirms_on_post_only_and_only_once(qn, client):
    link = request_link(client, qn)
    confirmation = AnonymousConfirmation.objects.get()

    # A mail scanner (or the person) opening the link sees a button; the link is not used up.
    page = client.get(link)
    assert page.status_code == 200
    assert '<form method="post"' in page.content.decode()
    confirmation.refresh_from_db()
    assert confirmation.used_at is None

    confirmed = client.post(link)
    assert confirmed["Location"] == answer_url(qn)
    confirmation.refresh_from_db()
    assert confirmation.used_at is not None
    assert client.get(answer_url(qn)).status_code == 200

    stranger = Client()
    again = stranger.post(link)
    assert again["Location"] == start_url(qn)
    assert any("ya se usó o venció" in str(m) for m in get_messages(again.wsgi_request))
    assert stranger.get(answer_url(qn))["Location"] == start_url(qn)


def test_only_the_browser_that_used_the_link_gets_in_again_and_only_for_a_moment(qn, client):
    """The second post of a double click is let in; another browser, or the same one later, is not."""
    link = request_link(client, qn)
    client.get(link)  # the confirmation page gives the browser its CSRF cookie
    assert client.post(link)["Location"] == answer_url(qn)
    assert client.post(link)["Location"] == answer_url(qn)

    stranger = Client()
    stranger.get(link)
    assert stranger.post(link)["Location"] == start_url(qn)
    assert stranger.get(answer_url(qn))["Location"] == start_url(qn)

    AnonymousConfirmation.objects.update(used_at=timezone.now() - services.LINK_DOUBLE_CLICK_WINDOW)
    assert client.post(link)["Location"] == start_url(qn)


def test_an_expired_link_is_refused(qn, client):
    max_age = timedelta(seconds=settings.CONSULTATION_LINK_MAX_AGE)
    old = AnonymousConfirmationFactory(
        consultation=qn.consultation, created_at=timezone.now() - max_age - timedelta(minutes=1)
    )
    fresh = AnonymousConfirmationFactory(
        consultation=qn.consultation, created_at=timezone.now() - max_age + timedelta(minutes=1)
    )
    link = reverse("consultations:anonymous-confirm", kwargs={"slug": qn.slug, "nonce": old.nonce})
    refused = client.post(link)
    assert refused["Location"] == start_url(qn)
    assert client.get(answer_url(qn))["Location"] == start_url(qn)

    link = reverse("consultations:anonymous-confirm", kwargs={"slug": qn.slug, "nonce": fresh.nonce})
    assert client.post(link)["Location"] == answer_url(qn)


def test_a_link_for_another_consultation_is_refused(qn, client):
    other = AnonymousConfirmationFactory()
    link = reverse("consultations:anonymous-confirm", kwargs={"slug": qn.slug, "nonce": other.nonce})
    assert client.post(link)["Location"] == start_url(qn)
    other.refresh_from_db()
    assert other.used_at is None


def test_the_same_email_confirmed_twice_reaches_one_single_response(qn):
    first_browser, second_browser = Client(), Client()
    first_browser.post(request_link(first_browser, qn))
    assert first_browser.post(answer_url(qn), section_1(qn, "No")).status_code == 302

    # Another browser, another link, same address written differently.
    second_browser.post(request_link(second_browser, qn, email=EMAIL.lower()))
    resumed = second_browser.get(answer_url(qn))
    assert resumed.context["form"].initial[f"q{qn.q['atendido'].pk}"] == str(qn.o["No"].pk)
    second_browser.post(answer_url(qn), section_1(qn, "Sí", action="next"))
    assert Response.objects.filter(consultation=qn.consultation).count() == 1

    for step, data in [
        (2, {f"q{qn.q['facilidad'].pk}": str(qn.o["Fácil"].pk), "action": "next"}),
        (3, {f"q{qn.q['donde'].pk}": str(qn.o["En línea"].pk), "action": "next"}),
    ]:
        second_browser.post(answer_url(qn, step), data)
    review = reverse("consultations:review", kwargs={"slug": qn.slug})
    assert second_browser.post(review, review_data())["Location"].endswith("/gracias/")

    # The first browser cannot answer again either.
    assert first_browser.get(answer_url(qn))["Location"].endswith("/gracias/")
    response = Response.objects.get(consultation=qn.consultation)
    assert response.status == Response.Status.SUBMITTED
    assert response.email_hash == services.email_hash(EMAIL)
    assert response.participant.user is None


def test_the_address_is_stored_nowhere_in_clear(qn, client):
    client.post(request_link(client, qn))
    client.post(answer_url(qn), section_1(qn))
    response = Response.objects.get()
    assert response.email_hash and len(response.email_hash) == 64
    row = {field.attname: getattr(response, field.attname) for field in Response._meta.concrete_fields}
    for value in row.values():
        assert EMAIL.lower() not in str(value).lower()

    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert EMAIL.lower() not in dump.getvalue().lower()
    assert "marie.joseph" not in dump.getvalue().lower()
