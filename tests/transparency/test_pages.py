"""The public pages: the list with its filters and pages, a publication with its summary first, dates,
versions, attachments and budget table, and the channels."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from engine.models import Topic
from tests.helpers import verified
from tests.transparency.factories import (
    AttachmentFactory,
    BudgetRowFactory,
    PublicationFactory,
    SocialChannelFactory,
    published_days_ago,
)
from transparency import services
from transparency.models import PublicationType
from transparency.views import CSRF_PLACEHOLDER

pytestmark = pytest.mark.django_db


def titles(content: str, prefix: str = "Publicación") -> list[str]:
    return [line.split("</a>")[0].split(">")[-1] for line in content.split("<h3>")[1:] if prefix in line]


def test_filters_by_type_topic_and_year(client):
    topic = Topic.objects.first()
    PublicationFactory(title="Presupuesto vigente", type=PublicationType.BUDGET, topics=[topic])
    PublicationFactory(title="Política vigente", type=PublicationType.POLICY)
    old = PublicationFactory(title="Plan antiguo", type=PublicationType.PLAN)
    old.published_on = old.updated_on = date(2023, 5, 1)
    old.save()
    page = lambda query: client.get(f"/informacion/?{query}").content.decode()  # noqa: E731
    assert "Presupuesto vigente" in page("tipo=budget") and "Política vigente" not in page("tipo=budget")
    assert "Presupuesto vigente" in page(f"tema={topic.slug}") and "Plan antiguo" not in page(
        f"tema={topic.slug}"
    )
    assert "Plan antiguo" in page("anio=2023") and "Política vigente" not in page("anio=2023")
    assert '<option value="2023">2023</option>' in page("")


@pytest.mark.parametrize(
    "query",
    ["tipo=nada", "tema=%3Cscript%3E", "anio=dosmil", "anio=99999999999999", "pagina=-1", "pagina=abc",
     "tipo[]=x", "anio=2024%00", "tema=" + "x" * 3000],
)  # fmt: skip
def test_unknown_filter_values_are_ignored_without_error(client, query):
    PublicationFactory(title="Siempre visible")
    response = client.get(f"/informacion/?{query}")
    assert response.status_code == 200
    assert "Siempre visible" in response.content.decode()


def test_the_list_has_pages_of_twenty_that_keep_the_filters(client):
    for _ in range(25):
        PublicationFactory(type=PublicationType.NEWS)
    first = client.get("/informacion/?tipo=news").content.decode()
    assert first.count('class="card"') == 20
    assert 'href="?tipo=news&amp;pagina=2"' in first
    second = client.get("/informacion/?tipo=news&pagina=2").content.decode()
    assert second.count('class="card"') == 5


def test_a_publication_shows_its_summary_first_then_dates_and_body(client):
    publication = published_days_ago(30, title="Política Nacional de Migración y Extranjería")
    services.publication_update(publication=publication, change_note="Se agrega el capítulo de niñez.")
    content = client.get(publication.get_absolute_url()).content.decode()
    main = content[content.index("<h1>") :]
    assert main.index("En pocas palabras") < main.index("Publicada el") < main.index("El texto completo.")
    assert "Última actualización" in main
    assert "Se agrega el capítulo de niñez." in main and "Primera publicación." in main
    assert reverse("transparency:version", kwargs={"slug": publication.slug, "number": 1}) in main


def test_an_earlier_version_is_readable_and_says_it_is_not_current(client):
    publication = PublicationFactory()
    publication.summary = publication.summary_es = "El resumen nuevo."
    services.publication_update(publication=publication, change_note="Cambia el resumen.")
    earlier = client.get(reverse("transparency:version", kwargs={"slug": publication.slug, "number": 1}))
    assert "Un resumen corto, en palabras simples." in earlier.content.decode()
    assert "Ya no está vigente" in earlier.content.decode()
    missing = client.get(reverse("transparency:version", kwargs={"slug": publication.slug, "number": 9}))
    assert missing.status_code == 404


def test_attachments_show_type_size_and_description_and_download(client):
    attachment = AttachmentFactory(title="Texto oficial", description="Decreto completo, 12 páginas.")
    content = client.get(attachment.publication.get_absolute_url()).content.decode()
    assert "Texto oficial" in content and "Decreto completo, 12 páginas." in content
    assert "(PDF," in content
    response = client.get(attachment.get_download_url())
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_budget_is_an_accessible_table_with_totals_and_downloads(client):
    row = BudgetRowFactory(program="Regularización", budget=Decimal(3_000_000), executed=Decimal(1_000_000))
    BudgetRowFactory(publication=row.publication, program='=HYPERLINK("https://evil")', budget=0, executed=0)
    content = client.get(row.publication.get_absolute_url()).content.decode()
    assert '<th scope="row">Regularización</th>' in content and "33,3 %" in content
    assert "<caption>" in content and '<th scope="col">Ejecución</th>' in content
    csv_response = client.get(
        reverse("transparency:budget", kwargs={"slug": row.publication.slug, "fmt": "csv"})
    )
    lines = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert lines[0] == ["Programa", "Presupuesto (pesos)", "Ejecutado (pesos)", "Ejecución (%)"]
    assert lines[1] == ["Regularización", "3000000", "1000000", "33.3"]
    assert lines[2][0].startswith("'=")  # a formula is written as text
    assert lines[-1] == ["Total", "3000000", "1000000", "33.3"]
    xlsx = client.get(reverse("transparency:budget", kwargs={"slug": row.publication.slug, "fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [cell.value for cell in sheet[2]] == ["Regularización", 3000000, 1000000, 33.3]
    assert (
        client.get(
            reverse("transparency:budget", kwargs={"slug": row.publication.slug, "fmt": "pdf"})
        ).status_code
        == 404
    )


def test_a_publication_without_budget_rows_has_no_budget_download(client):
    publication = PublicationFactory()
    assert (
        client.get(
            reverse("transparency:budget", kwargs={"slug": publication.slug, "fmt": "csv"})
        ).status_code
        == 404
    )


def test_channels_are_on_the_register_and_in_every_footer_and_follow_admin_changes(client):
    channel = SocialChannelFactory(name="Mastodon SERMIG", url="https://mastodon.example/@sermig")
    services.social_channels_changed()
    assert "https://mastodon.example/@sermig" in client.get("/informacion/").content.decode()
    assert "https://mastodon.example/@sermig" in client.get("/consultas/").content.decode()
    services.social_channel_delete(channel=channel)
    services.social_channels_changed()
    assert "https://mastodon.example/@sermig" not in client.get("/").content.decode()


def test_the_register_links_to_the_active_transparency_portal_feeds_and_open_data(client, settings):
    content = client.get("/informacion/").content.decode()
    assert settings.TRANSPARENCY_ACTIVE_TRANSPARENCY_URL in content
    assert reverse("transparency:feed-rss") in content and reverse("transparency:open-data") in content


def test_each_language_shows_its_translation(client):
    publication = PublicationFactory(
        title="Plan de acogida", title_ht="Plan akèy", title_en="Reception plan", summary_en="Plain summary."
    )
    path = publication.get_absolute_url()
    english = client.get(f"/en{path}").content.decode()
    assert "Reception plan" in english and "Plain summary." in english
    assert "Plan akèy" in Client().get(f"/ht{path}").content.decode()


def reader(user) -> Client:
    """A signed-in browser that sends its CSRF token like a real one (the test client skips the check)."""
    browser = Client(enforce_csrf_checks=True)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    browser.force_login(verified(user))
    return browser


def test_the_shared_list_page_keeps_each_readers_follow_buttons_and_token(client, settings, alice, bob):
    settings.FRAGMENT_CACHE_SECONDS = 30  # the part around the list is shared, as in production
    services.publication_type_follow(user=alice, type=PublicationType.BUDGET)
    alice_page = reader(alice).get("/informacion/").content.decode()
    bob_browser = reader(bob)
    bob_page = bob_browser.get("/informacion/").content.decode()
    assert "Presupuestos: lo sigue" in alice_page and "Seguir: Presupuestos" not in alice_page
    assert "Seguir: Presupuestos" in bob_page and "lo sigue" not in bob_page
    assert CSRF_PLACEHOLDER not in alice_page + bob_page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', bob_page)[1]
    follow = reverse("transparency:follow-type", kwargs={"type": PublicationType.BUDGET})
    assert bob_browser.post(follow, {"csrfmiddlewaretoken": token}).status_code == 302
    assert "Presupuestos: lo sigue" in bob_browser.get("/informacion/").content.decode()
    anonymous = client.get("/informacion/").content.decode()
    assert "csrfmiddlewaretoken" not in anonymous and 'href="/cuenta/login/?next=/informacion/"' in anonymous
