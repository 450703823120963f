"""The parts of a page that are the same for every reader are rendered once and shared (engine.fragments)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engine import fragments as module
from tests.consultations.factories import ConsultationFactory, DialogueFactory
from tests.helpers import enable_mfa, grant, logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def fragments(settings):
    settings.FRAGMENT_CACHE_SECONDS = 30


def test_signed_in_readers_share_the_consultations_list_and_keep_their_own_header(fragments, alice, bob):
    ConsultationFactory(title="Consulta sobre vivienda")
    first = logged_in(alice).get("/consultas/").content.decode()
    reader = logged_in(bob)
    reader.get("/consultas/")
    with CaptureQueriesContext(connection) as queries:
        again = reader.get("/consultas/").content.decode()
    assert "Consulta sobre vivienda" in first and "Consulta sobre vivienda" in again
    assert "Mi cuenta" in again and "Ingresar" not in again  # the header is the reader's own
    # The session and the user, nothing for the list.
    assert not any("consultations_consultation" in q["sql"] for q in queries.captured_queries)


def test_each_language_and_page_has_its_own_copy(fragments, alice):
    ConsultationFactory.create_batch(25)
    reader = logged_in(alice)
    assert "Página 1 de 2" in reader.get("/consultas/").content.decode()
    assert "Página 2 de 2" in reader.get("/consultas/", {"pagina": 2}).content.decode()
    kreyol = reader.get("/ht/consultas/").content.decode()
    assert "Paj 1 sou 2" in kreyol and "Página" not in kreyol


def test_with_fragments_off_every_view_renders(settings, alice):
    settings.FRAGMENT_CACHE_SECONDS = 0
    reader = logged_in(alice)
    reader.get("/consultas/")
    ConsultationFactory(title="Consulta recién publicada")
    assert "Consulta recién publicada" in reader.get("/consultas/").content.decode()


def test_a_consultation_page_shares_its_lists_and_keeps_each_readers_own_part(fragments, alice, bob):
    consultation = ConsultationFactory(title="Consulta compartida")
    DialogueFactory.create_batch(3, consultation=consultation, title="Diálogo en Iquique")
    first = logged_in(alice)
    first.post(f"/consultas/{consultation.slug}/seguir/")
    following = first.get(consultation.get_absolute_url()).content.decode()
    other = logged_in(bob).get(consultation.get_absolute_url()).content.decode()
    assert following.count("Diálogo en Iquique") == other.count("Diálogo en Iquique") == 3
    assert "Usted sigue esta consulta" in following and "Usted sigue esta consulta" not in other
    assert "Seguir esta consulta" in other


def test_a_preview_of_an_unpublished_consultation_is_never_shared(fragments, staff_member):
    consultation = ConsultationFactory(is_published=False, technical_background="Borrador reservado")
    staff = logged_in(enable_mfa(grant(staff_member, "view_consultation")))
    assert "Borrador reservado" in staff.get(consultation.get_absolute_url()).content.decode()
    assert cache.get(f"fragment:consultations:detail:{consultation.pk}:es:::") is None
    consultation.is_published = True
    consultation.save()
    logged_in(staff_member).get(consultation.get_absolute_url())
    assert "Borrador reservado" in cache.get(f"fragment:consultations:detail:{consultation.pk}:es:::")


def test_parts_are_read_in_one_round_trip_and_a_part_not_to_keep_is_rendered_again(fragments, monkeypatch):
    reads = []
    original = module.cache.get_many
    monkeypatch.setattr(module.cache, "get_many", lambda keys: reads.append(list(keys)) or original(keys))
    renders = []

    def part(name):
        return lambda: renders.append(name) or f"<p>{name}</p>"

    def both():
        return module.shared_fragments(("a", part("a"), None), ("b", part("b"), lambda: False))

    assert both() == ["<p>a</p>", "<p>b</p>"]
    assert both() == ["<p>a</p>", "<p>b</p>"]
    assert reads == [["fragment:a", "fragment:b"]] * 2  # one read per page, not one per part
    assert renders == ["a", "b", "b"]  # "b" asked not to be kept


def test_a_page_gets_its_shared_part_where_its_template_writes_it(rf):
    request = rf.get("/")
    page = module.render_with_shared(
        request, "consultations/consultation_results.html", {}, "<p>compartido</p>"
    )
    html = page.content.decode()
    assert '<div class="content"><p>compartido</p></div>' in html and module.SHARED_PLACEHOLDER not in html
    with pytest.raises(ValueError, match="does not write"):
        module.render_with_shared(request, "base.html", {}, "<p>compartido</p>")
