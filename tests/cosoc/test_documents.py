"""Agenda documents are checked by content, stored under generated names and served only through the
permission-checking view (tests/cosoc/test_permissions.py has who gets which)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cosoc.models import AgendaDocument, DocumentVisibility
from tests.cosoc.factories import AgendaItemFactory
from tests.file_samples import HOSTILE, PDF

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "content", "code", "words"), HOSTILE, ids=[case[0] + case[2] for case in HOSTILE]
)
def test_hostile_documents_are_refused_with_a_clear_message(file_storage, name, content, code, words):
    document = AgendaDocument(
        item=AgendaItemFactory(), title="Minuta", file=SimpleUploadedFile(name, content), visibility="public"
    )
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert words in " ".join(error.value.message_dict["file"])


def test_a_pdf_is_stored_under_a_generated_name_and_served_as_a_download(file_storage, client, in_review):
    document = AgendaDocument(
        item=in_review.items.get(),
        title="Anexo",
        file=SimpleUploadedFile("anexo <script>.pdf", PDF),
        visibility=DocumentVisibility.PUBLIC,
    )
    document.full_clean()
    document.save()
    assert "script" not in document.file.name and document.file.name.startswith("cosoc/documents/")
    response = client.get(document.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["X-Content-Type-Options"] == "nosniff"
