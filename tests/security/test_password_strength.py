"""Issue 11, item 6: passwords that are long enough but easy to guess are refused, in the reader's language."""

import html

import pytest
from django.utils import translation

from participants.models import User
from participants.passwords import StrengthValidator
from tests.security.conftest import verified

pytestmark = pytest.mark.django_db

# Accepted before the strength validator although each has 12+ characters and is not all digits.
GUESSABLE = [
    "passwordpassword",
    "iloveyou1234",
    "aaaaaaaaaaaa",
    "abcdefghijkl",
    "letmein12345",
    "welcome12345",
]
REFUSAL = "Esta contraseña es fácil de adivinar."
PREFIX = {"es": "", "ht": "/ht", "en": "/en"}


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def signup(client, language: str, password: str, email: str = "nouvo@example.org"):
    return client.post(
        f"{PREFIX[language]}/cuenta/signup/", {"email": email, "password1": password, "password2": password}
    )


@pytest.mark.parametrize("language", ["es", "ht", "en"])
@pytest.mark.parametrize("password", GUESSABLE)
def test_guessable_passwords_are_refused_at_signup_in_every_language(client, language, password):
    response = signup(client, language, password)
    assert response.status_code == 200
    assert not User.objects.exists()
    refusal = in_language(language, REFUSAL)
    assert refusal in html.unescape(response.content.decode())
    if language != "es":
        assert refusal != REFUSAL, f"not translated to {language}"


@pytest.mark.parametrize(
    ("password", "hint"),
    [
        ("aaaaaaaaaaaa", "No repita letras ni palabras (como «aaaa» o «clave-clave»)."),
        ("abcdefghijkl", "No use series como «abcd» o «1234»."),
        ("welcome12345", "Se parece a una contraseña que mucha gente usa."),
    ],
)
def test_the_refusal_says_why_in_plain_words(password, hint):
    with pytest.raises(Exception) as refused:
        StrengthValidator().validate(password)
    assert hint in refused.value.messages[0]
    for language in ("ht", "en"):
        assert in_language(language, hint) != hint


@pytest.mark.parametrize(
    "password", ["tres-palabras-largas-2026", "demo-sermig-2026", "Kreyol-lakay-mwen-2026"]
)
def test_strong_passphrases_are_accepted(client, password):
    assert signup(client, "es", password).status_code == 302
    assert User.objects.filter(email="nouvo@example.org").exists()


def test_a_guessable_new_password_is_refused_when_changing_it_too(client, citizen):
    client.force_login(citizen)
    response = client.post(
        "/cuenta/password/change/",
        {"oldpassword": "demo-sermig-2026", "password1": "letmein12345", "password2": "letmein12345"},
    )
    assert response.status_code == 200
    assert REFUSAL in html.unescape(response.content.decode())
    citizen.refresh_from_db()
    assert citizen.check_password("demo-sermig-2026")


def test_a_password_longer_than_zxcvbn_takes_is_judged_by_its_start_not_a_500(client):
    assert signup(client, "es", "a" * 5000).status_code == 200
    assert signup(client, "es", "tres-palabras-largas-" + "x" * 5000).status_code == 302


def test_the_signup_page_explains_what_a_strong_password_is(client):
    page = html.unescape(client.get("/ht/cuenta/signup/").content.decode())
    assert in_language("ht", "Su contraseña debe ser difícil de adivinar.") in page


def test_a_verified_account_can_still_sign_in_with_its_existing_password(client):
    # Passwords set before the validator are not checked again at login.
    user = verified(User.objects.create_user(email="vieja@example.org", password="welcome12345"))
    assert client.post("/cuenta/login/", {"login": user.email, "password": "welcome12345"}).status_code == 302
