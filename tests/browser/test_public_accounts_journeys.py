"""The public account in a real browser: a citizen reads this year's account and asks in Kreyòl at 360 px;
staff accept, answer and approve it in admin and "publish all approved answers"; the answer appears on the
public page and in the answers document's PDF. axe-core finds no serious or critical violation on any page.
"""

import re
import shutil
from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from playwright.sync_api import BrowserContext, expect

from participants.models import Participant, User
from public_accounts.models import AnswerState, Question, Status
from tests.browser.test_consultation_journeys import log_in_browser
from tests.helpers import VIEWPORTS, enable_mfa, pdf_page_texts
from tests.public_accounts.factories import PublicAccountFactory, SectionFactory

QUESTION = "Kilè fòmilè yo ap disponib an kreyòl?"
ANSWER_ES = "Los formularios estarán en Kreyòl en marzo."
ANSWER_HT = "Fòmilè yo ap disponib an kreyòl nan mwa mas."


def test_citizen_asks_in_kreyol_staff_answer_and_publish(
    live_server, new_context: Callable[..., BrowserContext], assert_accessible, tmp_path
):
    account = PublicAccountFactory(year=2026, title_ht="Kont piblik 2026", summary_ht="SERMIG rann kont.")
    section = SectionFactory(account=account, title="Atención", title_ht="Sèvis pou moun yo")
    citizen = User.objects.create_user(email="marie@example.org", password="x", preferred_language="ht")
    EmailAddress.objects.create(user=citizen, email=citizen.email, verified=True, primary=True)
    Participant.objects.create(user=citizen)

    # 1. The citizen reads the account on a phone in Kreyòl and asks about a section.
    context = new_context(viewport=VIEWPORTS["phone"], locale="ht")
    log_in_browser(context, live_server, citizen)
    page = context.new_page()
    page.goto(f"{live_server.url}/ht/cuenta-publica/2026/")
    expect(page.locator("html")).to_have_attribute("lang", "ht")
    expect(page.locator("h1")).to_have_text("Kont piblik 2026")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    page.locator(f'a[href="/ht/cuenta-publica/2026/preguntar/?seccion={section.pk}"]').click()
    expect(page.locator("#id_section")).to_have_value(str(section.pk))
    page.locator("#id_text").fill(QUESTION)
    page.locator("#id_language").select_option("ht")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    question = Question.objects.get()
    expect(page).to_have_url(re.compile(rf"/ht/cuenta-publica/2026/preguntas/{question.pk}/$"))
    expect(page.locator("main")).to_contain_text(QUESTION)
    assert_accessible(page)
    assert (question.language, question.section_id, question.status) == ("ht", section.pk, Status.PENDING)

    # 2. Staff of the participation team accept, answer (Spanish and Kreyòl), approve and publish.
    staff = User.objects.create_user(email="equipo@example.org", password="x", is_staff=True)
    # The role's rights (the data migration's group is gone in a live-server test's flushed database).
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="public_accounts",
            codename__in=[
                "view_publicaccount",
                "change_publicaccount",
                "view_question",
                "change_question",
                "moderate_question",
                "answer_question",
                "approve_answer",
                "publish_answers",
            ],
        )
    )
    enable_mfa(staff)
    admin_context = new_context(viewport=VIEWPORTS["desktop"], locale="es-CL")
    log_in_browser(admin_context, live_server, staff)
    admin = admin_context.new_page()
    admin.goto(f"{live_server.url}/admin/public_accounts/question/{question.pk}/change/")
    admin.locator("#id_status").select_option("accepted")
    admin.locator("main form input[name=_continue]").click()
    expect(admin.locator(".messagelist")).to_be_visible()
    admin.locator("#id_answer_es").fill(ANSWER_ES)
    # The Kreyòl answer sits in its language's tab.
    panel = admin.evaluate("document.getElementById('id_answer_ht').closest('.ui-tabs-panel').id")
    admin.locator(f'[aria-controls="{panel}"] a').click()
    admin.locator("#id_answer_ht").fill(ANSWER_HT)
    admin.locator("#id_approve").check()
    admin.locator("main form input[name=_save]").click()
    expect(admin.locator(".messagelist")).to_be_visible()
    question.refresh_from_db()
    assert question.answer_state == AnswerState.APPROVED
    admin.goto(f"{live_server.url}/admin/public_accounts/publicaccount/")
    admin.locator(f'input[name=_selected_action][value="{account.pk}"]').check()
    admin.locator("select[name=action]").select_option("publish_answers")
    admin.locator("button[name=index]").click()
    expect(admin.locator(".messagelist")).to_contain_text("versión 1")

    # 3. The answer is on the public page (in Kreyòl) and in the PDF.
    page.goto(f"{live_server.url}/ht/cuenta-publica/2026/")
    expect(page.locator(f"#pregunta-{question.pk}")).to_contain_text(ANSWER_HT)
    assert_accessible(page)
    page.goto(f"{live_server.url}/ht/cuenta-publica/2026/respuestas/")
    expect(page.locator("main")).to_contain_text(QUESTION)
    assert_accessible(page)
    pdf = page.request.get(f"{live_server.url}/cuenta-publica/2026/respuestas/1.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    if shutil.which("pdftotext"):
        text = " ".join(pdf_page_texts(pdf.body(), tmp_path))
        assert text.count(QUESTION) == 1 and ANSWER_ES in text


@pytest.mark.parametrize("language", ["", "/ht", "/en"])
def test_public_account_pages_are_accessible_at_360px(
    live_server, new_context: Callable[..., BrowserContext], assert_accessible, language
):
    account = PublicAccountFactory(year=2026)
    SectionFactory(account=account)
    page = new_context(viewport=VIEWPORTS["phone"]).new_page()
    for path in ("/cuenta-publica/", "/cuenta-publica/2026/", "/cuenta-publica/2026/preguntar/"):
        page.goto(f"{live_server.url}{language}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        assert_accessible(page)
