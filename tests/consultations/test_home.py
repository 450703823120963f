"""The home page's "open now" block shows open consultations and dialogues coming up."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import Phase
from tests.consultations.factories import ConsultationFactory, DialogueFactory

pytestmark = pytest.mark.django_db


def test_open_consultations_and_coming_dialogues_are_on_the_home_page(client):
    ConsultationFactory(title="Consulta abierta de salud")
    ConsultationFactory(title="Consulta reabierta por el equipo", closed=True, phase_override=Phase.OPEN)
    ConsultationFactory(title="Consulta cerrada", closed=True)
    ConsultationFactory(title="Consulta aún no publicada", is_published=False)
    ConsultationFactory(title="Consulta cerrada antes de tiempo", phase_override=Phase.CLOSED)
    closed = ConsultationFactory(closed=True)
    DialogueFactory(consultation=closed, title="Diálogo próximo", commune="Calama")
    DialogueFactory(consultation=closed, title="Diálogo pasado", starts_at=timezone.now() - timedelta(days=3))

    html = client.get("/").content.decode()

    assert "Consulta abierta de salud" in html
    assert "Consulta reabierta por el equipo" in html
    assert "Diálogo próximo" in html and ", Calama</p>" in html
    assert "Fecha:" in html  # a dialogue shows the day it happens, not a deadline
    for absent in ("Consulta cerrada", "Consulta aún no publicada", "Diálogo pasado"):
        assert absent not in html
