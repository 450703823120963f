"""Demo data: loading twice changes nothing, and the closed consultation's report downloads."""

import csv
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations import models
from engine.models import SearchDocument

pytestmark = pytest.mark.django_db

COUNTED = [
    models.ConsultationPlan,
    models.ProposalCall,
    models.Consultation,
    models.Section,
    models.Question,
    models.Option,
    models.Response,
    models.Answer,
    models.AnswerOption,
    models.Dialogue,
    models.DialogueOptionCount,
    models.DialogueSynthesis,
    models.DialogueAttendance,
    models.InstitutionalResponse,
    models.Commitment,
]
CLOSED = "atencion-oficinas-regionales-2025"
OPEN = "politica-nacional-migratoria-2026"


def load() -> None:
    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_loading_twice_changes_nothing():
    load()
    first = counts()
    load()
    assert counts() == first
    assert first["Consultation"] == 2 and first["Dialogue"] == 6


def test_demo_consultations_and_the_closed_ones_report():
    load()
    open_ = models.Consultation.objects.get(slug=OPEN)
    assert open_.is_open and open_.modality == models.Modality.HYBRID
    assert open_.sections.count() == 3
    assert {d.region for d in open_.dialogues.all()} == {"CL-AN", "CL-RM", "CL-BI"}

    closed = models.Consultation.objects.get(slug=CLOSED)
    assert closed.results_are_public and closed.institutional_response.text
    browser = Client()
    assert browser.get(reverse("consultations:results", kwargs={"slug": CLOSED})).status_code == 200

    magic = {"pdf": b"%PDF", "xlsx": b"PK\x03\x04"}
    for fmt in ("pdf", "xlsx", "csv"):
        response = browser.get(f"/consultas/{CLOSED}/resultados/informe.{fmt}")
        assert response.status_code == 200, fmt
        assert response["Content-Disposition"].startswith("attachment;")
        if fmt in magic:
            assert response.content.startswith(magic[fmt])
    text = browser.get(f"/consultas/{CLOSED}/resultados/informe.csv").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert any("¿Cómo evalúa la atención que recibió?" in cell for line in lines for cell in line)
    assert browser.get(f"/consultas/{CLOSED}/resultados/informe.docx").status_code == 404
    assert browser.get(f"/consultas/{OPEN}/resultados/informe.pdf").status_code == 404


def test_demo_dates_are_round_hours_and_pass_the_admins_checks():
    """Dates staff would set (9:00, 18:00…), valid as the admin validates them, every attendance count known."""
    load()
    for consultation in models.Consultation.objects.all():
        consultation.full_clean()
        for name in (
            "announced_at",
            "opens_at",
            "closes_at",
            "results_published_at",
            "response_published_at",
        ):
            moment = getattr(consultation, name)
            if moment is not None:
                local = timezone.localtime(moment)
                assert (local.minute, local.second, local.microsecond) == (0, 0, 0), (consultation.slug, name)
    for dialogue in models.Dialogue.objects.all():
        dialogue.full_clean(exclude=["attendees"])
        assert timezone.localtime(dialogue.starts_at).minute == 0
    assert all(row.is_known for row in models.DialogueAttendance.objects.all())
    paper = models.Response.objects.filter(channel=models.Channel.ASSISTED_PAPER)
    assert paper.exists() and not paper.filter(paper_reference="").exists()


def test_demo_consultations_are_found_by_the_site_search(client):
    load()
    SearchDocument.objects.all().delete()  # as in a database made before the index existed
    load()
    spanish = client.get("/buscar/?q=migracion").content.decode()
    assert f'href="/consultas/{OPEN}/"' in spanish
    assert "<mark>migración</mark>" in spanish
    kreyol = client.get("/ht/buscar/?q=kreyol").content.decode()
    assert f'href="/ht/consultas/{CLOSED}/#response-title"' in kreyol
