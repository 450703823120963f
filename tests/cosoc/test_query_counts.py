"""COSOC pages and admin change lists cost a fixed number of queries, whatever the number of rows."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cosoc import services
from cosoc.models import AgreementStatus, DocumentVisibility, SessionStatus
from cosoc.selectors import AGREEMENTS_PER_PAGE, SESSIONS_PER_PAGE
from tests.cosoc.factories import (
    AgendaDocumentFactory,
    AgendaItemFactory,
    AgreementFactory,
    MembershipFactory,
    SessionFactory,
    today,
)
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db

STATUSES = itertools.cycle(
    [
        SessionStatus.AGENDA_PUBLISHED,
        SessionStatus.HELD,
        SessionStatus.MINUTES_APPROVED,
        SessionStatus.PLANNED,
    ]
)
AGREEMENT_STATUSES = itertools.cycle(AgreementStatus.values)


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    """The render path is what grows with rows; the shared fragments (cosoc/fragments.py) are tested apart."""
    settings.COSOC_FRAGMENT_CACHE_SECONDS = 0


def count_queries(browser, url: str) -> int:
    browser.get(url)  # warm caches (content types, translations) so both sides are measured alike
    with CaptureQueriesContext(connection) as context:
        response = browser.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def add_sessions(term, n: int) -> None:
    for number in range(n):
        session = SessionFactory(
            term=term, status=next(STATUSES), date=today() + datetime.timedelta(days=number % 40 - 20)
        )
        AgendaItemFactory(session=session)


def add_agreements(session, n: int) -> None:
    for number in range(n):
        agreement = AgreementFactory(
            session=session,
            status=next(AGREEMENT_STATUSES),
            due_date=today() + datetime.timedelta(days=number - 5),
        )
        services.agreement_progress_add(agreement=agreement, text="Avance")


@pytest.fixture
def browsers(member, secretary):
    return {"anonymous": Client(), "member": logged_in(member), "secretary": logged_in(secretary)}


@pytest.mark.parametrize("persona", ["anonymous", "member"])
def test_council_page_10_vs_100_members(term, browsers, persona):
    for _ in range(10):
        MembershipFactory(term=term)
    with_10 = count_queries(browsers[persona], "/cosoc/")
    for _ in range(90):
        MembershipFactory(term=term)
    assert count_queries(browsers[persona], "/cosoc/") == with_10
    assert persona == "member" or with_10 <= 10


@pytest.mark.parametrize("persona", ["anonymous", "member"])
def test_sessions_list_10_vs_100(term, browsers, persona):
    add_sessions(term, 10)
    with_10 = count_queries(browsers[persona], "/cosoc/sesiones/?pagina=1")
    add_sessions(term, 90)
    assert count_queries(browsers[persona], "/cosoc/sesiones/?pagina=1") == with_10
    assert count_queries(browsers[persona], "/cosoc/sesiones/?pagina=3") == with_10
    assert persona == "member" or with_10 <= 10


@pytest.mark.parametrize("persona", ["anonymous", "member"])
def test_agreements_tracker_10_vs_100(approved, browsers, persona):
    add_agreements(approved, 10)
    with_10 = count_queries(browsers[persona], "/cosoc/acuerdos/")
    add_agreements(approved, 90)
    assert count_queries(browsers[persona], "/cosoc/acuerdos/") == with_10
    assert count_queries(browsers[persona], "/cosoc/acuerdos/?estado=done&pagina=2") == with_10
    assert persona == "member" or with_10 <= 10


def content(browser, url: str) -> str:
    """The page between the layout's header and footer."""
    page = browser.get(url).content.decode()
    return page[page.index('<div class="content">') : page.index("</main>")]


def test_the_trackers_page_stays_the_same_size_from_30_to_100_agreements(client, approved):
    add_agreements(approved, 30)
    with_30 = content(client, "/cosoc/acuerdos/")
    add_agreements(approved, 70)
    with_100 = content(client, "/cosoc/acuerdos/")
    assert with_30.count('<li class="card') == with_100.count('<li class="card') == AGREEMENTS_PER_PAGE
    assert abs(len(with_100) - len(with_30)) < 200  # the counts in the summary and "page 1 of n"


def test_the_trackers_pages_keep_its_filters(client, approved):
    add_agreements(approved, 8)
    for _ in range(AGREEMENTS_PER_PAGE + 5):
        AgreementFactory(session=approved, status=AgreementStatus.DONE)
    first = content(client, "/cosoc/acuerdos/?estado=done&anio=" + str(approved.date.year))
    query = f"estado=done&amp;anio={approved.date.year}"
    assert f'href="?{query}&amp;pagina=2" rel="next"' in first and 'rel="prev"' not in first
    second = content(client, f"/cosoc/acuerdos/?estado=done&anio={approved.date.year}&pagina=2")
    assert f'href="?{query}" rel="prev"' in second and 'rel="next"' not in second
    assert second.count('<li class="card') == second.count("cosoc-status--done") > 0
    unfiltered = content(client, "/cosoc/acuerdos/?estado=junk")
    assert 'href="?pagina=2" rel="next"' in unfiltered and "junk" not in unfiltered


def test_the_sessions_list_stays_the_same_size_from_45_to_120_public_sessions(client, term):
    add_sessions(term, 60)  # a quarter of them planned, not public
    with_45 = content(client, "/cosoc/sesiones/?pagina=2")
    add_sessions(term, 100)
    with_120 = content(client, "/cosoc/sesiones/?pagina=2")
    assert with_45.count('<li class="card') == with_120.count('<li class="card') == SESSIONS_PER_PAGE
    assert abs(len(with_120) - len(with_45)) < 300  # titles and dates differ a little, not the rows
    assert 'href="?" rel="prev"' in with_120 and 'href="?pagina=3" rel="next"' in with_120


def _grow_session(session, n: int, member) -> None:
    for _ in range(n):
        item = AgendaItemFactory(session=session)
        AgendaDocumentFactory(item=item, visibility=DocumentVisibility.PUBLIC)
        AgendaDocumentFactory(item=item)
        if session.status == SessionStatus.AGENDA_PUBLISHED:
            first = services.observation_post(author=member, item=item, text="Observación")
            services.observation_post(author=member, item=item, parent=first, text="Respuesta")


@pytest.mark.parametrize("persona", ["anonymous", "member"])
def test_session_page_does_not_grow_with_items_documents_agreements(
    approved, in_review, member, browsers, persona
):
    _grow_session(approved, 2, member)
    add_agreements(approved, 2)
    small = count_queries(browsers[persona], approved.get_absolute_url())
    _grow_session(approved, 20, member)
    add_agreements(approved, 20)
    assert count_queries(browsers[persona], approved.get_absolute_url()) == small


def test_review_page_does_not_grow_with_items_and_observations(in_review, member, browsers):
    _grow_session(in_review, 2, member)
    url = in_review.get_review_url()
    small = count_queries(browsers["member"], url)
    _grow_session(in_review, 20, member)
    assert count_queries(browsers["member"], url) == small


def test_admin_session_changelist_10_vs_100(term, admin_client):
    add_sessions(term, 10)
    with_10 = count_queries(admin_client, "/admin/cosoc/session/")
    add_sessions(term, 90)
    assert count_queries(admin_client, "/admin/cosoc/session/") == with_10


def test_admin_agreement_changelist_10_vs_100(approved, admin_client):
    add_agreements(approved, 10)
    with_10 = count_queries(admin_client, "/admin/cosoc/agreement/")
    add_agreements(approved, 90)
    assert count_queries(admin_client, "/admin/cosoc/agreement/") == with_10
