"""The language follows the person: an address without a prefix goes to the reader's language (the language
buttons' choice, then a signed-in person's saved language, then the browser's), prefixed addresses stay as
they are, and the page cache never serves one language's page to a reader of another."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.utils import translation
from django_countries import countries

from participants.forms import ProfileForm
from tests.helpers import login, verified

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME
KREYOL_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "ht,fr;q=0.8"}
SPANISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "es-CL,es;q=0.9"}


def browser(**cookies) -> Client:
    client = Client()
    for name, value in cookies.items():
        client.cookies[name] = value
    return client


def test_a_kreyol_browser_is_sent_to_the_kreyol_page():
    response = browser().get("/", **KREYOL_BROWSER)
    assert (response.status_code, response["Location"]) == (302, "/ht/")
    # Caches must keep this answer apart from the Spanish page at the same address.
    vary = {part.strip() for part in response["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary


def test_an_english_browser_keeps_the_rest_of_the_address():
    response = browser().get("/consultas/?tema=2", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Location"] == "/en/consultas/?tema=2"


def test_a_spanish_browser_and_a_browser_without_preference_stay():
    for headers in (SPANISH_BROWSER, {}):
        response = browser().get("/cosoc/", **headers)
        assert response.status_code == 200
        assert b'<html lang="es"' in response.content


def test_a_prefixed_address_always_shows_its_language():
    response = browser(**{COOKIE: "es"}).get("/ht/cosoc/", **SPANISH_BROWSER)
    assert response.status_code == 200 and b'<html lang="ht"' in response.content


def test_the_language_buttons_choice_beats_the_browser():
    assert browser(**{COOKIE: "es"}).get("/", **KREYOL_BROWSER).status_code == 200
    assert browser(**{COOKIE: "en"}).get("/", **SPANISH_BROWSER)["Location"] == "/en/"


def test_a_signed_in_reader_gets_their_saved_language(alice):
    client = Client()
    client.force_login(verified(alice))  # alice saved Kreyòl
    assert client.get("/consultas/", **SPANISH_BROWSER)["Location"] == "/ht/consultas/"
    client.cookies[COOKIE] = "es"  # later she chose Spanish with the buttons
    assert client.get("/consultas/", **KREYOL_BROWSER).status_code == 200


def test_forms_the_admin_and_unknown_addresses_are_not_redirected(alice):
    client = browser()
    assert client.post("/consultas/", **KREYOL_BROWSER).status_code != 302
    assert client.get("/salud/", **KREYOL_BROWSER).status_code == 200
    assert not client.get("/admin/", **KREYOL_BROWSER).get("Location", "").startswith("/ht/")
    assert client.get("/no-existe/", **KREYOL_BROWSER).status_code == 404


def test_the_language_buttons_show_the_same_page_and_remember_the_choice():
    client = browser()
    response = client.get("/idioma/ht/", {"next": "/cosoc/?x=1"})
    assert (response.status_code, response["Location"]) == (302, "/ht/cosoc/?x=1")
    assert client.cookies[COOKIE].value == "ht"
    # Remembered: an address without a prefix now opens in Kreyòl, whatever the browser says.
    assert client.get("/informacion/", **SPANISH_BROWSER)["Location"] == "/ht/informacion/"

    response = client.get("/idioma/es/", {"next": "/ht/cosoc/"})
    assert response["Location"] == "/cosoc/"
    assert client.cookies[COOKIE].value == "es"
    assert client.get("/informacion/", **KREYOL_BROWSER).status_code == 200


def test_the_language_buttons_refuse_other_sites_and_unknown_languages():
    client = browser()
    assert client.get("/idioma/en/", {"next": "https://example.net/phish"})["Location"] == "/en/"
    assert client.get("/idioma/fr/", {"next": "/"}).status_code == 404
    assert COOKIE not in client.cookies or client.cookies[COOKIE].value == "en"


@pytest.fixture
def page_cache(settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 30
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.mark.parametrize("first", ["es", "ht"])
def test_with_the_page_cache_each_browser_gets_its_own_language(page_cache, first):
    spanish, kreyol = browser(), browser()

    def visit(language: str):
        if language == "es":
            return spanish.get("/consultas/", **SPANISH_BROWSER)
        return kreyol.get("/consultas/", **KREYOL_BROWSER)

    for language in [first, *({"es", "ht"} - {first}), "es", "ht"]:
        response = visit(language)
        if language == "es":
            assert response.status_code == 200 and b'<html lang="es"' in response.content
        else:
            assert (response.status_code, response["Location"]) == (302, "/ht/consultas/")
    # The Spanish page was in the cache all along; the Kreyòl page is its own.
    assert caches["pages"]._cache
    response = kreyol.get("/ht/consultas/", **KREYOL_BROWSER)
    assert response.status_code == 200 and b'<html lang="ht"' in response.content


def test_signing_in_makes_the_saved_language_the_browsers_choice(alice, password):
    alice.set_password(password)
    alice.save()
    verified(alice)
    client = browser(**{COOKIE: "es"})
    response = login(client, alice.email, password)
    assert response.status_code == 302
    assert client.cookies[COOKIE].value == "ht"


def test_saving_the_profile_makes_its_language_the_browsers_choice(bob):
    client = browser()
    client.force_login(verified(bob))
    form = ProfileForm(instance=bob.participant, user=bob)
    data = {name: value for name in form.fields if (value := form[name].value()) not in (None, "", [])}
    data.update(name=bob.name, preferred_language="en")
    response = client.post("/cuenta/perfil/", data)
    assert response.status_code == 302 and response["Location"] == "/en/cuenta/perfil/"
    assert client.cookies[COOKIE].value == "en"


def test_country_names_read_in_kreyol():
    with translation.override("ht"):
        names = dict(countries)
        assert names["VE"] == "Venezyela" and names["HT"] == "Ayiti" and names["CO"] == "Kolonbi"
        assert countries.name("DO") == "Repiblik Dominikèn"
    with translation.override("es"):
        assert dict(countries)["HT"] == "Haití"
    with translation.override("en"):
        assert dict(countries)["HT"] == "Haiti"
