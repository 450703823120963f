"""The account page's public Q&A (statuses, channel, answers, section filter, merged duplicates pointing to
the answered question, pages) and COSOC's observations once their date has come."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from public_accounts import services
from public_accounts.models import Status
from tests.file_samples import PDF
from tests.public_accounts.factories import QuestionFactory, answered

pytestmark = pytest.mark.django_db


def test_statuses_channel_answer_and_merged_pointer(account, staff_member):
    received = QuestionFactory(account=account, accepted=True, text="¿Recibida?")
    in_process = QuestionFactory(account=account, accepted=True, text="¿En proceso?")
    services.question_assign(question=in_process, unit=Group.objects.create(name="Unidad"))
    done = answered(QuestionFactory(account=account, text="¿Respondida?"), text="Así es.")
    oral = services.question_record_in_person(account=account, staff=staff_member, text="¿Oral?", topic="x")
    services.question_moderate(question=oral, status=Status.ACCEPTED)
    duplicate = QuestionFactory(account=account, text="¿Respondida otra vez?")
    services.question_moderate(question=duplicate, status=Status.MERGED, merged_into=done)
    QuestionFactory(account=account, text="¿Por moderar?")
    services.answers_publish_all(account=account)

    html = Client().get(account.get_absolute_url()).content.decode()
    for text in ("¿Recibida?", "Recibida", "En proceso", "Respondida", "Así es.", "Presencial", "¿Oral?"):
        assert text in html
    assert "¿Por moderar?" not in html
    assert f"vea la pregunta n.º {done.pk} y su respuesta" in html
    assert received.get_absolute_url() in html


def test_filter_by_section_and_pages(account, settings):
    settings.PUBLIC_ACCOUNT_QUESTIONS_PER_PAGE = 2
    first, second = account.sections.all()
    for n in range(3):
        QuestionFactory(account=account, accepted=True, section=first, text=f"¿Sobre la primera {n}?")
    QuestionFactory(account=account, accepted=True, section=second, text="¿Sobre la segunda?")
    client = Client()
    html = client.get(account.get_absolute_url(), {"seccion": second.pk}).content.decode()
    assert "¿Sobre la segunda?" in html and "¿Sobre la primera 0?" not in html
    page_2 = client.get(account.get_absolute_url(), {"seccion": first.pk, "pagina": 2}).content.decode()
    assert "¿Sobre la primera 2?" in page_2 and "¿Sobre la primera 0?" not in page_2
    assert "Página 2 de 2" in page_2


def test_cosoc_observations_show_from_their_date(account, file_storage):
    account.cosoc_observations_es = "<p>El consejo pide más plazos públicos.</p><script>alert(1)</script>"
    account.cosoc_url = "https://example.org/cosoc/sesion/4/"
    account.cosoc_document = SimpleUploadedFile("observaciones.pdf", PDF, content_type="application/pdf")
    account.observations_published_at = timezone.now() + timedelta(days=1)
    account.save()
    client = Client()
    assert "El consejo pide" not in client.get(account.get_absolute_url()).content.decode()
    account.observations_published_at = timezone.now() - timedelta(minutes=1)
    account.save()
    html = client.get(account.get_absolute_url()).content.decode()
    assert "El consejo pide más plazos públicos." in html and "<script>alert(1)" not in html
    assert "https://example.org/cosoc/sesion/4/" in html
    download = client.get(f"/cuenta-publica/{account.year}/observaciones-cosoc/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
