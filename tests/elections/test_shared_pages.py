"""The elections and the registry on shared pages: the home page's "open now" and the sitemap."""

import pytest

from tests.elections.factories import election_at

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_an_open_vote(voting, client):
    page = client.get("/").content.decode()
    assert str(voting) in page and voting.get_absolute_url() in page


def test_the_home_page_does_not_show_a_draft(client):
    draft = election_at("voting")
    assert draft.get_absolute_url() not in client.get("/").content.decode()


def test_the_sitemap_lists_the_registry_and_the_elections(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/cosoc/organizaciones/" in sitemap and "/cosoc/elecciones/" in sitemap
