"""A person's whole account life in Kreyòl on a small phone, in a real browser.

Sign up, confirm the email address, fill the profile (first forgetting a consent box, then giving it),
download "everything you know about me" and delete the account. Every page on the way must pass
axe-core (no serious or critical violation) and reflow at 360 px.

Translated text is not asserted (translations change independently): URLs, ids, names, roles and
``<html lang>`` are.
"""

import json
import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import BrowserContext, Page, expect

from participants.models import Participant, User
from tests.helpers import BLOCKING_IMPACTS, VIEWPORTS, format_violations

EMAIL = "jean.baptiste@example.org"
PASSWORD = "Lakay-Solid-Pwoteje-2026!"  # 25 characters, not common, unlike the email
NAME = "Jean Baptiste"
REGION = "CL-RM"
SPOKEN_LANGUAGE = "ht"
GENDER_IDENTITY = "non_binary"

PREFIX = "/ht"
SIGNUP = f"{PREFIX}/cuenta/signup/"
LOGIN = f"{PREFIX}/cuenta/login/"
CONFIRM_EMAIL = f"{PREFIX}/cuenta/confirm-email/"
REAUTHENTICATE = f"{PREFIX}/cuenta/reauthenticate/"
PROFILE = f"{PREFIX}/cuenta/perfil/"
MY_DATA = f"{PREFIX}/cuenta/mis-datos/"
DELETE = f"{PREFIX}/cuenta/eliminar/"
DELETED = f"{PREFIX}/cuenta/eliminada/"
UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def url_re(live_server, path: str, query: str = "") -> re.Pattern:
    """The exact page ``path`` (a regex fragment) on the live server, with an optional query regex."""
    return re.compile("^" + re.escape(live_server.url) + path + (query or "") + "$")


def exact(path: str) -> str:
    return re.escape(path)


@pytest.fixture
def phone(new_context: Callable[..., BrowserContext]) -> Iterator[Page]:
    """A 360x740 page in a fresh context (its own cookies) that accepts downloads."""
    context = new_context(viewport=VIEWPORTS["phone"], accept_downloads=True)
    yield context.new_page()


@pytest.fixture
def check_page(axe) -> Callable[[Page], None]:
    """What every page of the journey must do: speak Kreyòl, pass axe-core and fit 360 px."""

    def check(page: Page) -> None:
        expect(page.locator("html")).to_have_attribute("lang", "ht")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        violations = [v for v in axe.run(page).response["violations"] if v["impact"] in BLOCKING_IMPACTS]
        if violations:
            pytest.fail(
                f"axe-core found serious/critical violations on {page.url}:\n{format_violations(violations)}"
            )
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"horizontal scroll at 360 px on {page.url}: {widths}"

    return check


def main_form(page: Page, action_suffix: str | None = None):
    """The page's form inside <main> (the header's logout form is outside it)."""
    if action_suffix:
        return page.locator(f'main form[action$="{action_suffix}"]')
    return page.locator('main form[method="post"]')


def submit(form) -> None:
    form.locator('button[type="submit"]').click()


def is_logged_in(page: Page) -> bool:
    return page.locator('header nav.account-links form[action$="/logout/"]').count() == 1


def messages_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def confirmation_path(message) -> str:
    """The confirmation link's path: the host in the email is whatever the request carried."""
    bodies = [message.body, *(content for content, _type in getattr(message, "alternatives", []))]
    for body in bodies:
        match = re.search(r"https?://[^\s\"'<>]+/cuenta/confirm-email/[^\s\"'<>]+", body)
        if match:
            url = urlsplit(match.group(0))
            return url.path + (f"?{url.query}" if url.query else "")
    raise AssertionError(f"no confirmation link in the email:\n{message.body}")


def values_for(data, key: str) -> list:
    """Every value stored under ``key`` anywhere in a JSON document."""
    found = []
    if isinstance(data, dict):
        for name, value in data.items():
            if name == key:
                found.append(value)
            found.extend(values_for(value, key))
    elif isinstance(data, list):
        for item in data:
            found.extend(values_for(item, key))
    return found


def sign_up_and_confirm(live_server, page: Page, check_page) -> None:
    page.goto(live_server.url + SIGNUP)
    check_page(page)
    form = main_form(page, "/cuenta/signup/")
    form.locator("#id_email").fill(EMAIL)
    form.locator("#id_password1").fill(PASSWORD)
    form.locator("#id_password2").fill(PASSWORD)
    submit(form)

    # "Check your inbox", still in Kreyòl.
    expect(page).to_have_url(url_re(live_server, exact(CONFIRM_EMAIL)))
    check_page(page)
    sent = messages_to(EMAIL)
    assert len(sent) == 1, f"expected one verification email, got {[m.subject for m in mail.outbox]}"
    path = confirmation_path(sent[0])
    assert path.startswith(CONFIRM_EMAIL), f"the confirmation link is not in Kreyòl: {path}"

    page.goto(live_server.url + path)
    expect(page).to_have_url(url_re(live_server, exact(path)))
    check_page(page)
    # Confirming takes a POST (ACCOUNT_CONFIRM_EMAIL_ON_GET is off): opening the link changed nothing.
    assert not User.objects.get(email=EMAIL).emailaddress_set.filter(verified=True).exists()
    submit(main_form(page))
    expect(page).not_to_have_url(url_re(live_server, exact(path)))
    assert User.objects.get(email=EMAIL).emailaddress_set.filter(email=EMAIL, verified=True).exists()


def log_in(live_server, page: Page, check_page) -> None:
    page.goto(live_server.url + LOGIN)
    check_page(page)
    form = main_form(page, "/cuenta/login/")
    form.locator("#id_login").fill(EMAIL)
    form.locator("#id_password").fill(PASSWORD)
    submit(form)
    expect(page).to_have_url(url_re(live_server, exact(PROFILE)))


def profile_needs_consent_then_saves(live_server, page: Page, check_page) -> None:
    page.goto(live_server.url + PROFILE)
    expect(page).to_have_url(url_re(live_server, exact(PROFILE)))
    check_page(page)

    page.locator("#id_name").fill(NAME)
    page.locator("#id_region").select_option(REGION)
    page.locator(f'input[name="languages"][value="{SPOKEN_LANGUAGE}"]').check()
    page.locator("#id_gender_identity").select_option(GENDER_IDENTITY)
    expect(page.locator("#id_consent_gender_identity")).not_to_be_checked()
    submit(main_form(page))

    # Refused: the same page, with the error next to the field and in a summary that links to it.
    expect(page).to_have_url(url_re(live_server, exact(PROFILE)))
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    link = summary.locator('a[href="#id_gender_identity"]')
    expect(link).to_have_count(1)
    gender_field = page.locator(".field", has=page.locator("#id_gender_identity"))
    expect(gender_field.locator(".field__error")).to_be_visible()
    # What was typed is kept, so nothing has to be filled in again.
    expect(page.locator("#id_name")).to_have_value(NAME)
    expect(page.locator("#id_gender_identity")).to_have_value(GENDER_IDENTITY)
    check_page(page)
    user = User.objects.get(email=EMAIL)
    assert user.name == "", "the refused form saved the name"
    assert not Participant.objects.filter(user=user).exclude(gender_identity="").exists()

    link.click()
    page.wait_for_function("location.hash === '#id_gender_identity'", timeout=2000)
    expect(page.locator("#id_gender_identity")).to_be_focused()

    page.locator("#id_consent_gender_identity").check()
    submit(main_form(page))
    # The form posts to the bare path, so the summary link's fragment does not survive the redirect.
    expect(page).to_have_url(url_re(live_server, exact(PROFILE)))
    saved = page.locator("main .messages .message--success")
    expect(saved).to_be_visible()
    expect(saved).to_be_in_viewport(timeout=2000)
    expect(page.get_by_role("alert")).to_have_count(0)
    check_page(page)

    page.reload()
    expect(page.locator("#id_name")).to_have_value(NAME)
    expect(page.locator("#id_region")).to_have_value(REGION)
    expect(page.locator(f'input[name="languages"][value="{SPOKEN_LANGUAGE}"]')).to_be_checked()
    expect(page.locator("#id_gender_identity")).to_have_value(GENDER_IDENTITY)
    expect(page.locator("#id_consent_gender_identity")).to_be_checked()
    expect(page.locator("#id_preferred_language")).to_have_value("ht")


def download_my_data(live_server, page: Page, check_page) -> None:
    page.goto(live_server.url + MY_DATA)
    check_page(page)
    expect(page.locator("main")).to_contain_text(EMAIL)
    submit(main_form(page, "/cuenta/mis-datos/copia/"))

    expect(page).to_have_url(url_re(live_server, exact(MY_DATA + "copia/") + UUID + "/"))
    check_page(page)
    with page.expect_download() as download_info:
        page.locator('main a[href$="/descargar/"]').click()
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    with open(download.path(), encoding="utf-8") as stream:
        text = stream.read()
    data = json.loads(text)
    assert EMAIL in values_for(data, "email"), f"the email is not in the download:\n{text}"
    assert GENDER_IDENTITY in values_for(data, "gender_identity"), text
    assert "gender_identity" in values_for(data, "attribute"), f"the consent is not in the download:\n{text}"


def delete_account(live_server, page: Page, check_page) -> None:
    page.goto(live_server.url + DELETE)
    # Deleting asks for the password again, even right after logging in.
    expect(page).to_have_url(url_re(live_server, exact(REAUTHENTICATE), r"\?next=.*"))
    check_page(page)
    form = main_form(page, "/cuenta/reauthenticate/")
    form.locator("#id_password").fill(PASSWORD)
    submit(form)

    expect(page).to_have_url(url_re(live_server, exact(DELETE)))
    check_page(page)
    # Without the confirmation box ticked nothing happens, and the summary says why.
    submit(main_form(page))
    expect(page).to_have_url(url_re(live_server, exact(DELETE)))
    expect(page.get_by_role("alert").locator('a[href="#id_confirm"]')).to_have_count(1)
    check_page(page)
    assert User.objects.filter(email=EMAIL).exists()

    sent_before = len(messages_to(EMAIL))
    page.locator("#id_confirm").check()
    submit(main_form(page))
    expect(page).to_have_url(url_re(live_server, exact(DELETED)))
    check_page(page)
    assert not is_logged_in(page)
    assert not User.objects.filter(email=EMAIL).exists()
    sent = messages_to(EMAIL)
    assert len(sent) == sent_before + 1, "no confirmation email after deleting the account"
    assert sent[-1].extra_headers.get("Content-Language") == "ht"


def cannot_log_in_again(live_server, page: Page, check_page) -> None:
    page.goto(live_server.url + LOGIN)
    check_page(page)
    form = main_form(page, "/cuenta/login/")
    form.locator("#id_login").fill(EMAIL)
    form.locator("#id_password").fill(PASSWORD)
    submit(form)

    expect(page).to_have_url(url_re(live_server, exact(LOGIN)))
    expect(page.get_by_role("alert")).to_be_visible()
    check_page(page)
    assert not is_logged_in(page)
    page.goto(live_server.url + PROFILE)
    expect(page).to_have_url(url_re(live_server, exact(LOGIN), r"\?next=.*"))


def test_account_journey_in_kreyol_on_a_phone(live_server, phone: Page, check_page):
    page = phone

    sign_up_and_confirm(live_server, page, check_page)
    # ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION logs in right away when the signup happened in this browser.
    if not is_logged_in(page):
        log_in(live_server, page, check_page)
    else:
        expect(page).to_have_url(url_re(live_server, exact(PROFILE)))

    profile_needs_consent_then_saves(live_server, page, check_page)
    download_my_data(live_server, page, check_page)
    delete_account(live_server, page, check_page)
    cannot_log_in_again(live_server, page, check_page)
