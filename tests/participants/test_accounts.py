"""Sign-up, verification, login, enumeration safety, throttling, sessions (allauth under /cuenta/)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.utils import translation

from participants.models import User
from tests.factories import UserFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db
STRONG = "tres-palabras-largas-2026"


def verified_user(email: str = "marie@example.org", **kwargs) -> User:
    user = UserFactory(email=email, **kwargs)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def signup(client, email: str, password: str = STRONG, prefix: str = ""):
    return client.post(
        f"{prefix}/cuenta/signup/", {"email": email, "password1": password, "password2": password}
    )


def test_signup_sends_a_verification_email_then_login_works(client):
    response = signup(client, "nouvo@example.org")
    assert response.status_code == 302
    assert response["Location"].endswith("/cuenta/confirm-email/")
    [message] = mail.outbox
    assert message.to == ["nouvo@example.org"]
    link = re.search(r"https?://[^\s]+/cuenta/confirm-email/[^\s]+/", message.body)[0]

    path = link.split("testserver", 1)[1]
    assert client.get(path).status_code == 200
    confirmed = client.post(path)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="nouvo@example.org").verified

    client.logout()
    assert login(client, "nouvo@example.org", STRONG).status_code == 302
    assert client.get("/cuenta/perfil/").status_code == 200


def test_unverified_user_cannot_sign_in(client):
    signup(client, "nouvo@example.org")
    client.logout()
    mail.outbox.clear()
    response = login(client, "nouvo@example.org", STRONG)
    # allauth holds the login and re-sends the verification email instead.
    assert response["Location"].endswith("/cuenta/confirm-email/")
    assert client.get("/cuenta/perfil/").status_code == 302


def test_signup_in_kreyol_sets_the_preferred_language_and_the_email_language(client):
    signup(client, "kreyol@example.org", prefix="/ht")
    assert User.objects.get(email="kreyol@example.org").preferred_language == "ht"
    [message] = mail.outbox
    assert "/ht/cuenta/confirm-email/" in message.body


@pytest.mark.parametrize("password", ["corta-2026", "123456789012345", "password1234"])
def test_weak_passwords_are_refused(client, password):
    response = signup(client, "debil@example.org", password=password)
    assert response.status_code == 200
    assert not User.objects.filter(email="debil@example.org").exists()
    assert response.context["form"].errors["password1"]


def test_password_similar_to_the_email_is_refused(client):
    response = signup(client, "jeanbaptiste2026@example.org", password="jeanbaptiste2026")
    assert "password1" in response.context["form"].errors


def test_signup_reply_is_the_same_for_a_known_email(client):
    verified_user("conocida@example.org")
    known = signup(client, "conocida@example.org")
    client.logout()
    unknown = signup(client, "desconocida@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # The owner of the known address is told someone tried; no second account exists.
    assert User.objects.filter(email="conocida@example.org").count() == 1
    assert {m.to[0] for m in mail.outbox} == {"conocida@example.org", "desconocida@example.org"}


def test_login_failure_reply_is_the_same_for_known_and_unknown_email(client):
    verified_user("conocida@example.org")
    known = login(client, "conocida@example.org", "contraseña-equivocada")
    unknown = login(client, "nadie@example.org", "contraseña-equivocada")
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


def test_password_reset_reply_is_the_same_for_known_and_unknown_email(client):
    verified_user("conocida@example.org")
    known = client.post("/cuenta/password/reset/", {"email": "conocida@example.org"})
    unknown = client.post("/cuenta/password/reset/", {"email": "nadie@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_session_key_changes_at_login_and_dies_at_logout(client):
    verified_user()
    session = client.session
    session["visited"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = session.session_key
    login(client, "marie@example.org", "demo-sermig-2026")
    after = client.session.session_key
    assert after and after != before
    client.post("/cuenta/logout/")
    assert not Session.objects.filter(session_key=after).exists()
    assert client.get("/cuenta/perfil/").status_code == 302


def test_name_with_html_is_escaped_on_pages(client):
    user = verified_user(name='<img src=x onerror="alert(1)">')
    client.force_login(user)
    content = client.get("/cuenta/perfil/").content.decode()
    assert '<img src=x onerror="alert(1)">' not in content
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in content


def test_header_offers_sign_in_and_sign_up_to_visitors(client):
    content = client.get("/ht/").content.decode()
    assert 'href="/ht/cuenta/login/"' in content
    assert 'href="/ht/cuenta/signup/"' in content


def test_account_pages_render_in_kreyol(client):
    with translation.override("ht"):
        label = translation.gettext("Password")
    assert label != "Password" and label != "Contraseña"
    content = client.get("/ht/cuenta/login/").content.decode()
    assert label in content
    assert '<html lang="ht"' in content


def test_email_change_needs_reauthentication(client, password):
    verified_user("vieja@example.org")
    assert login(client, "vieja@example.org", password).status_code == 302
    response = client.post("/cuenta/email/", {"action_add": "", "email": "nueva@example.org"})
    assert response.status_code == 302
    assert "/cuenta/reauthenticate/" in response["Location"]
    assert not EmailAddress.objects.filter(email="nueva@example.org").exists()

    client.post("/cuenta/reauthenticate/", {"password": password})
    mail.outbox.clear()
    client.post("/cuenta/email/", {"action_add": "", "email": "nueva@example.org"})
    address = EmailAddress.objects.get(email="nueva@example.org")
    assert not address.verified  # the new address must be confirmed before it replaces the old one
    assert mail.outbox and mail.outbox[-1].to == ["nueva@example.org"]


def test_password_reset_link_lets_the_person_choose_a_new_password(client):
    verified_user("olvido@example.org")
    client.post("/cuenta/password/reset/", {"email": "olvido@example.org"})
    [message] = mail.outbox
    path = re.search(
        r"https?://testserver(/[^\s]+/cuenta/password/reset/key/[^\s]+/|/cuenta/password/reset/key/[^\s]+/)",
        message.body,
    )[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    response = client.post(
        action, {"password1": "otra-clave-muy-larga-2026", "password2": "otra-clave-muy-larga-2026"}
    )
    assert response.status_code == 302
    client.logout()
    assert login(client, "olvido@example.org", "otra-clave-muy-larga-2026").status_code == 302
