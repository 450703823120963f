"""The layout around every page (head links, header, footer) is rendered once per language, page and signed in
or not, and kept in each process (sermig_portal/layout.py). A stored copy must give every reader exactly the
page they would get without it: their own CSRF token, their own state, the links of the page they are on."""

import re

import pytest
from django.core.cache import caches
from django.test import Client

from tests.consultations.factories import ConsultationFactory
from tests.factories import UserFactory
from transparency.models import SocialChannel

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def kept_layout(settings):
    settings.FRAGMENT_CACHE_SECONDS = 30
    caches["layout"].clear()
    yield caches["layout"]
    caches["layout"].clear()


def signed_in(user) -> Client:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    return browser


def without_tokens(html: bytes) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value="…"', html.decode())


@pytest.fixture
def carla(db):
    """A signed-in reader of Spanish pages."""
    return UserFactory(email="carla@example.org", preferred_language="es")


@pytest.mark.parametrize("path", ["/", "/consultas/", "/ht/cosoc/", "/en/informacion/", "/cuenta/perfil/"])
def test_a_kept_layout_gives_the_page_a_fresh_render_gives(path, carla, settings):
    SocialChannel.objects.create(name="Mastodon SERMIG", url="https://mastodon.example/@sermig")
    browser = signed_in(carla)
    settings.FRAGMENT_CACHE_SECONDS = 0
    fresh = browser.get(path)
    assert fresh.status_code == 200
    settings.FRAGMENT_CACHE_SECONDS = 30
    browser.get(path)  # renders and keeps the layout
    kept = browser.get(path)
    assert without_tokens(kept.content) == without_tokens(fresh.content)


def test_each_reader_gets_their_own_csrf_token_and_can_sign_out(kept_layout, carla, bob):
    carlas, bobs = signed_in(carla), signed_in(bob)
    carlas.get("/consultas/")
    page = bobs.get("/consultas/")
    assert len(kept_layout._cache) >= 3  # head, header and footer were kept
    (token,) = TOKEN.findall(page.content.decode())
    # The token in Bob's page is good for Bob's browser (it matches his CSRF cookie): the logout form works.
    signed_out = bobs.post("/cuenta/logout/", {"csrfmiddlewaretoken": token})
    assert signed_out.status_code == 302
    assert "_auth_user_id" not in bobs.session


def test_a_visitor_never_gets_a_signed_in_header(kept_layout, carla):
    assert "Salir" in signed_in(carla).get("/cosoc/").content.decode()
    visitor = Client().get("/cosoc/").content.decode()
    assert "Salir" not in visitor and "Ingresar" in visitor and "csrfmiddlewaretoken" not in visitor


def test_each_page_keeps_its_own_language_links_and_current_menu_item(kept_layout, carla):
    browser = signed_in(carla)
    cosoc = browser.get("/cosoc/").content.decode()
    consultations = browser.get("/consultas/").content.decode()
    assert 'href="/ht/cosoc/"' in cosoc and 'href="/ht/consultas/"' not in cosoc
    assert 'href="/ht/consultas/"' in consultations
    assert re.search(r'href="/cosoc/" aria-current="page"', cosoc)
    assert re.search(r'href="/consultas/" aria-current="page"', consultations)
    assert not re.search(r'href="/cosoc/" aria-current="page"', consultations)


def test_each_language_has_its_own_layout(kept_layout, carla):
    browser = signed_in(carla)
    assert "Buscar en el portal" in browser.get("/cosoc/").content.decode()
    kreyol = browser.get("/ht/cosoc/").content.decode()
    assert "Buscar en el portal" not in kreyol and 'lang="ht"' in kreyol


def test_a_signed_in_home_page_is_built_from_kept_parts(kept_layout, carla, django_assert_num_queries):
    ConsultationFactory(title="Consulta abierta de prueba")
    browser = signed_in(carla)
    first = browser.get("/")
    # Once kept, only the reader is looked up: the layout and the home's lists come from their copies.
    with django_assert_num_queries(1):
        again = browser.get("/")
    assert without_tokens(again.content) == without_tokens(first.content)
