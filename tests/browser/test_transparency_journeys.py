"""The register in a real browser, at 360 px and 1280 px, in Spanish and English: a visitor filters by type,
opens a publication, downloads its attachment (type and size beside the link) and finds it again from the
header's search box by typing "migracion" without the accent. axe-core: no serious or critical violation."""

import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Page, expect

from tests import file_samples
from tests.transparency.factories import AttachmentFactory, BudgetRowFactory, PublicationFactory
from transparency.models import PublicationType

PREFIXES = {"es": "", "en": "/en"}


@pytest.fixture
def register(db, file_storage):
    policy = PublicationFactory(
        type=PublicationType.POLICY,
        slug="politica-nacional",
        title="Política Nacional de Migración",
        title_en="National Migration Policy",
        summary="Cómo Chile recibe a las personas migrantes.",
        summary_en="How Chile receives migrants.",
    )
    AttachmentFactory(
        publication=policy,
        title="Datos de la política",
        title_en="Policy data",
        description="Una tabla con las metas.",
        description_en="A table with the targets.",
        file=ContentFile(file_samples.CSV, name="metas.csv"),
        file_name="metas.csv",
    )
    BudgetRowFactory(program="Regularización", program_en="Regularisation")
    PublicationFactory(type=PublicationType.NEWS, title="Noticia de otro tipo")
    return policy


def no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"horizontal scroll: scrollWidth, innerWidth = {widths}"


@pytest.mark.parametrize("language", list(PREFIXES))
def test_filter_open_download_and_search(
    live_server, sized_page: Page, viewport, assert_accessible, register, language
):
    prefix = PREFIXES[language]
    page = sized_page
    page.goto(f"{live_server.url}{prefix}/informacion/")
    assert_accessible(page)
    no_horizontal_scroll(page)

    page.locator("#filter-type").select_option("policy")
    page.locator("main form").get_by_role("button").first.click()
    expect(page).to_have_url(re.compile(r"tipo=policy"))
    cards = page.locator("ul.card-list > li")
    expect(cards).to_have_count(1)
    title = "Política Nacional de Migración" if language == "es" else "National Migration Policy"
    cards.first.get_by_role("link").click()

    expect(page).to_have_url(f"{live_server.url}{prefix}/informacion/politica-nacional/")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    summary = page.locator("#summary-title")
    body_heading = page.locator("h2", has_text=re.compile("Detalle|Details"))
    assert summary.bounding_box()["y"] < body_heading.bounding_box()["y"]  # the plain summary comes first
    link_item = page.locator("#attachments-title + ul li").first
    expect(link_item).to_contain_text("CSV")
    assert_accessible(page)
    no_horizontal_scroll(page)
    with page.expect_download() as download:
        link_item.get_by_role("link").click()
    assert download.value.suggested_filename.endswith(".csv")

    header_search = page.locator("header form[role=search]")
    header_search.get_by_role("searchbox").fill("migracion")
    header_search.get_by_role("button").click()
    results = page.locator("ol.search-results > li")
    expect(results.first.get_by_role("link")).to_have_attribute(
        "href", f"{prefix}/informacion/politica-nacional/"
    )
    assert_accessible(page)
    no_horizontal_scroll(page)


def test_budget_table_versions_and_open_data_pages_are_accessible(
    live_server, sized_page: Page, viewport, assert_accessible, register
):
    page = sized_page
    budget = register.__class__.objects.get(type=PublicationType.BUDGET)
    for path in (
        budget.get_absolute_url(),
        "/informacion/politica-nacional/versiones/1/",
        "/informacion/datos/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        assert_accessible(page)
        no_horizontal_scroll(page)
