"""A citizen reads the account and asks: signed in with a verified address, or by a one-time email link;
bad input gets a clear message and nothing half-written."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from participants.models import Participant
from public_accounts import services
from public_accounts.models import Channel, Question, Status
from tests.helpers import logged_in
from tests.public_accounts.factories import (
    BudgetLineFactory,
    CommitmentFactory,
    EventFactory,
    PublicAccountFactory,
)

pytestmark = pytest.mark.django_db


def ask_url(account):
    return reverse("public_accounts:ask", kwargs={"year": account.year})


def data(section=None, **overrides):
    values = {
        "kind": "question",
        "section": section.pk if section else "",
        "topic": "",
        "text": "¿Cuándo?",
        "language": "ht",
    }
    values.update(overrides)
    return values


def test_account_page_shows_summary_first_and_its_parts(account, client):
    CommitmentFactory(
        account=PublicAccountFactory(year=2025, closed=True),
        text="Abrir oficina en Arica",
        text_es="Abrir oficina en Arica",
    )
    BudgetLineFactory(account=account, program="Atención", program_es="Atención", budget=200, executed=150)
    EventFactory(account=account)
    page = client.get(account.get_absolute_url()).content.decode()
    assert page.index("En resumen") < page.index("La cuenta")
    assert "Abrir oficina en Arica" in page
    assert "75,0 %" in page
    assert "Preguntar sobre «Regularización»" in page


def test_verified_citizen_asks_about_a_section_in_kreyol(account, alice):
    section = account.sections.first()
    browser = logged_in(alice, language="ht")
    response = browser.post(ask_url(account), data(section, text="Kilè papye yo ap pare?"))
    question = Question.objects.get()
    assert response.status_code == 302 and response["Location"] == question.get_absolute_url()
    assert (question.section, question.language, question.participant) == (section, "ht", alice.participant)
    assert "Kilè papye yo ap pare?" in browser.get(response["Location"], follow=True).content.decode()


def test_double_submit_stores_one(account, alice):
    browser = logged_in(alice)
    browser.post(ask_url(account), data(topic="Visas"))
    browser.post(ask_url(account), data(topic="Visas"))
    assert Question.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Escriba su pregunta u observación."), ("x" * 2001, "el máximo es 2000")],
)
def test_empty_or_too_long_is_refused_with_a_clear_message(account, alice, text, message):
    response = logged_in(alice).post(ask_url(account), data(topic="Visas", text=text))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_section_or_topic_is_required(account, alice):
    response = logged_in(alice).post(ask_url(account), data(topic=""))
    assert "Elija una sección o diga sobre qué tema" in response.content.decode()
    assert not Question.objects.exists()


def test_html_is_stored_as_written_and_shown_escaped(account, alice, admin_user):
    browser = logged_in(alice)
    browser.post(ask_url(account), data(topic="Visas", text='<script>alert("x")</script><b>hola</b>'))
    question = Question.objects.get()
    services.question_moderate(question=question, status=Status.ACCEPTED)
    for page in (browser.get(question.get_absolute_url()), Client().get(account.get_absolute_url())):
        html = page.content.decode()
        assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_outside_the_window_the_text_is_kept_and_nothing_stored(closed_account, alice):
    response = logged_in(alice).post(ask_url(closed_account), data(topic="Visas", text="Mi pregunta tardía"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Mi pregunta tardía" in html and "no está abierto" in html
    assert not Question.objects.exists()


def test_unverified_account_is_offered_the_email_link(account, bob):
    browser = Client()
    browser.force_login(bob)
    response = browser.post(ask_url(account), data(topic="Visas"))
    assert "Preguntar solo con mi correo" in response.content.decode()
    assert not Question.objects.exists()


def test_one_time_email_link_lets_a_person_without_account_ask(account, client):
    client.post(
        reverse("public_accounts:email-start", kwargs={"year": account.year}), {"email": "Rose@Example.org"}
    )
    link = re.search(r"http://testserver(/\S+/sin-cuenta/[0-9a-f-]+/)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 200  # a mail scanner's GET does not use it up
    assert client.post(link).status_code == 302
    response = client.post(ask_url(account), data(topic="Trabajo", text="¿Puedo trabajar?"))
    question = Question.objects.get()
    assert question.contact == "rose@example.org" and question.participant.user is None
    assert question.channel == Channel.ONLINE
    # The author (this browser) sees the pending question; another browser does not.
    assert client.get(response["Location"]).status_code == 200
    assert Client().get(response["Location"]).status_code == 404
    # The link is used: a second browser cannot use it again.
    assert Client().post(link).status_code == 302
    assert "ya se usó" in Client().post(link, follow=True).content.decode()


def test_profile_questions_are_optional_and_saved_with_consent(account, alice):
    browser = logged_in(alice)
    browser.post(ask_url(account), {**data(topic="Visas"), "perfil-gender_identity": "woman"})
    assert not Question.objects.exists()  # a sensitive answer without the consent box is refused
    browser.post(
        ask_url(account),
        {**data(topic="Visas"), "perfil-gender_identity": "woman", "perfil-consent_gender_identity": "on"},
    )
    alice.participant.refresh_from_db()
    assert Question.objects.count() == 1 and alice.participant.gender_identity == "woman"


def test_budget_downloads(account, client):
    BudgetLineFactory(
        account=account, program="=HYPERLINK(1)", program_es="=HYPERLINK(1)", budget=10, executed=5
    )
    csv_response = client.get(reverse("public_accounts:budget", kwargs={"year": account.year, "fmt": "csv"}))
    body = csv_response.content.decode("utf-8-sig")
    assert "'=HYPERLINK(1),10,5,50.0" in body
    xlsx = client.get(reverse("public_accounts:budget", kwargs={"year": account.year, "fmt": "xlsx"}))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert (
        client.get(reverse("public_accounts:budget", kwargs={"year": account.year, "fmt": "exe"})).status_code
        == 404
    )


def test_ical_lists_public_presentations_only(account, draft_account, client):
    EventFactory(account=account, title="Pública", title_es="Pública")
    EventFactory(account=draft_account, title="Secreta", title_es="Secreta")
    body = client.get(reverse("public_accounts:ical")).content.decode()
    assert "Pública" in body and "Secreta" not in body


def test_my_questions_lists_statuses(account, alice, bob):
    mine = services.question_submit(
        account=account, participant=alice.participant, text="¿Mía?", language="es"
    )
    services.question_moderate(question=mine, status=Status.REJECTED, reason="Fuera de tema")
    services.question_submit(account=account, participant=bob.participant, text="¿De Bob?", language="es")
    html = logged_in(alice).get(reverse("public_accounts:my-questions")).content.decode()
    assert "¿Mía?" in html and "Fuera de tema" in html and "¿De Bob?" not in html


def test_my_questions_are_in_the_account_menu_and_show_what_a_duplicate_joined(account, alice, settings):
    settings.PUBLIC_ACCOUNT_QUESTIONS_PER_PAGE = 1
    other = Participant.objects.create()
    answered_one = services.question_submit(
        account=account, participant=other, text="¿Primera?", language="es"
    )
    services.question_moderate(question=answered_one, status=Status.ACCEPTED)
    services.question_submit(account=account, participant=alice.participant, text="¿Antigua?", language="es")
    mine = services.question_submit(
        account=account, participant=alice.participant, text="¿Igual?", language="es"
    )
    services.question_moderate(question=mine, status=Status.MERGED, merged_into=answered_one)
    reader = logged_in(alice)
    url = reverse("public_accounts:my-questions")

    profile = reader.get(reverse("participants:profile")).content.decode()
    assert f'<a href="{url}">Mis preguntas de la cuenta pública</a>' in profile
    # Newest first, a page at a time; the menu marks the page being read.
    html = reader.get(url).content.decode()
    assert f'<a href="{url}" aria-current="page">' in html and "Página 1 de 2" in html
    assert "¿Igual?" in html and "¿Antigua?" not in html
    assert f'href="{answered_one.get_absolute_url()}"' in html
    assert reader.get(answered_one.get_absolute_url()).status_code == 200
    assert "¿Antigua?" in reader.get(url, {"pagina": 2}).content.decode()
