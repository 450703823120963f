"""What a person sees and does on a phone: the header and account menus collapse (and still work by keyboard
and without JavaScript); on a questionnaire page the error summary takes the focus after a refused answer and
a question that depends on an option of the same page appears and disappears as the person answers."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.test_consultation_journeys import (
    Questionnaire,
    log_in_browser,
    make_citizen,
    press,
    question_box,
    step_path,
)
from tests.helpers import LISTEN_FOR_CSP_VIOLATIONS, VIEWPORTS, assert_no_csp_violations

PHONE_HEIGHT = VIEWPORTS["phone"]["height"]


def heading_on_first_screen(page: Page) -> bool:
    box = page.get_by_role("heading", level=1).first.bounding_box()
    return box is not None and box["y"] + box["height"] <= PHONE_HEIGHT


def test_the_phone_menu_is_one_button_that_opens_by_keyboard(live_server, new_context):
    page = new_context(viewport=VIEWPORTS["phone"]).new_page()
    page.goto(live_server.url + "/consultas/")
    menu = page.locator("header details.site-menu")
    link = menu.locator('nav.main-nav a[href="/informacion/"]')
    expect(link).to_be_hidden()
    assert heading_on_first_screen(page)
    header = page.locator("header").bounding_box()
    # It took ~450 of 740 px; now a third at most, with the search box and the language buttons on it.
    assert header is not None and header["height"] <= PHONE_HEIGHT / 3

    menu.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(link).to_be_visible()
    expect(menu.locator("nav.account-links a").first).to_be_visible()  # sign-in links live in the menu
    page.keyboard.press("Tab")
    expect(menu.locator("nav.main-nav a").first).to_be_focused()


def test_on_a_desktop_the_menu_is_an_open_bar(live_server, page: Page):
    page.goto(live_server.url + "/consultas/")
    expect(page.locator('header nav.main-nav a[href="/informacion/"]')).to_be_visible()
    expect(page.locator("header details.site-menu > summary")).to_be_hidden()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_without_javascript_the_menus_still_work(live_server, new_context, viewport):
    page = new_context(viewport=VIEWPORTS[viewport], java_script_enabled=False).new_page()
    page.goto(live_server.url + "/consultas/")
    link = page.locator('header nav.main-nav a[href="/informacion/"]')
    if viewport == "phone":
        expect(link).to_be_hidden()
        page.locator("header details.site-menu > summary").click()
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_on_a_phone_the_account_menu_does_not_push_the_heading_away(live_server, new_context, db):
    context = new_context(viewport=VIEWPORTS["phone"], locale="ht")
    log_in_browser(context, live_server, make_citizen())
    page = context.new_page()
    page.goto(live_server.url + "/ht/cuenta/mis-datos/")
    assert heading_on_first_screen(page)
    account_menu = page.locator("main details.account-menu")
    expect(account_menu.locator('a[href="/ht/cuenta/perfil/"]')).to_be_hidden()
    account_menu.locator("summary").click()
    expect(account_menu.locator('a[href="/ht/cuenta/perfil/"]')).to_be_visible()


@pytest.fixture
def answering(live_server, new_context: Callable[..., BrowserContext], db):
    """A Kreyòl citizen on section 1 of the journeys' questionnaire, on a phone, watched for CSP violations."""

    def open_page(*, javascript: bool = True) -> tuple[Page, Questionnaire, list[str]]:
        q = Questionnaire()
        context = new_context(viewport=VIEWPORTS["phone"], locale="ht", java_script_enabled=javascript)
        log_in_browser(context, live_server, make_citizen())
        context.add_init_script(LISTEN_FOR_CSP_VIOLATIONS)
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
        page.goto(live_server.url + step_path(q.consultation, 1))
        return page, q, console

    return open_page


def test_a_question_of_the_same_page_appears_with_its_option(answering):
    page, q, console = answering()
    companions = question_box(page, q.companions)
    expect(companions).to_be_hidden()
    page.get_by_role("radio", name="Fanmi", exact=True).check()
    expect(companions).to_be_visible()
    companions.locator("input").fill("Ak pitit mwen")
    page.get_by_role("radio", name="Travay", exact=True).check()
    expect(companions).to_be_hidden()
    expect(companions.locator("input")).to_be_disabled()  # hidden, it is not sent
    assert_no_csp_violations(page, console)


def test_without_javascript_the_question_is_shown_with_its_condition(answering):
    page, q, _console = answering(javascript=False)
    expect(question_box(page, q.companions)).to_be_visible()
    page.get_by_role("radio", name="Travay", exact=True).check()
    press(page, "next")  # the server decides: the question was not for this person
    expect(page).to_have_url(re.compile(re.escape(step_path(q.consultation, 2)) + "$"))


def test_after_a_refused_answer_the_error_summary_has_the_focus(answering):
    page, q, console = answering()
    press(page, "next")  # the required question is unanswered
    summary = page.locator("main .error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert_no_csp_violations(page, console)
