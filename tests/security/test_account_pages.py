"""Issue 11, item 8: every page of the account menu opens for a signed-in person (``/cuenta/sessions/`` was a 500
for everyone: allauth's template loads ``humanize``), with or without a second factor, in every language."""

import re

import pytest

from participants.demo import DEMO_PASSWORD
from tests.helpers import enable_mfa
from tests.security.conftest import sign_in

pytestmark = pytest.mark.django_db
MENU = re.compile(r'<nav class="account-nav".*?</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"')


def menu_links(client, prefix: str) -> list[str]:
    page = client.get(f"{prefix}/cuenta/perfil/")
    assert page.status_code == 200
    [menu] = MENU.findall(page.content.decode())
    return LINK.findall(menu)


def open_page(client, url: str):
    """GET a menu page; one that guards something (deleting the account) first asks for the password again."""
    response = client.get(url)
    if response.status_code == 302 and "/cuenta/reauthenticate/" in response["Location"]:
        assert client.get(response["Location"]).status_code == 200
        confirmed = client.post(response["Location"], {"password": DEMO_PASSWORD})
        assert confirmed.status_code == 302 and confirmed["Location"] == url
        response = client.get(url)
    return response


@pytest.mark.parametrize("with_mfa", [False, True], ids=["without-mfa", "with-mfa"])
@pytest.mark.parametrize("prefix", ["", "/ht", "/en"])
def test_every_account_menu_page_opens(client, citizen, with_mfa, prefix):
    if with_mfa:
        enable_mfa(citizen)
    sign_in(client, citizen)
    links = menu_links(client, prefix)
    assert f"{prefix}/cuenta/sessions/" in links
    # The account's own eight pages, and the public account's "my questions" (participants.account_menu).
    assert f"{prefix}/cuenta-publica/mis-preguntas/" in links
    assert len(links) == 9
    for url in links:
        response = open_page(client, url)
        assert response.status_code == 200, url
        # The page is one of the menu's and says so.
        assert f'href="{url}" aria-current="page"' in response.content.decode(), url


def test_the_sessions_page_lists_this_session(client, citizen):
    sign_in(client, citizen)
    page = client.get("/cuenta/sessions/")
    assert page.status_code == 200
    [listed] = page.context["sessions"]
    assert listed.session_key == client.session.session_key


def test_account_menu_pages_send_visitors_to_sign_in(client, citizen):
    client.force_login(citizen)
    links = menu_links(client, "")
    client.logout()
    for url in links:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/cuenta/login/" in response["Location"], url
