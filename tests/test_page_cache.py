"""Anonymous pages come from a page cache shared by every process; a cookie, a tracking link or a bogus session
cannot force a render, and nobody is ever served a page meant for someone else (sermig_portal/middleware.py)."""

import re

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client

from sermig_portal.cache import ResilientRedisCache, reset_circuits
from tests.consultations.factories import ConsultationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 30
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def visitor(**cookies) -> Client:
    browser = Client()
    for name, value in cookies.items():
        browser.cookies[name] = value
    return browser


def source(response) -> str:
    return response.headers.get("X-Page-Cache", "")


def test_anonymous_visitors_share_a_cached_page(client, page_cache, django_assert_num_queries):
    first = client.get("/informacion/")
    assert (first.status_code, source(first)) == (200, "miss")
    with django_assert_num_queries(0):
        again = visitor().get("/informacion/")
    assert source(again) == "hit"
    assert again.content == first.content
    # Browsers are told to ask again: only the server keeps the copy.
    assert again["Cache-Control"] == "no-cache"
    assert not again.has_header("Expires")


def test_each_language_has_its_own_copy(client, page_cache):
    assert b'lang="es"' in client.get("/cosoc/").content
    assert b'lang="ht"' in client.get("/ht/cosoc/").content
    assert b'lang="es"' in client.get("/cosoc/").content


def test_cookies_other_than_the_session_do_not_bypass_the_cache(page_cache):
    first = visitor().get("/informacion/")
    carrying = visitor(csrftoken="a" * 32, _ga="GA1.2.3.4", django_language="es", consent="yes")
    again = carrying.get("/informacion/")
    assert source(again) == "hit" and again.content == first.content


@pytest.mark.parametrize(
    "query", ["?fbclid=IwAR2xyz", "?utm_source=facebook&utm_medium=social", "?gclid=abc&mc_eid=42", "?x=1"]
)
def test_tracking_and_unread_parameters_reach_the_same_copy(page_cache, query):
    first = visitor().get("/informacion/")
    tracked = visitor().get("/informacion/" + query)
    assert source(tracked) == "hit" and tracked.content == first.content


def test_the_view_never_sees_tracking_parameters(page_cache):
    """A view that copies its query string into links (search's pagination) would otherwise put one
    visitor's click id in the page everyone else gets."""
    page = visitor().get("/buscar/?q=salud&fbclid=secret-click-id").content.decode()
    assert "secret-click-id" not in page


def test_parameters_the_view_reads_have_their_own_copies(page_cache):
    salud = visitor().get("/buscar/?q=salud")
    convivencia = visitor().get("/buscar/?q=convivencia")
    assert source(salud) == source(convivencia) == "miss"
    assert b'value="convivencia"' in convivencia.content
    again = visitor().get("/buscar/?q=salud&utm_campaign=boletin")
    assert source(again) == "hit" and again.content == salud.content


def test_an_unknown_session_cookie_counts_as_anonymous(page_cache):
    first = visitor().get("/informacion/")
    forged = visitor(sessionid="x" * 32).get("/informacion/")
    assert source(forged) == "hit" and forged.content == first.content


def test_signed_in_people_never_get_the_anonymous_copy_and_never_enter_it(client, page_cache, bob):
    visitor().get("/cuenta-publica/")  # an anonymous copy now exists
    client.force_login(bob)
    signed_in = client.get("/cuenta-publica/")
    content = signed_in.content.decode()
    assert source(signed_in) == ""
    assert "Mi cuenta" in content and "Ingresar" not in content
    # And what bob saw is not what the next anonymous visitor gets.
    caches["pages"].clear()
    client.get("/cuenta-publica/")
    anonymous = visitor().get("/cuenta-publica/")
    assert source(anonymous) == "miss" and "Mi cuenta" not in anonymous.content.decode()


def test_a_session_with_something_in_it_gets_a_fresh_page(page_cache):
    """An anonymous respondent's draft, a flash message: their pages are their own."""
    browser = visitor()
    session = browser.session
    session["consultation-draft"] = 7
    session.save()
    browser.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    visitor().get("/informacion/")
    assert source(browser.get("/informacion/")) == ""
    assert source(visitor(messages="pending").get("/informacion/")) == ""


CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_form_page_gives_each_visitor_their_own_csrf_token(page_cache):
    consultation = ConsultationFactory(slug="con-formulario")
    url = f"/consultas/{consultation.slug}/sin-cuenta/"
    consultation.allow_anonymous = True
    consultation.save()
    first, second = visitor(), visitor()
    one, two = first.get(url), second.get(url)
    assert one.status_code == two.status_code == 200
    assert source(one) == source(two) == ""  # never stored
    token_one, token_two = CSRF_FIELD.search(one.content).group(1), CSRF_FIELD.search(two.content).group(1)
    assert token_one != token_two
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_pages_marked_never_cache_are_not_stored(client, page_cache, bob):
    client.force_login(bob)
    assert client.get("/cuenta/perfil/")["Cache-Control"].startswith("max-age=0")
    assert source(visitor().get("/salud/")) == ""
    assert source(visitor().get("/salud/")) == ""


def test_page_cache_is_off_when_seconds_is_zero(settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 0
    visitor().get("/informacion/")
    assert source(visitor().get("/informacion/")) == ""


def test_the_page_cache_is_shared_by_every_process_when_redis_is_configured(redis_url):
    assert isinstance(caches["pages"], ResilientRedisCache)
    assert settings.CACHES["pages"]["LOCATION"] == redis_url
    assert settings.CACHES["pages"]["KEY_PREFIX"] != settings.CACHES["default"]["KEY_PREFIX"]


def test_with_redis_unreachable_pages_are_rendered_as_misses(settings, redis_url):
    settings.CACHE_MIDDLEWARE_SECONDS = 30
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            **settings.CACHES["pages"],
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2, "retry_after": 5},
        },
    }
    reset_circuits()
    try:
        for _ in range(2):
            response = visitor().get("/informacion/")
            assert response.status_code == 200 and source(response) == "miss"
    finally:
        reset_circuits()


def test_a_parameter_the_view_does_not_read_never_enters_the_shared_copy(page_cache):
    """The language buttons repeat the address: on a kept page only with what the view read."""
    planted = visitor().get("/informacion/?nota=planted-by-a-stranger")
    assert b"planted-by-a-stranger" not in planted.content
    assert b"planted-by-a-stranger" not in visitor().get("/informacion/").content
    search = visitor().get("/buscar/?q=salud&nota=planted").content.decode()
    assert "planted" not in search and "q%3Dsalud" in search  # the buttons keep the search
