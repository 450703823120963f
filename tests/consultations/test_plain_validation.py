"""Dates out of order are refused beside the date to correct, saying why (issue 13, item 11)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Consultation, Dialogue
from tests.consultations.factories import ConsultationFactory, DialogueFactory
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db


def post_change(client, obj, **changes):
    """Post ``obj``'s admin change form as loaded, with ``changes`` (date-times as ``field=datetime``)."""
    url = reverse(f"admin:consultations_{obj._meta.model_name}_change", args=[obj.pk])
    data = admin_form_data(client.get(url))
    for name, value in changes.items():
        local = timezone.localtime(value)
        data[f"{name}_0"], data[f"{name}_1"] = local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")
    return client.post(url, data)


def errors(response) -> dict:
    assert response.status_code == 200, "the form was saved"
    return response.context["adminform"].form.errors


def test_closing_before_opening_is_refused_beside_the_closing_date(admin_client):
    consultation = ConsultationFactory()
    response = post_change(admin_client, consultation, closes_at=consultation.opens_at - timedelta(days=1))
    assert errors(response)["closes_at"] == [
        "La consulta debe cerrar después de abrir: elija un cierre posterior."
    ]
    assert "consultation_opens_before_closing" not in response.content.decode()


def test_announcing_after_opening_is_refused_beside_the_announcement(admin_client):
    consultation = ConsultationFactory()
    response = post_change(
        admin_client, consultation, announced_at=consultation.opens_at + timedelta(hours=1)
    )
    assert "El anuncio no puede ser después de la apertura" in errors(response)["announced_at"][0]


def test_results_of_a_consultation_still_open_are_refused(admin_client):
    consultation = ConsultationFactory()  # open now
    response = post_change(admin_client, consultation, results_published_at=timezone.now())
    message = errors(response)["results_published_at"][0]
    assert message.startswith("Los resultados se publican después del cierre (la consulta cierra el ")
    assert Consultation.objects.get(pk=consultation.pk).results_published_at is None


def test_the_response_comes_after_the_results(admin_client):
    consultation = ConsultationFactory(closed=True)
    results = consultation.closes_at + timedelta(days=5)
    response = post_change(
        admin_client,
        consultation,
        results_published_at=results,
        response_published_at=results - timedelta(days=1),
    )
    assert errors(response)["response_published_at"][0].startswith(
        "La respuesta se publica después de los resultados"
    )

    saved = post_change(
        admin_client,
        consultation,
        results_published_at=results,
        response_published_at=results + timedelta(days=1),
    )
    assert saved.status_code == 302


def test_a_dialogue_after_the_consultation_closes_is_refused(admin_client):
    consultation = ConsultationFactory()
    dialogue = DialogueFactory(consultation=consultation)
    late = consultation.closes_at + timedelta(days=1)
    response = post_change(admin_client, dialogue, starts_at=late, ends_at=late + timedelta(hours=2))
    assert "El diálogo debe ser antes del cierre de la consulta" in errors(response)["starts_at"][0]
    assert Dialogue.objects.get(pk=dialogue.pk).starts_at < consultation.closes_at


def test_a_dialogue_ending_before_it_starts_is_refused_beside_its_end(admin_client):
    dialogue = DialogueFactory()
    response = post_change(admin_client, dialogue, ends_at=dialogue.starts_at - timedelta(hours=1))
    assert errors(response)["ends_at"] == ["El diálogo debe terminar después de comenzar."]
