"""The portal's shell in a real browser: language, skip link, header navigation, axe-core, reflow.

Translated body text is not asserted (translations change independently); URLs, ``<html lang>``,
ARIA state and layout are.
"""

import re

import pytest
from playwright.sync_api import Page, expect

# The header's four mechanisms of Law 20.500: Spanish link text and path without language prefix.
MECHANISMS = [
    ("Información relevante", "/informacion/"),
    ("COSOC", "/cosoc/"),
    ("Cuenta pública", "/cuenta-publica/"),
    ("Consultas", "/consultas/"),
]
PAGES = ["/", *(path for _name, path in MECHANISMS)]
# Spanish has no prefix; Kreyòl is /ht/….
PREFIXES = {"es": "", "ht": "/ht"}


def exact_url(live_server, path: str) -> re.Pattern:
    return re.compile("^" + re.escape(live_server.url + path) + "$")


def main_nav(page: Page):
    return page.locator("header nav.main-nav")


def has_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def assert_styled(page: Page) -> None:
    """Layout and contrast checks mean nothing on an unstyled page: portal.css must have loaded."""
    loaded = page.evaluate(
        "[...document.styleSheets].some(s => s.href && s.href.endsWith('/css/portal.css') && s.cssRules.length > 0)"
    )
    assert loaded, f"portal.css did not load on {page.url}"


def test_home_in_spanish(live_server, page: Page):
    page.goto(live_server.url + "/")

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    nav = main_nav(page)
    for name, path in MECHANISMS:
        expect(nav.get_by_role("link", name=name, exact=True)).to_have_attribute("href", path)


def test_skip_link_is_first_and_moves_focus_to_main(live_server, page: Page):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # shown on focus, not only to screen readers
    expect(skip_link).to_have_attribute("href", "#main")

    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'", timeout=2000)
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.evaluate("location.hash") == "#main"


def test_language_switcher_keeps_the_page(live_server, page: Page):
    page.goto(live_server.url + "/cosoc/")
    switcher = page.locator("header nav.language-switcher")
    expect(switcher.locator('a[hreflang="es"]')).to_have_attribute("aria-current", "true")

    switcher.get_by_role("link", name="Kreyòl ayisyen").click()
    expect(page).to_have_url(exact_url(live_server, "/ht/cosoc/"))
    expect(page.locator("html")).to_have_attribute("lang", "ht")
    expect(switcher.locator('a[hreflang="ht"]')).to_have_attribute("aria-current", "true")
    expect(switcher.locator('a[aria-current="true"]')).to_have_count(1)

    switcher.get_by_role("link", name="English").click()
    expect(page).to_have_url(exact_url(live_server, "/en/cosoc/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(switcher.locator('a[hreflang="en"]')).to_have_attribute("aria-current", "true")
    expect(switcher.locator('a[aria-current="true"]')).to_have_count(1)


@pytest.mark.parametrize("language", list(PREFIXES))
def test_header_links_reach_each_mechanism(live_server, page: Page, language: str):
    prefix = PREFIXES[language]
    for name, path in MECHANISMS:
        page.goto(f"{live_server.url}{prefix}/")
        nav = main_nav(page)
        # Spanish link text is known; in Kreyòl the text is translated, so the link is found by its target.
        if language == "es":
            link = nav.get_by_role("link", name=name, exact=True)
        else:
            link = nav.locator(f'a[href="{prefix}{path}"]')
        link.click()

        expect(page).to_have_url(exact_url(live_server, prefix + path))
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(nav.locator(f'a[href="{prefix}{path}"]')).to_have_attribute("aria-current", "page")


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("language", list(PREFIXES))
def test_pages_are_accessible_and_reflow(
    live_server, sized_page: Page, viewport, assert_accessible, language, path
):
    response = sized_page.goto(f"{live_server.url}{PREFIXES[language]}{path}")
    assert response is not None and response.status == 200
    expect(sized_page.locator("html")).to_have_attribute("lang", language)
    assert_styled(sized_page)

    assert_accessible(sized_page)
    if viewport["name"] == "phone":
        widths = sized_page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert not has_horizontal_scroll(sized_page), (
            f"horizontal scroll at 360 px: scrollWidth, innerWidth = {widths}"
        )


@pytest.mark.parametrize("path", ["/", "/consultas/"])
def test_reflows_at_200_percent_zoom(live_server, zoomed_page: Page, path: str):
    zoomed_page.goto(live_server.url + path)
    assert_styled(zoomed_page)

    widths = zoomed_page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert not has_horizontal_scroll(zoomed_page), f"horizontal scroll at 200 % zoom: {widths}"
    nav = main_nav(zoomed_page)
    for name, _path in MECHANISMS:
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
