"""The portal and its admin under the Content-Security-Policy (issue 11 item 10, issue 13 item 9), in a real
browser: no CSP violation on public, account and admin pages, modeltranslation's language tabs work with jQuery UI from our static files, and Django admin's own
scripts (prepopulated slug, inline rows, date shortcuts, the change list's actions) run under ``script-src
'self'``. The headers themselves are checked in tests/security/test_headers.py.
"""

import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect

from engine.models import Topic
from participants.models import User
from tests.helpers import LISTEN_FOR_CSP_VIOLATIONS, assert_no_csp_violations, enable_mfa

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def topics(db) -> list[Topic]:
    # Transactional tests empty the tables afterwards, the seeded topics included: make our own.
    return [
        Topic.objects.create(name_es=f"Tema {number}", slug=f"tema-{number}", order=number)
        for number in (1, 2)
    ]


def watched_page(live_server, context: BrowserContext, user: User | None) -> tuple[Page, list[str]]:
    """A page that records CSP violations and script errors, signed in as ``user`` when given."""
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    context.add_init_script(LISTEN_FOR_CSP_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    return page, console


@pytest.fixture
def staff_page(live_server, new_context: Callable[..., BrowserContext]) -> tuple[Page, list[str]]:
    user = enable_mfa(User.objects.create_superuser(email="admin.csp@example.org", password="x-y-z-2026-w"))
    return watched_page(live_server, new_context(viewport={"width": 1280, "height": 900}), user)


def test_translation_tabs_work_on_a_change_page(live_server, staff_page, topics):
    page, console = staff_page
    topic = topics[0]
    response = page.goto(f"{live_server.url}/admin/engine/topic/{topic.pk}/change/")
    assert "script-src 'self'" in response.headers["content-security-policy"]

    # One set of tabs per translated field, jQuery UI's widget: es, ht and en.
    tabs = page.locator(".ui-tabs").first
    expect(tabs).to_be_visible()
    expect(tabs.locator(".ui-tabs-nav li a")).to_have_text(["es", "ht", "en"])
    expect(page.locator("#id_name_es")).to_be_visible()
    expect(page.locator("#id_name_ht")).to_be_hidden()

    tabs.locator(".ui-tabs-nav li a", has_text="ht").click()
    expect(page.locator("#id_name_ht")).to_be_visible()
    expect(page.locator("#id_name_es")).to_be_hidden()
    page.locator("#id_name_ht").fill("Travay ak lajan")
    assert_no_csp_violations(page, console)
    page.locator('input[type="submit"][name="_continue"]').click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    topic.refresh_from_db()
    assert topic.name_ht == "Travay ak lajan"
    assert_no_csp_violations(page, console)


def test_django_admin_scripts_run_on_an_add_page_with_inlines(live_server, staff_page):
    page, console = staff_page
    page.goto(f"{live_server.url}/admin/consultations/consultation/add/")

    # prepopulate.js: the slug follows the Spanish title.
    page.locator("#id_title_es").press_sequentially("Consulta sobre trabajo")
    expect(page.locator("#id_slug")).to_have_value("consulta-sobre-trabajo")
    # inlines.js: "add another" appends a row.
    sections = page.locator("#sections-group")
    before = sections.locator("tr.form-row:not(.empty-form)").count()
    sections.locator(".add-row a").click()
    expect(sections.locator("tr.form-row:not(.empty-form)")).to_have_count(before + 1)
    # DateTimeShortcuts.js: "Today" fills the date.
    page.locator("#id_opens_at_0").locator("xpath=..").get_by_role("link", name=re.compile("Hoy")).click()
    expect(page.locator("#id_opens_at_0")).not_to_have_value("")
    assert_no_csp_violations(page, console)


def test_the_change_list_and_its_actions_work(live_server, staff_page, topics):
    page, console = staff_page
    page.goto(f"{live_server.url}/admin/engine/topic/")
    # actions.js: ticking "select all" ticks every row and counts them.
    page.locator("#action-toggle").check()
    expect(page.locator("input.action-select").first).to_be_checked()
    expect(page.locator(".action-counter")).to_contain_text(f"{len(topics)} de {len(topics)}")
    assert_no_csp_violations(page, console)


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "citizen"])
def test_portal_pages_report_no_violation(live_server, new_context, signed_in):
    user = (
        User.objects.create_user(email="vizitè@example.org", password="x-y-z-2026-w") if signed_in else None
    )
    page, console = watched_page(live_server, new_context(viewport={"width": 360, "height": 740}), user)
    paths = ["/", "/ht/", "/consultas/", "/informacion/", "/cuenta/login/", "/cuenta/signup/"]
    if signed_in:
        paths += ["/cuenta/perfil/", "/cuenta/mis-datos/", "/cuenta/sessions/", "/cuenta/2fa/", "/avisos/"]
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        # portal.css applied: the policy let our own style sheet through.
        assert page.evaluate(
            "[...document.styleSheets].some(s => s.href && s.href.endsWith('/css/portal.css'))"
        )
        assert_no_csp_violations(page, console)  # each page starts a new record
