"""COSOC journeys in a real browser at 360 px, every page checked with axe-core (no serious/critical issue):

1. A councillor signs in with her password and authenticator code (Kreyòl), opens the upcoming session, reads an
   item's members-only document and posts an observation in the review area.
2. The executive secretary records attendance and approves the draft minutes in admin; an anonymous visitor then
   reads them in Kreyòl.
"""

import datetime
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from cosoc import services
from cosoc.models import DocumentVisibility, Minutes, MinutesStatus, Observation
from tests.cosoc.factories import (
    AgendaDocumentFactory,
    AgendaItemFactory,
    CouncilFactory,
    OrganizationFactory,
    SessionFactory,
    TermFactory,
    today,
)
from tests.factories import UserFactory
from tests.file_samples import PDF
from tests.helpers import VIEWPORTS, enable_mfa, grant, totp_code, verified

PASSWORD = "demo-sermig-2026"  # tests.factories.UserFactory's


@pytest.fixture
def phone(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context(viewport=VIEWPORTS["phone"], locale="ht-HT").new_page()


@pytest.fixture
def check(assert_accessible) -> Callable[[Page], None]:
    def run(page: Page) -> None:
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"horizontal scroll at 360 px on {page.url}: {widths}"

    return run


def sign_in(page: Page, base: str, email: str, next_path: str) -> None:
    page.goto(f"{base}/ht/cuenta/login/?next={next_path}")
    page.locator('input[name="login"]').fill(email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('main form button[type="submit"]').first.click()
    expect(page).to_have_url(re.compile(r"/cuenta/2fa/authenticate/"))
    page.locator('input[name="code"]').fill(totp_code())
    page.locator('main form button[type="submit"]').first.click()


@pytest.fixture
def council(transactional_db):
    term = TermFactory(council=CouncilFactory())
    member = enable_mfa(
        verified(UserFactory(email="konseye@example.org", name="Roseline Augustin", preferred_language="ht"))
    )
    services.membership_create(
        term=term,
        user=member,
        organization=OrganizationFactory(legal_name="Fanm Ayisyen"),
        role="councillor",
        start=term.start,
    )
    upcoming = SessionFactory(
        term=term, title_es="Sesión de regularización", title_ht="Sesyon sou regilarizasyon"
    )
    item = AgendaItemFactory(session=upcoming, title_es="Regularización", title_ht="Regilarizasyon")
    AgendaDocumentFactory(
        item=item,
        title_es="Borrador de trabajo",
        title_ht="Bouyon travay",
        file__data=PDF,
        visibility=DocumentVisibility.MEMBERS,
    )
    services.session_publish_agenda(session=upcoming)

    held = SessionFactory(
        term=term,
        title_es="Sesión de marzo",
        title_ht="Sesyon mas",
        date=today() - datetime.timedelta(days=10),
    )
    AgendaItemFactory(session=held, title_es="Cuenta pública", title_ht="Kont piblik")
    services.session_publish_agenda(session=held)
    services.session_mark_held(session=held)
    services.minutes_save(
        minutes=Minutes(session=held, body_es="<p>Resumen en español</p>", body_ht="<p>Rezime an kreyòl</p>")
    )
    secretary = enable_mfa(
        verified(UserFactory(email="sekretarya@example.org", name="Lorena", is_staff=True))
    )
    # live_server's database is flushed between tests, roles' data migration included: the role's rights directly.
    grant(
        secretary,
        *("view_minutes", "change_minutes", "take_part_in_review", "view_session", "change_session"),
        *("view_attendance", "add_attendance", "change_attendance", "view_agendaitem", "change_agendaitem"),
        *("view_invitedparticipant", "add_invitedparticipant", "change_invitedparticipant"),
    )
    return {"upcoming": upcoming, "item": item, "held": held, "member": member, "secretary": secretary}


def test_a_councillor_reviews_the_agenda_and_posts_an_observation_on_a_phone(
    live_server, phone: Page, check, council
):
    page, base = phone, live_server.url
    upcoming = council["upcoming"]
    sign_in(page, base, "konseye@example.org", f"/ht/cosoc/sesiones/{upcoming.pk}/")
    expect(page).to_have_url(re.compile(rf"/ht/cosoc/sesiones/{upcoming.pk}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ht")
    check(page)

    page.locator(f'a[href$="/cosoc/sesiones/{upcoming.pk}/revision/"]').click()
    expect(page).to_have_url(re.compile(rf"/ht/cosoc/sesiones/{upcoming.pk}/revision/$"))
    check(page)
    link = page.locator('main a[href*="/cosoc/documentos/"]').first
    document = page.request.get(base + link.get_attribute("href"))
    assert document.status == 200 and document.body().startswith(b"%PDF")

    textarea = page.locator(f"#text-item-{council['item'].pk}")
    textarea.fill("Nou mande pou fòmilè yo an kreyòl tou.")
    textarea.locator("xpath=ancestor::form").locator('button[type="submit"]').click()
    expect(page).to_have_url(re.compile(rf"/revision/#item-{council['item'].pk}$"))
    expect(page.locator(".cosoc-observation")).to_contain_text("Nou mande pou fòmilè yo an kreyòl tou.")
    check(page)
    assert Observation.objects.get().author == council["member"]


def test_the_secretary_records_attendance_and_approves_minutes_then_an_anonymous_visitor_reads_them_in_kreyol(
    live_server, new_context, phone: Page, check, assert_accessible, council
):
    held = council["held"]
    staff = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(staff, live_server.url, "sekretarya@example.org", f"/admin/cosoc/session/{held.pk}/change/")
    expect(staff).to_have_url(re.compile(rf"/admin/cosoc/session/{held.pk}/change/$"))
    # Attendance: one row per member, as an inline of the session.
    staff.locator("#attendance-group .add-row a").click()
    member_seat = council["member"].cosoc_memberships.get()
    staff.locator("#id_attendance-0-membership").select_option(str(member_seat.pk))
    staff.locator("#id_attendance-0-status").select_option("present")
    assert_accessible(staff)
    staff.locator('input[name="_save"]').click()
    expect(staff).to_have_url(re.compile(r"/admin/cosoc/session/$"))
    assert held.attendance.get().membership == member_seat

    staff.goto(f"{live_server.url}/admin/cosoc/minutes/")
    staff.locator('input[name="_selected_action"]').first.check()
    staff.locator('select[name="action"]').select_option("approve")
    staff.locator('button[name="index"]').click()
    expect(staff.locator(".messagelist")).to_be_visible()
    assert Minutes.objects.get(session=held).status == MinutesStatus.APPROVED

    page = phone
    page.goto(f"{live_server.url}/ht/cosoc/sesiones/{held.pk}/acta/")
    expect(page.locator("html")).to_have_attribute("lang", "ht")
    expect(page.locator("main")).to_contain_text("Rezime an kreyòl")
    check(page)
    pdf = page.request.get(f"{live_server.url}/ht/cosoc/sesiones/{held.pk}/acta.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    page.goto(f"{live_server.url}/ht/cosoc/")
    check(page)
    for path in ("/ht/cosoc/acuerdos/", "/ht/cosoc/sesiones/", f"/ht/cosoc/sesiones/{held.pk}/"):
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", "ht")
        check(page)
