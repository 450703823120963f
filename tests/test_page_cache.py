"""Anonymous pages are served from a short page cache; anyone with a session always gets a fresh page."""

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 30
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def test_anonymous_visitors_share_a_cached_page(client, page_cache, django_assert_num_queries):
    first = client.get("/informacion/")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get("/informacion/")
    assert again.content == first.content
    # Browsers are told to ask again: only the server keeps the copy.
    assert again["Cache-Control"] == "no-cache"
    assert not again.has_header("Expires")


def test_each_language_has_its_own_copy(client, page_cache):
    assert b'lang="es"' in client.get("/cosoc/").content
    assert b'lang="ht"' in client.get("/ht/cosoc/").content


def test_logged_in_people_always_get_a_fresh_page(client, page_cache, bob):
    client.get("/cuenta-publica/")  # an anonymous copy now exists
    client.force_login(bob)  # a Spanish reader: the page stays at its address
    content = client.get("/cuenta-publica/").content.decode()
    assert "Mi cuenta" in content and "Ingresar" not in content


def test_pages_marked_never_cache_are_not_stored(client, page_cache, bob):
    client.force_login(bob)
    assert client.get("/cuenta/perfil/")["Cache-Control"].startswith("max-age=0")
    assert not caches["pages"]._cache  # nothing stored for a person with a session


def test_page_cache_is_off_when_seconds_is_zero(client, settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 0
    client.get("/informacion/")
    assert not caches["pages"]._cache
