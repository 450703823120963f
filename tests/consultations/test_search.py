"""Consultations in the site-wide search: only what the consultation pages show to everyone, kept in step
with every publish, edit, phase change and deletion."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from consultations import services
from consultations.models import (
    Consultation,
    ConsultationResults,
    InstitutionalResponse,
    Phase,
)
from engine.models import SearchDocument, Topic
from engine.search.selectors import search_documents
from tests.consultations.factories import (
    CommitmentFactory,
    ConsultationFactory,
    ConsultationPlanFactory,
    InstitutionalResponseFactory,
    ProposalCallFactory,
)
from tests.helpers import enable_mfa, grant, logged_in

pytestmark = pytest.mark.django_db


def found(query: str, language: str = "es") -> list[tuple[str, str]]:
    """(type, URL) of every result."""
    return [(row.kind, row.url) for row in search_documents(query=query, language=language)]


def rows_of(consultation: Consultation) -> int:
    """Index rows of the consultation, its results page and its response."""
    content_types = ContentType.objects.get_for_models(
        Consultation, ConsultationResults, for_concrete_models=False
    ).values()
    response_rows = SearchDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(InstitutionalResponse),
        object_id__in=InstitutionalResponse.objects.filter(consultation=consultation).values("pk"),
    )
    return (
        SearchDocument.objects.filter(content_type__in=content_types, object_id=consultation.pk).count()
        + response_rows.count()
    )


def test_a_published_consultation_is_found_in_each_language_at_its_own_address():
    ConsultationFactory(
        slug="laboral",
        title="Consulta sobre migración laboral",
        title_ht="Konsiltasyon sou migrasyon travay",
        title_en="Consultation on labour migration",
    )
    assert found("migracion") == [("consultation", "/consultas/laboral/")]
    assert found("migrasyon", "ht") == [("consultation", "/ht/consultas/laboral/")]
    assert found("migration", "en") == [("consultation", "/en/consultas/laboral/")]


def test_the_type_filter_offers_each_kind_of_consultation_page(client):
    html = client.get("/buscar/").content.decode()
    for kind in ("consultation", "consultation-results", "consultation-response", "consultation-plan"):
        assert f'<option value="{kind}">' in html


def test_a_draft_is_never_found_not_even_by_staff_who_may_preview_it(client, staff_member):
    draft = ConsultationFactory(is_published=False, slug="borrador", title="Consulta interna sobre retorno")
    grant(enable_mfa(staff_member), "view_consultation")
    assert logged_in(staff_member).get(draft.get_absolute_url()).status_code == 200  # the preview exists
    html = logged_in(staff_member).get("/buscar/?q=retorno").content.decode()
    assert "/consultas/borrador/" not in html
    assert found("retorno") == []
    assert rows_of(draft) == 0


def test_publishing_from_the_admin_indexes_it_and_unpublishing_removes_it(admin_client):
    draft = ConsultationFactory(is_published=False, slug="vivienda", title="Consulta sobre vivienda")
    # Written in Spanish only: admin asks first, and staff publish anyway.
    admin_client.post(
        "/admin/consultations/consultation/",
        {"action": "publish", "_selected_action": [draft.pk], "publish_anyway": "yes"},
    )
    assert found("vivienda") == [("consultation", "/consultas/vivienda/")]

    draft.refresh_from_db()
    draft.is_published = False
    draft.save()
    assert found("vivienda") == []
    assert rows_of(draft) == 0


def test_editing_a_translation_rewrites_its_row_and_adds_none():
    consultation = ConsultationFactory(slug="salud", title="Salud", title_ht="Sante")
    assert rows_of(consultation) == 3
    consultation.title_ht = "Sante pou tout moun"
    consultation.save()
    assert rows_of(consultation) == 3
    assert found("tout", "ht") == [("consultation", "/ht/consultas/salud/")]


def test_the_results_page_is_found_only_once_results_are_public():
    consultation = ConsultationFactory(
        closed=True,
        slug="oficinas",
        title="Atención en oficinas",
        results_published_at=timezone.now() + timedelta(days=1),
    )
    assert ("consultation-results", "/consultas/oficinas/resultados/") not in found("oficinas")

    # The date comes without anyone saving the consultation; the phases sweep notices it.
    Consultation.objects.filter(pk=consultation.pk).update(
        results_published_at=timezone.now() - timedelta(minutes=1)
    )
    services.consultation_phases_sweep()
    assert set(found("oficinas")) == {
        ("consultation-results", "/consultas/oficinas/resultados/"),
        ("consultation", "/consultas/oficinas/"),
    }


def test_sermig_response_and_commitments_are_found_once_the_response_is_published():
    consultation = ConsultationFactory(with_results=True, slug="horarios", title="Horarios de atención")
    InstitutionalResponseFactory(consultation=consultation, text="SERMIG ampliará sus horarios.")
    commitment = CommitmentFactory(consultation=consultation, text="Intérpretes en cada oficina")
    assert found("interpretes") == []

    consultation.response_published_at = timezone.now() - timedelta(minutes=1)
    consultation.save()
    response_hit = ("consultation-response", "/consultas/horarios/#response-title")
    assert found("interpretes") == [response_hit]

    commitment.text = "Facilitadores culturales en cada oficina"
    commitment.save()
    assert found("interpretes") == []
    assert found("facilitadores") == [response_hit]
    commitment.delete()
    assert found("facilitadores") == []


def test_a_response_pinned_back_to_results_is_no_longer_found():
    consultation = ConsultationFactory(
        with_results=True, slug="fijada", response_published_at=timezone.now() - timedelta(days=1)
    )
    InstitutionalResponseFactory(consultation=consultation, text="Respuesta sobre albergues.")
    assert found("albergues")
    consultation.phase_override = Phase.RESULTS
    consultation.save()
    assert found("albergues") == []


def test_deleting_a_consultation_removes_every_row_of_it():
    consultation = ConsultationFactory(
        with_results=True, slug="borrar", response_published_at=timezone.now() - timedelta(days=1)
    )
    InstitutionalResponseFactory(consultation=consultation)
    assert rows_of(consultation) == 9  # consultation, results page and response, in three languages
    pk = consultation.pk
    consultation.delete()
    assert not SearchDocument.objects.filter(object_id=pk).exists()
    assert not SearchDocument.objects.exists()


def test_unpublished_plans_and_calls_are_not_found():
    ConsultationPlanFactory(year=2031, title="Plan de consultas 2031")
    ConsultationPlanFactory(year=2032, title="Plan de consultas 2032", published_at=None)
    ProposalCallFactory(title="Convocatoria abierta de temas")
    ProposalCallFactory(title="Convocatoria oculta de temas", is_published=False)
    assert found("plan") == [("consultation-plan", "/consultas/plan/2031/")]
    assert [kind for kind, _url in found("convocatoria")] == ["proposal-call"]


def test_an_unpublished_consultation_with_results_and_response_has_no_row_at_all():
    consultation = ConsultationFactory(
        with_results=True, is_published=False, response_published_at=timezone.now() - timedelta(days=1)
    )
    InstitutionalResponseFactory(consultation=consultation)
    assert rows_of(consultation) == 0


T0 = timezone.now().replace(microsecond=0)


@pytest.mark.parametrize("override", ["", *Phase.values])
@pytest.mark.parametrize("days", [-1, 5, 20, 50, 70, 100])
def test_the_sql_rules_agree_with_what_the_pages_show(override, days):
    consultation = ConsultationFactory(
        announced_at=T0,
        opens_at=T0 + timedelta(days=10),
        closes_at=T0 + timedelta(days=40),
        results_published_at=T0 + timedelta(days=60),
        response_published_at=T0 + timedelta(days=90),
        phase_override=override,
    )
    moment = T0 + timedelta(days=days)
    phase = consultation.phase_at(moment)
    shown_results = Consultation.objects.with_public_results(moment).filter(pk=consultation.pk).exists()
    shown_response = Consultation.objects.with_public_response(moment).filter(pk=consultation.pk).exists()
    assert shown_results == (phase in (Phase.RESULTS, Phase.RESPONSE))
    assert shown_response == (phase == Phase.RESPONSE)


def test_renaming_a_topic_reindexes_its_consultations():
    topic = Topic.objects.create(slug="albergues", name="Albergues", name_es="Albergues")
    ConsultationFactory(slug="invierno", title="Plan de invierno", topic=topic)
    assert found("albergues") == [("consultation", "/consultas/invierno/")]
    topic.name_es = "Refugios de invierno"
    topic.save()
    assert found("albergues") == []
    assert found("refugios") == [("consultation", "/consultas/invierno/")]
