"""Members-only content (members' documents, observations, shared drafts, planned sessions) never reaches a
public surface: pages, search index, sitemap, iCal, the home page's blocks or followers' emails."""

import pytest
from django.core import mail
from django.test import Client

from cosoc import services
from cosoc.models import Minutes
from engine.models import SearchDocument
from engine.notifications import Mechanism, subscription_set
from engine.notifications.services import notifications_send
from engine.search.selectors import search_documents
from tests.cosoc.factories import AgendaDocumentFactory, AgendaItemFactory, SessionFactory
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db

SECRETS = ["XYZZY", "PLUGH", "QWERTY", "planificada secreta"]


@pytest.fixture
def world(member, in_review, planned, held_with_draft, approved, alice):
    services.observation_post(author=member, item=in_review.items.get(), text="Observación PLUGH")
    services.observation_post(author=member, minutes=held_with_draft.minutes.get(), text="Comentario PLUGH")
    return {"in_review": in_review, "approved": approved}


def _assert_clean(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, secret


def test_public_pages_show_nothing_members_only(world, client):
    for url in [
        "/cosoc/",
        "/cosoc/sesiones/",
        world["in_review"].get_absolute_url(),
        world["approved"].get_absolute_url(),
        "/cosoc/acuerdos/",
        "/ht/cosoc/sesiones/",
    ]:
        response = client.get(url)
        assert response.status_code == 200
        _assert_clean(response.content.decode())
    assert "Presentación pública" in client.get(world["in_review"].get_absolute_url()).content.decode()


def test_the_search_index_holds_only_public_content(world):
    indexed = " ".join(
        f"{row.title} {row.summary} {row.body} {row.url}" for row in SearchDocument.objects.all()
    )
    _assert_clean(indexed)
    assert "revision" not in indexed
    assert "Presentación pública" in indexed and "Sesión en revisión" in indexed
    assert not list(search_documents(query="XYZZY", language="es"))
    assert list(search_documents(query="Presentación", language="es"))


def test_the_sitemap_lists_public_sessions_and_minutes_only(world, client):
    sitemap = client.get("/sitemap.xml").content.decode()
    _assert_clean(sitemap)
    assert "revision" not in sitemap
    assert f"/cosoc/sesiones/{world['in_review'].pk}/" in sitemap
    assert f"/cosoc/sesiones/{world['approved'].pk}/acta/" in sitemap


def test_ical_feeds_carry_public_sessions_only(world, planned, client):
    feed = client.get("/cosoc/sesiones.ics").content.decode()
    assert "Sesión en revisión" in feed
    _assert_clean(feed)
    assert client.get(f"/cosoc/sesiones/{planned.pk}/sesion.ics").status_code == 404


def test_the_home_page_shows_the_next_public_session_and_approved_minutes_only(world, member):

    for browser in (Client(), logged_in(member)):
        home = browser.get("/").content.decode()
        _assert_clean(home)
        assert "Sesión en revisión" in home  # open now
        assert "Acta aprobada: Sesión con acta" in home  # what's new


def test_followers_emails_never_carry_members_only_content(term, alice, member):
    subscription_set(user=alice, target=Mechanism.COSOC)
    session = SessionFactory(term=term, title="Sesión pública")
    item = AgendaItemFactory(session=session, title="Punto público")

    AgendaDocumentFactory(item=item, title="Documento XYZZY")
    services.session_publish_agenda(session=session)
    notifications_send()
    to_alice = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert to_alice
    for message in to_alice:
        _assert_clean(message.subject + message.body)
        assert "revision" not in message.body
    to_member = [m for m in mail.outbox if m.to == ["consejera@example.org"]]
    assert to_member and "revision" in to_member[0].body


def test_draft_minutes_are_not_public_until_approved(held_with_draft, client):
    assert client.get(f"/cosoc/sesiones/{held_with_draft.pk}/acta/").status_code == 404
    assert client.get(f"/cosoc/sesiones/{held_with_draft.pk}/acta.pdf").status_code == 404
    assert not SearchDocument.objects.filter(body__contains="QWERTY").exists()
    draft = held_with_draft.minutes.get()
    services.minutes_approve(minutes=Minutes.objects.get(pk=draft.pk))
    assert client.get(f"/cosoc/sesiones/{held_with_draft.pk}/acta/").status_code == 200
    assert SearchDocument.objects.filter(body__contains="QWERTY").exists()
