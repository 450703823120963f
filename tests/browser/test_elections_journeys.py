"""The registry and the COSOC election in a real browser: a representative applies in Kreyòl on a 360 px
phone, staff accredit in admin, the representative's dashboard says the organisation votes in category 1,
they cast a ballot through the confirmation page, staff close the vote and publish the results. axe-core
finds no serious or critical violation on any page; the representative's pages fit 360 px."""

import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect

from cosoc.elections.models import Phase, VoteRecord
from participants.models import Organization
from participants.organizations.rut import check_digit
from tests import file_samples
from tests.elections.factories import candidacy, election_at, move_to
from tests.factories import UserFactory
from tests.helpers import BLOCKING_IMPACTS, VIEWPORTS, enable_mfa, format_violations, verified

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(context: BrowserContext, live_server, user) -> None:
    client = Client()
    client.force_login(verified(user))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def check(axe) -> Callable[[Page], None]:
    def run(page: Page, *, phone: bool = True) -> None:
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
        violations = [v for v in axe.run(page).response["violations"] if v["impact"] in BLOCKING_IMPACTS]
        if violations:
            pytest.fail(f"axe-core on {page.url}:\n{format_violations(violations)}")
        if phone:
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"sideways scrolling at 360 px on {page.url}: {widths}"

    return run


def admin_action(page: Page, base: str, changelist: str, pk: int, action: str) -> None:
    page.goto(f"{base}{changelist}")
    page.locator(f'input[name="_selected_action"][value="{pk}"]').check()
    page.locator('select[name="action"]').select_option(action)
    page.locator('button[name="index"]').click()


def test_apply_accredit_vote_and_see_the_results(live_server, new_context, check, tmp_path):
    base = live_server.url
    representative = UserFactory(email="rosa@example.org", name="Rosa Joseph", preferred_language="ht")
    staff = enable_mfa(UserFactory(email="equipo@example.org", is_staff=True, is_superuser=True))
    election = election_at(Phase.VOTING, seats={1: 1})
    move_to(election, Phase.ACCREDITATION)

    # A representative applies in Kreyòl, on a phone.
    phone = new_context(viewport=VIEWPORTS["phone"], locale="ht")
    log_in(phone, live_server, representative)
    page = phone.new_page()
    page.goto(f"{base}/ht/cosoc/organizaciones/postular/")
    expect(page.locator("html")).to_have_attribute("lang", "ht")
    check(page)
    statutes = tmp_path / "estatutos.pdf"
    statutes.write_bytes(file_samples.PDF)
    page.locator("#id_legal_name").fill("Asosyasyon Ayisyen Kilikura")
    page.locator("#id_rut").fill("65.123.456-7")
    page.locator("#id_legal_form").select_option("association")
    page.locator('input[name="category"][value="1"]').check()
    page.locator("#id_region").select_option("CL-RM")
    page.locator("#id_commune").fill("Quilicura")
    page.locator("#id_contact_email").fill("kontak@asosyasyon.example")
    page.locator("#id_statutes").set_input_files(str(statutes))
    page.locator("#id_acts_for").check()
    page.locator('main form button[type="submit"]').click()
    # 65.123.456-7 has a wrong check digit: refused beside the field, nothing saved.
    expect(page.locator(".error-summary")).to_be_visible()
    check(page)
    assert not Organization.objects.exists()
    page.locator("#id_rut").fill(f"65.123.456-{check_digit('65123456')}")
    page.locator("#id_statutes").set_input_files(str(statutes))
    page.locator('main form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/ht/cosoc/organizaciones/mi-organizacion/$"))
    check(page)
    organization = Organization.objects.get()

    # Staff accredit it in admin.
    desk = new_context(viewport=VIEWPORTS["desktop"])
    log_in(desk, live_server, staff)
    admin = desk.new_page()
    admin_action(admin, base, "/admin/participants/organization/", organization.pk, "accredit")
    expect(admin.locator(".messagelist")).to_be_visible()
    check(admin, phone=False)
    organization.refresh_from_db()
    assert organization.is_accredited

    # Candidacies (staff confirm them), then staff open the vote in admin.
    move_to(election, Phase.CANDIDACIES)
    candidacy(election, organization, name="Marie Pierre")
    admin_action(admin, base, "/admin/cosoc/election/", election.pk, "open_voting")
    check(admin, phone=False)
    election.refresh_from_db()
    assert election.phase == Phase.VOTING

    # The representative's dashboard: the organisation votes in category 1, and when.
    page.goto(f"{base}/ht/cosoc/organizaciones/mi-organizacion/")
    expect(page.locator(".election-standing")).to_contain_text("kategori 1")
    check(page)
    page.locator(".election-standing a.button").click()
    check(page)
    page.locator('input[name="candidacies"]').first.check()
    page.locator('main form button[type="submit"]').click()
    expect(page.locator('input[name="step"][value="cast"]')).to_have_count(1)
    check(page)
    assert not VoteRecord.objects.exists(), "the confirmation page casts nothing"
    page.locator('main form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/voto-emitido/$"))
    check(page)
    assert VoteRecord.objects.filter(organization=organization).count() == 1

    # Staff close the vote and publish; the results are public, with turnout.
    admin_action(admin, base, "/admin/cosoc/election/", election.pk, "close_voting")
    admin_action(admin, base, "/admin/cosoc/election/", election.pk, "publish_results")
    check(admin, phone=False)
    anonymous = new_context(viewport=VIEWPORTS["phone"], locale="ht").new_page()
    anonymous.goto(f"{base}/ht/cosoc/elecciones/{election.pk}/resultados/")
    expect(anonymous.locator("table")).to_contain_text("Marie Pierre")
    check(anonymous)
    anonymous.goto(f"{base}/ht/cosoc/organizaciones/")
    expect(anonymous.locator("main")).to_contain_text("Asosyasyon Ayisyen Kilikura")
    check(anonymous)
