from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from engine import open_now, whats_new
from engine.mechanisms import MECHANISMS, Mechanism
from transparency.models import SocialChannel

pytestmark = pytest.mark.django_db


def test_home_presents_the_four_mechanisms(client):
    content = client.get("/").content.decode()
    for path in ("/informacion/", "/cosoc/", "/cuenta-publica/", "/consultas/"):
        assert f'href="{path}"' in content
    assert "Ley 20.500" in content


def test_home_in_kreyol_links_to_kreyol_pages(client):
    content = client.get("/ht/").content.decode()
    for path in ("/ht/informacion/", "/ht/cosoc/", "/ht/cuenta-publica/", "/ht/consultas/"):
        assert f'href="{path}"' in content


def test_home_says_when_nothing_is_open(client):
    with translation.override("es"):
        assert "Ahora no hay procesos abiertos" in client.get("/").content.decode()


def test_open_now_blocks_come_from_registered_providers(client):
    def provider(request):
        return [
            open_now.OpenNowItem(
                title="Consulta <b>PNM</b>",
                url="/consultas/1/",
                mechanism="Consultas",
                closes_on=date(2026, 12, 14),
            ),
            open_now.OpenNowItem(
                title="Cuenta pública 2026",
                url="/cuenta-publica/2026/",
                mechanism="Cuenta",
                closes_on=date(2026, 12, 1),
            ),
        ]

    open_now.register(provider)
    try:
        content = client.get("/").content.decode()
    finally:
        open_now.unregister(provider)
    assert "Nothing" not in content and "Ahora no hay procesos abiertos" not in content
    # Closest deadline first; titles are escaped.
    assert content.index("Cuenta pública 2026") < content.index("Consulta &lt;b&gt;PNM&lt;/b&gt;")
    assert "14 de diciembre de 2026" in content


@pytest.mark.parametrize("path", ["/cuenta-publica/", "/en/cuenta-publica/"])
def test_static_mechanism_pages_need_no_database_query(client, django_assert_num_queries, path):
    client.get(path)  # the footer's social channels are read once, then cached (transparency)
    with django_assert_num_queries(0):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/", "/ht/"])
def test_home_open_now_block_is_cached(client, django_assert_num_queries, path):
    # The first visitor builds the "open now" block (one query per provider); the next ones reuse it.
    client.get(path)
    with django_assert_num_queries(0):
        assert client.get(path).status_code == 200


def test_unknown_page_is_a_translated_404(client):
    response = client.get("/ht/no-existe/")
    assert response.status_code == 404
    assert b'<html lang="ht"' in response.content


def test_footer_names_the_legal_framework_and_social_channels(client, settings):
    content = client.get("/").content.decode()
    assert "Ley 20.500" in content and "Ley 21.325" in content and "Ministerio del Interior" in content
    channels = list(SocialChannel.objects.filter(is_active=True))
    assert len(channels) >= 5  # SERMIG's channels, kept by staff in admin
    for channel in channels:
        assert channel.url in content


def test_page_has_landmarks_and_skip_link(client):
    content = client.get("/").content.decode()
    assert content.index('class="skip-link" href="#main"') < content.index("<header")
    assert '<main id="main"' in content and "<footer" in content
    assert "https://cdn" not in content and "googleapis" not in content


def test_every_mechanism_has_its_page_entry_once():
    assert [info.mechanism for info in MECHANISMS] == list(Mechanism)


def test_whats_new_merges_every_providers_newest_items_and_escapes_titles(client, settings):
    settings.WHATS_NEW_LIMIT = 2

    def older(limit):
        return [
            whats_new.NewsItem(
                title="Acta aprobada",
                url="/cosoc/1/",
                mechanism="COSOC",
                published_at=datetime(2026, 1, 5, tzinfo=UTC),
            )
        ]

    def newer(limit):
        return [
            whats_new.NewsItem(
                title=f"Presupuesto <i>{n}</i>",
                url=f"/informacion/{n}/",
                mechanism="Información",
                published_at=datetime(2026, 11, n, tzinfo=UTC),
            )
            for n in (1, 2)
        ][:limit]

    whats_new.register(older)
    whats_new.register(newer)
    try:
        content = client.get("/").content.decode()
    finally:
        whats_new.unregister(older)
        whats_new.unregister(newer)
    assert "Novedades" in content
    # The newest two across providers, newest first; the older one does not fit.
    assert content.index("Presupuesto &lt;i&gt;2&lt;/i&gt;") < content.index(
        "Presupuesto &lt;i&gt;1&lt;/i&gt;"
    )
    assert "Acta aprobada" not in content


def test_no_whats_new_section_without_news(client):
    assert 'id="whats-new-title"' not in client.get("/").content.decode()
