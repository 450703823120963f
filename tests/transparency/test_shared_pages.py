"""What the list and a publication page show is made once per change of what is public and shared by every
reader who is not previewing; every change shows at once, and a draft never reaches the shared copy."""

import pytest
from django.test import Client

from tests.helpers import logged_in
from tests.transparency.factories import AttachmentFactory, BudgetRowFactory, PublicationFactory, draft
from transparency import services
from transparency.models import Status

pytestmark = pytest.mark.django_db


def test_a_new_publication_shows_at_once_in_the_shared_list(client):
    PublicationFactory(title="Primera")
    assert "Primera" in client.get("/informacion/").content.decode()
    PublicationFactory(title="Segunda publicada")
    assert "Segunda publicada" in Client().get("/informacion/").content.decode()


def test_unpublishing_and_edits_show_at_once(client):
    publication = PublicationFactory(title="Visible")
    client.get(publication.get_absolute_url())
    publication.title = publication.title_es = "Visible y corregida"
    services.publication_save(publication=publication)
    assert "Visible y corregida" in client.get(publication.get_absolute_url()).content.decode()
    services.publication_set_status(publication=publication, status=Status.DRAFT)
    assert "Visible y corregida" not in client.get("/informacion/").content.decode()
    assert client.get(publication.get_absolute_url()).status_code == 404


def test_new_files_budget_rows_and_versions_show_at_once(client):
    publication = PublicationFactory()
    client.get(publication.get_absolute_url())
    AttachmentFactory(publication=publication, title="Anexo nuevo")
    BudgetRowFactory(publication=publication, program="Programa nuevo")
    services.publication_update(publication=publication, change_note="Nota del cambio nuevo.")
    content = client.get(publication.get_absolute_url()).content.decode()
    assert "Anexo nuevo" in content and "Programa nuevo" in content and "Nota del cambio nuevo." in content


def test_staff_previews_never_leak_into_the_shared_copy(editor, client):
    draft(title="Borrador interno")
    staff = logged_in(editor)
    assert "Borrador interno" in staff.get("/informacion/").content.decode()
    assert "Borrador interno" not in client.get("/informacion/").content.decode()
    PublicationFactory(title="Pública")
    assert "Borrador interno" in staff.get("/informacion/").content.decode()
    assert "Borrador interno" not in client.get("/informacion/").content.decode()
