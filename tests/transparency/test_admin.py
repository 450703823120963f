"""Staff keep the register in admin: publishing asks for translations and warns of personal data, a
substantive change writes a version and tells followers; every write goes through the services."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from engine.models import Notification, Topic
from engine.notifications import subscription_set
from tests import file_samples
from tests.helpers import admin_form_data
from tests.transparency.factories import PublicationFactory, draft
from transparency import services
from transparency.models import Publication, Status

pytestmark = pytest.mark.django_db


def change(admin_client, publication: Publication, **values):
    url = reverse("admin:transparency_publication_change", args=[publication.pk])
    data = admin_form_data(admin_client.get(url))
    data.update(values)
    return admin_client.post(url, data)


def translated(**values) -> dict:
    """Every text in the three languages (the factory's body and unit too, unless given)."""
    values = {"body": "<p>Texto.</p>", "responsible_unit": "Estudios", **values}
    data = {}
    for name, value in values.items():
        data.update({f"{name}_es": value, f"{name}_ht": f"{value} (ht)", f"{name}_en": f"{value} (en)"})
    return data


def test_publishing_from_the_change_form_dates_versions_and_indexes(admin_client):
    publication = draft(**translated(title="Plan", summary="Resumen"))
    response = change(admin_client, publication, status=Status.PUBLISHED)
    assert response.status_code == 302, response.context["adminform"].form.errors
    publication.refresh_from_db()
    assert publication.status == Status.PUBLISHED and publication.published_on is not None
    assert publication.versions.count() == 1


def test_publishing_untranslated_text_needs_a_second_tick(admin_client):
    publication = draft(title="Solo en español", summary="Resumen solo en español")
    response = change(admin_client, publication, status=Status.PUBLISHED)
    assert response.status_code == 200
    assert "Faltan textos por traducir" in response.content.decode()
    assert Publication.objects.get(pk=publication.pk).status == Status.DRAFT
    response = change(admin_client, publication, status=Status.PUBLISHED, publish_anyway="on")
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Contacte a Juan, RUT 12.345.678-5.", "RUT: 12.345.678-5"),
        ("Escriba a juan.perez@gmail.com", "correo electrónico: juan.perez@gmail.com"),
        ("Pasaporte N° AB1234567 vencido", "pasaporte"),
        ("<p>Su celular +56 9 8765 4321</p>", "teléfono: +56 9 8765 4321"),
    ],
)
def test_personal_data_is_flagged_before_publishing(admin_client, text, shown):
    publication = draft(**translated(title="Plan", summary="Resumen"))
    response = change(admin_client, publication, status=Status.PUBLISHED, body_es=text)
    content = response.content.decode()
    assert response.status_code == 200 and "parece contener datos personales" in content and shown in content
    assert Publication.objects.get(pk=publication.pk).status == Status.DRAFT
    response = change(admin_client, publication, status=Status.PUBLISHED, body_es=text, no_personal_data="on")
    assert response.status_code == 302


def test_a_draft_may_hold_personal_data_while_staff_work_on_it(admin_client):
    publication = draft(**translated(title="Plan", summary="Resumen"))
    response = change(admin_client, publication, body_es="Llamar a juan.perez@gmail.com")
    assert response.status_code == 302


def test_a_substantive_change_writes_a_version_with_its_note_and_tells_followers(admin_client, alice, bob):
    topic = Topic.objects.first()
    publication = PublicationFactory(**translated(title="Presupuesto", summary="Resumen"), topics=[topic])
    subscription_set(user=alice, target=topic)
    services.publication_type_follow(user=bob, type=publication.type)
    response = change(
        admin_client,
        publication,
        summary_es="Nuevo resumen",
        substantive_change="on",
        change_note="Cifras de octubre.",
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    current = publication.versions.order_by("-number").first()
    assert (current.number, current.change_note, current.summary) == (
        2,
        "Cifras de octubre.",
        "Nuevo resumen",
    )
    assert set(Notification.objects.values_list("recipient__email", flat=True)) == {alice.email, bob.email}


def test_a_substantive_change_needs_its_note(admin_client):
    publication = PublicationFactory(**translated(title="Plan", summary="Resumen"))
    response = change(admin_client, publication, substantive_change="on", change_note="")
    assert response.status_code == 200 and "qué cambió" in response.content.decode()
    assert publication.versions.count() == 1


def test_a_correction_keeps_the_version_and_the_date(admin_client):
    publication = PublicationFactory(**translated(title="Plan", summary="Resumen"))
    before = publication.updated_on
    assert change(admin_client, publication, title_es="Plan corregido").status_code == 302
    publication.refresh_from_db()
    assert publication.title == "Plan corregido" and publication.updated_on == before
    assert publication.versions.count() == 1 and not mail.outbox


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        (n, c, w)
        for n, c, _code, w in file_samples.HOSTILE
        if not n.endswith((".png", ".jpg"))  # images are not attachments here: refused by their extension
    ],
)
def test_hostile_attachments_are_refused_with_a_clear_message(admin_client, name, content, words):
    publication = PublicationFactory(**translated(title="Plan", summary="Resumen"))
    url = reverse("admin:transparency_publication_change", args=[publication.pk])
    data = admin_form_data(admin_client.get(url))
    data.update(
        {
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-title_es": "Anexo",
            "attachments-0-description_es": "Un anexo",
            "attachments-0-order": "0",
            "attachments-0-file": SimpleUploadedFile(name, content),
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not publication.attachments.exists()


@pytest.mark.parametrize(
    "name", ["plan.pdf", "resultados.xlsx", "datos.csv", "minuta.docx", "minuta.odt", "planilla.ods"]
)
def test_every_listed_type_is_accepted_and_images_are_not(admin_client, name):
    publication = PublicationFactory(**translated(title="Plan", summary="Resumen"))
    url = reverse("admin:transparency_publication_change", args=[publication.pk])
    data = admin_form_data(admin_client.get(url))
    data.update(
        {
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-title_es": "Anexo",
            "attachments-0-description_es": "Un anexo",
            "attachments-0-order": "0",
            "attachments-0-file": SimpleUploadedFile(name, file_samples.VALID[name]),
        }
    )
    assert admin_client.post(url, data).status_code == 302
    assert publication.attachments.get().file_name == name
    data["attachments-0-file"] = SimpleUploadedFile("afiche.png", file_samples.PNG)
    assert admin_client.post(url, data).status_code == 200


def test_the_review_page_lists_late_items_oldest_first(editor_client):
    from tests.transparency.factories import published_days_ago  # noqa: PLC0415  (only here)

    late = published_days_ago(400, title="Plan atrasado")
    later = published_days_ago(800, title="Política muy atrasada")
    published_days_ago(5, title="Al día")
    content = editor_client.get(reverse("transparency:review")).content.decode()
    assert content.index(later.title) < content.index(late.title)
    assert "Al día" not in content


def test_an_oversize_attachment_is_refused_with_its_size(admin_client, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    publication = PublicationFactory(**translated(title="Plan", summary="Resumen"))
    url = reverse("admin:transparency_publication_change", args=[publication.pk])
    data = admin_form_data(admin_client.get(url))
    data.update(
        {
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-title_es": "Anexo",
            "attachments-0-description_es": "Un anexo",
            "attachments-0-order": "0",
            "attachments-0-file": SimpleUploadedFile("plan.pdf", file_samples.PDF + b"%" * 4096),
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "demasiado grande" in response.content.decode()
    assert not publication.attachments.exists()
