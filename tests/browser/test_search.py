"""The site-wide search in a real browser, at 360 px and 1280 px, in Spanish and in English.

A reader types "migracion" (no accent) in the header's search box of the home page and finds the consultation
titled "Migración y trabajo", the word marked. An English reader finds it too: the English text says
"Migration", so the Spanish text is what matched; it is labelled Spanish and links to the English page.
axe-core must find no serious or critical violation on the home page, the results and the empty search page.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.consultations.factories import ConsultationFactory

PREFIXES = {"es": "", "en": "/en"}


@pytest.fixture
def migration_consultation(db):
    return ConsultationFactory(
        slug="migracion-trabajo",
        title="Migración y trabajo",
        title_en="Migration and work",
        summary="Cómo la migración cambia el trabajo en Chile.",
        summary_en="How migration changes work in Chile.",
    )


def no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"horizontal scroll: scrollWidth, innerWidth = {widths}"


@pytest.mark.parametrize("language", list(PREFIXES))
def test_a_search_from_the_header_finds_accented_results(
    live_server, sized_page: Page, viewport, assert_accessible, migration_consultation, language
):
    prefix = PREFIXES[language]
    page = sized_page
    page.goto(f"{live_server.url}{prefix}/")
    header_search = page.locator("header form[role=search]")
    expect(header_search).to_be_visible()
    assert_accessible(page)
    no_horizontal_scroll(page)

    header_search.get_by_role("searchbox").fill("migracion")
    header_search.get_by_role("button").click()

    expect(page).to_have_url(re.compile(re.escape(f"{live_server.url}{prefix}/buscar/?q=migracion") + "$"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    results = page.locator("ol.search-results > li")
    expect(results).to_have_count(1)
    title = results.first.locator("h3")
    expect(title).to_have_attribute("lang", "es")
    expect(title.locator("mark")).to_have_text("Migración")
    link = title.get_by_role("link")
    expect(link).to_have_attribute("href", f"{prefix}/consultas/migracion-trabajo/")
    assert_accessible(page)
    no_horizontal_scroll(page)

    link.click()
    expect(page).to_have_url(f"{live_server.url}{prefix}/consultas/migracion-trabajo/")
    heading = "Migración y trabajo" if language == "es" else "Migration and work"
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


@pytest.mark.parametrize("language", list(PREFIXES))
def test_the_empty_search_page_is_accessible(
    live_server, sized_page: Page, viewport, assert_accessible, language
):
    page = sized_page
    response = page.goto(f"{live_server.url}{PREFIXES[language]}/buscar/")
    assert response is not None and response.status == 200
    expect(page.locator("main form[role=search]")).to_be_visible()
    assert_accessible(page)
    no_horizontal_scroll(page)
