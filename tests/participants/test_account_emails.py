"""Account emails and pages in the portal's voice: text + HTML in the recipient's language, signed by the
Servicio Nacional de Migraciones, "usted" in Spanish; verifying the email in the same browser signs the person
in; a privacy notice at sign-up; privacy, accessibility and contact pages staff edit and translate."""

import re
from datetime import UTC, datetime

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.utils import translation

from engine.models import Page
from participants.emails import ACCOUNT_EMAILS, account_email_message
from tests.factories import UserFactory
from tests.helpers import logged_in, login

pytestmark = pytest.mark.django_db
STRONG = "tres-palabras-largas-2026"
LINK = re.compile(
    r"https?://testserver(/[^\s\"<]+/cuenta/confirm-email/[^\s\"<]+/|/cuenta/confirm-email/[^\s\"<]+/)"
)


def signup(client, email: str, prefix: str = ""):
    return client.post(f"{prefix}/cuenta/signup/", {"email": email, "password1": STRONG, "password2": STRONG})


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def test_the_signup_email_is_ours_in_text_and_html_in_kreyol():
    signup(Client(), "mari@example.org", prefix="/ht")
    [message] = mail.outbox
    with translation.override("ht"):
        subject = translation.gettext("Active su cuenta")
        signature = translation.gettext("Servicio Nacional de Migraciones")
    assert subject != "Active su cuenta"
    assert message.subject == f"[SERMIG] {subject}"
    assert message.extra_headers["Content-Language"] == "ht"
    for body in (message.body, html_of(message)):
        assert signature in body
        assert "testserver/ht/cuenta/confirm-email/" in body  # the link, in Kreyòl too
        # allauth's own greeting and signature named the host ("Hello from 127.0.0.1!").
        assert "Hello from" not in body and "Thank you for using" not in body


def test_spanish_emails_speak_as_usted():
    UserFactory(email="ana@example.org", preferred_language="es")
    Client().post("/cuenta/password/reset/", {"email": "ana@example.org"})
    [message] = mail.outbox
    assert message.subject == "[SERMIG] Cambie su contraseña"
    assert "Si usted no lo pidió, no haga nada" in message.body
    assert "tu contraseña" not in message.body.lower()
    assert "/cuenta/password/reset/key/" in message.body and "/cuenta/password/reset/key/" in html_of(message)


def test_verifying_in_the_same_browser_signs_in_and_elsewhere_asks_to_sign_in():
    browser = Client()
    signup(browser, "nuevo@example.org")
    path = LINK.search(mail.outbox[0].body).group(1)
    page = browser.get(path).content.decode()
    assert "Confirmar mi correo" in page and "nuevo@example.org" in page
    response = browser.post(path)
    assert response.status_code == 302
    assert browser.get("/cuenta/perfil/").status_code == 200  # signed in
    assert EmailAddress.objects.get(email="nuevo@example.org").verified

    other = Client()
    signup(other, "otro@example.org")
    path = LINK.search(mail.outbox[-1].body).group(1)
    elsewhere = Client()  # the link opened on another device
    elsewhere.post(path)
    assert elsewhere.get("/cuenta/perfil/").status_code == 302  # asked to sign in
    assert EmailAddress.objects.get(email="otro@example.org").verified


def test_the_page_after_signup_says_what_to_do_next():
    response = signup(Client(), "paso@example.org")
    page = Client().get(response["Location"]).content.decode()
    assert "Revise su correo" in page and "spam" in page


def test_a_security_notice_tells_what_changed_when_in_chile_time(alice):
    alice.set_password(STRONG)
    alice.save()
    browser = logged_in(alice)
    mail.outbox.clear()
    new = "otras-tres-palabras-2027"
    browser.post("/cuenta/password/change/", {"oldpassword": STRONG, "password1": new, "password2": new})
    [message] = mail.outbox
    with translation.override("ht"):  # alice reads Kreyòl
        assert message.subject == "[SERMIG] " + translation.gettext("Su contraseña cambió")
    assert message.extra_headers["Content-Language"] == "ht"


def test_every_account_email_the_portal_can_send_is_written_in_three_languages(alice):
    context = {
        "user": alice,
        "email": alice.email,
        "activate_url": "https://participacion.example.cl/cuenta/confirm-email/k/",
        "password_reset_url": "https://participacion.example.cl/cuenta/password/reset/key/x-y/",
        "signup_url": "https://participacion.example.cl/cuenta/signup/",
        "from_email": "antes@example.org",
        "to_email": "ahora@example.org",
        "deleted_email": "viejo@example.org",
        "provider": type("Provider", (), {"name": "ClaveÚnica"})(),
        "timestamp": datetime(2026, 12, 3, 15, 30, tzinfo=UTC),
        "user_agent": "Firefox",
    }
    for prefix in ACCOUNT_EMAILS:
        for language in ("es", "ht", "en"):
            message = account_email_message(
                prefix, to=alice.email, language=language, context=context, fallback=lambda: None
            )
            assert message.subject.startswith("[SERMIG] ") and len(message.subject) > 10, prefix
            assert "%(" not in message.body and "%(" not in html_of(message), prefix
    notice = account_email_message(
        "account/email/email_changed", to=alice.email, language="es", context=context, fallback=lambda: None
    )
    assert "antes@example.org" in notice.body and "ahora@example.org" in notice.body
    assert "12:30" in notice.body  # 15:30 UTC is 12:30 in Santiago


def test_signup_shows_the_privacy_notice_and_every_page_links_the_three_pages(client):
    page = client.get("/cuenta/signup/").content.decode()
    privacy = Page.objects.get(slug=Page.PRIVACY)
    assert privacy.summary_es[:40] in page
    for slug in (Page.PRIVACY, Page.ACCESSIBILITY, Page.CONTACT):
        assert f'href="/paginas/{slug}/"' in page
        assert client.get(f"/paginas/{slug}/").status_code == 200
    assert "21.719" in client.get("/paginas/privacidad/").content.decode()


def test_pages_read_in_kreyol_and_keep_only_safe_html(client):
    privacy = Page.objects.get(slug=Page.PRIVACY)
    privacy.body_ht = (
        '<h2>Dwa ou</h2><p onclick="x()">Tèks</p><script>alert(1)</script><a href="javascript:x()">k</a>'
    )
    privacy.save()
    html = client.get("/ht/paginas/privacidad/").content.decode()
    assert "<h2>Dwa ou</h2>" in html and "<p>Tèks</p>" in html
    assert "<script>alert" not in html and "onclick" not in html and "javascript:" not in html
    assert client.get("/paginas/no-existe/").status_code == 404


def test_login_after_verifying_elsewhere_uses_the_saved_language(alice):
    alice.set_password(STRONG)
    alice.save()
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    response = login(Client(), alice.email, STRONG)
    assert response["Location"].startswith("/ht/")
