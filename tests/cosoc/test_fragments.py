"""The public parts of COSOC pages are rendered once per change and shared: a change shows at once, a cached
page costs almost no query, and a shared copy never carries what only its first reader could see."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cosoc import services
from cosoc.models import AgreementStatus
from tests.cosoc.factories import AgendaItemFactory, AgreementFactory, SessionFactory, today
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db

PAGES = ["/cosoc/", "/cosoc/sesiones/", "/cosoc/acuerdos/"]


@pytest.fixture(autouse=True)
def _cache_fragments(settings):
    settings.COSOC_FRAGMENT_CACHE_SECONDS = 600


def test_a_cached_page_runs_no_query_of_its_own(client, approved):
    for path in [*PAGES, approved.get_absolute_url()]:
        client.get(path)
        with CaptureQueriesContext(connection) as context:
            assert client.get(path).status_code == 200
        assert len(context.captured_queries) <= 1, (path, [q["sql"] for q in context.captured_queries])


def test_publishing_an_agenda_shows_at_once(client, term):
    assert "Sesión nueva" not in client.get("/cosoc/sesiones/").content.decode()
    session = SessionFactory(term=term, title="Sesión nueva")
    AgendaItemFactory(session=session)
    assert "Sesión nueva" not in client.get("/cosoc/sesiones/").content.decode()
    services.session_publish_agenda(session=session)
    assert "Sesión nueva" in client.get("/cosoc/sesiones/").content.decode()


def test_an_agreement_status_change_shows_at_once(client, approved):
    agreement = AgreementFactory(session=approved, text="Acuerdo seguido")
    assert "0 de 2 acuerdos cumplidos" in client.get("/cosoc/acuerdos/").content.decode()
    services.agreements_set_status(agreements=[agreement], status=AgreementStatus.DONE)
    assert "1 de 2 acuerdos cumplidos" in client.get("/cosoc/acuerdos/").content.decode()


def test_a_members_visit_never_leaves_members_only_content_in_the_shared_copy(client, member, in_review):
    member_page = logged_in(member).get(in_review.get_absolute_url()).content.decode()
    assert in_review.get_review_url() in member_page  # her own part of the page
    page = client.get(in_review.get_absolute_url()).content.decode()
    assert "XYZZY" not in page and in_review.get_review_url() not in page
    assert "Presentación pública" in page


def test_staff_preparing_sessions_see_planned_ones_without_sharing_them(client, secretary, planned):
    assert "Sesión planificada secreta" in logged_in(secretary).get("/cosoc/sesiones/").content.decode()
    assert "Sesión planificada secreta" not in client.get("/cosoc/sesiones/").content.decode()


def test_junk_page_numbers_share_page_one(client, term):
    assert client.get("/cosoc/sesiones/?pagina=abc").status_code == 200
    assert client.get("/cosoc/sesiones/?pagina=99999999999").status_code == 200


def test_a_members_second_visit_to_a_session_asks_only_who_she_is(
    member, in_review, django_assert_num_queries
):
    browser = logged_in(member)
    browser.get(in_review.get_absolute_url())
    with django_assert_num_queries(1):  # the signed-in user; her follow state is her kept set of follows
        page = browser.get(in_review.get_absolute_url()).content.decode()
    assert in_review.get_review_url() in page and "Seguir esta sesión" in page


def test_a_seat_that_ends_closes_the_door_at_once(member, in_review):
    browser = logged_in(member)
    assert in_review.get_review_url() in browser.get(in_review.get_absolute_url()).content.decode()
    services.membership_end(
        membership=member.cosoc_memberships.get(), end=today() - datetime.timedelta(days=1), reason="Renuncia"
    )
    page = browser.get(in_review.get_absolute_url()).content.decode()
    assert in_review.get_review_url() not in page and "Presentación pública" in page
    assert browser.get(in_review.get_review_url()).status_code == 404


def test_one_members_seat_is_never_anothers(member, alice, in_review):
    logged_in(member).get(in_review.get_absolute_url())
    page = logged_in(alice).get(in_review.get_absolute_url()).content.decode()
    assert in_review.get_review_url() not in page and "Seguir esta sesión" in page
    assert logged_in(alice).get(in_review.get_review_url()).status_code == 404


def test_a_planned_session_seen_by_staff_stays_hidden_then_shows_once_published(client, secretary, planned):
    staff = logged_in(secretary)
    assert staff.get(planned.get_absolute_url()).status_code == 200
    assert client.get(planned.get_absolute_url()).status_code == 404
    assert staff.get(planned.get_absolute_url()).status_code == 200
    services.session_publish_agenda(session=planned)
    assert "Punto no publicado" in client.get(planned.get_absolute_url()).content.decode()


def test_a_session_that_does_not_exist_is_404(client):
    assert client.get("/cosoc/sesiones/999999/").status_code == 404
