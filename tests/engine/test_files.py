"""engine.files: the one upload validator (by content), generated names, serving headers, type and size."""

import re

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation

from engine.files import (
    FILE_CSP,
    PDF_CSP,
    FileValidator,
    UploadField,
    UploadTo,
    file_summary,
    inspect_upload,
    serve_file,
)
from tests import file_samples as samples


def refusal(name: str, content: bytes, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        inspect_upload(ContentFile(content, name=name), name=name, **kwargs)
    return caught.value


@pytest.mark.parametrize("name", list(samples.VALID), ids=str)
def test_every_allowed_type_is_accepted(name):
    upload = SimpleUploadedFile(name, samples.VALID[name])
    file_type = inspect_upload(upload, name=name)
    assert name.lower().endswith(file_type.extensions)
    assert upload.tell() == 0  # left ready for the storage to read


@pytest.mark.parametrize(("name", "content", "code", "words"), samples.HOSTILE, ids=lambda v: str(v)[:30])
def test_hostile_files_are_refused_with_what_is_wrong_and_what_is_accepted(name, content, code, words):
    error = refusal(name, content)
    assert error.code == code
    [message] = error.messages
    assert words in message
    assert message.endswith(
        "Puede subir archivos PDF, XLSX, CSV, DOCX, ODT, ODS, PNG, JPEG de hasta 20,0\xa0MB."
    )


def test_a_file_over_the_size_limit_is_refused_before_reading_it():
    error = refusal("grande.pdf", samples.PDF + bytes(30 * 1024 * 1024))
    assert error.code == "file_too_big"
    assert "El archivo pesa 30,0\xa0MB: es demasiado grande." in error.messages[0]


def test_the_size_limit_and_the_types_come_from_settings(settings):
    settings.UPLOAD_MAX_BYTES = 100
    settings.UPLOAD_ALLOWED_TYPES = ["pdf", "csv"]
    assert refusal("plan.pdf", samples.PDF).code == "file_too_big"
    settings.UPLOAD_MAX_BYTES = 10_000
    error = refusal("afiche.png", samples.PNG)
    assert error.code == "file_extension"
    assert error.messages[0].endswith("Puede subir archivos PDF, CSV de hasta 9,8\xa0KB.")
    assert inspect_upload(ContentFile(samples.CSV), name="datos.csv").code == "csv"


def test_a_field_may_narrow_the_allowed_types():
    validator = FileValidator(types=["pdf", "png", "jpeg"])
    validator(SimpleUploadedFile("acta.pdf", samples.PDF))
    with pytest.raises(ValidationError) as caught:
        validator(SimpleUploadedFile("acta.xlsx", samples.xlsx()))
    assert caught.value.code == "file_extension"
    assert "Puede subir archivos PDF, PNG, JPEG de hasta" in caught.value.messages[0]


def test_zip_limits_are_settings(settings):
    settings.UPLOAD_ZIP_MAX_ENTRIES = 3
    assert refusal("resultados.xlsx", samples.xlsx()).code == "file_zip_bomb"
    settings.UPLOAD_ZIP_MAX_ENTRIES = 10_000
    settings.UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES = 1000
    assert refusal("resultados.xlsx", samples.xlsx()).code == "file_zip_bomb"


@pytest.mark.parametrize(
    ("language", "words"),
    [("ht", "Fichye a se yon paj entènèt, li pa yon PDF."), ("en", "The file is a web page, not a PDF.")],
)
def test_messages_are_translated(language, words):
    with translation.override(language):
        message = refusal("minuta.pdf", samples.HTML).messages[0]
    assert words in message


def test_the_validator_works_in_a_plain_form():
    class AttachmentForm(forms.Form):
        file = forms.FileField(validators=[FileValidator()])

    refused = AttachmentForm(files={"file": SimpleUploadedFile("minuta.pdf", samples.HTML)})
    accepted = AttachmentForm(files={"file": SimpleUploadedFile("minuta.pdf", samples.PDF)})
    assert not refused.is_valid()
    assert "El archivo es una página web, no un PDF." in refused.errors["file"][0]
    assert accepted.is_valid()


def test_stored_names_are_generated_and_keep_only_the_type():
    upload_to = UploadTo("consultations/documents")
    first = upload_to(None, "Minuta de Ana Pérez (RUT 12.345.678-9).PDF")
    second = upload_to(None, "Minuta de Ana Pérez (RUT 12.345.678-9).PDF")
    pattern = r"consultations/documents/\d{4}/[0-9a-f]{32}\.pdf"
    assert re.fullmatch(pattern, first) and re.fullmatch(pattern, second)
    assert first != second
    assert upload_to(None, "x.jpeg").endswith(".jpg")
    assert upload_to(None, "pagina.html").endswith(".bin")


# --- serve_file -----------------------------------------------------------------------------------


@pytest.fixture
def storage(file_storage):
    return file_storage


def stored(content: bytes, name: str):
    """A FieldFile of an UploadField holding ``content`` saved under a generated name."""
    field = UploadField(prefix="pruebas")
    field.set_attributes_from_name("file")
    file = field.attr_class(None, field, None)
    file.name = field.storage.save(field.generate_filename(None, name), ContentFile(content))
    return file


def served(file, download_name: str, public: bool = False):
    response = serve_file(RequestFactory().get("/"), file, download_name=download_name, public=public)
    return response, b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("name", "content_type", "disposition", "csp"),
    [
        ("plan.pdf", "application/pdf", 'inline; filename="Plan 2026.pdf"', PDF_CSP),
        ("afiche.png", "image/png", 'inline; filename="Plan 2026.png"', FILE_CSP),
        ("foto.jpg", "image/jpeg", 'inline; filename="Plan 2026.jpg"', FILE_CSP),
        (
            "resultados.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            'attachment; filename="Plan 2026.xlsx"',
            FILE_CSP,
        ),
        ("datos.csv", "text/csv", 'attachment; filename="Plan 2026.csv"', FILE_CSP),
        (
            "minuta.odt",
            "application/vnd.oasis.opendocument.text",
            'attachment; filename="Plan 2026.odt"',
            FILE_CSP,
        ),
    ],
)
def test_served_files_carry_their_type_and_safe_headers(storage, name, content_type, disposition, csp):
    response, body = served(stored(samples.VALID[name], name), "Plan 2026.pdf")
    assert body == samples.VALID[name]
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == csp
    assert "sandbox" in FILE_CSP and "default-src 'none'" in PDF_CSP
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Cache-Control"] == "private"


def test_public_files_may_be_cached_by_shared_caches(storage):
    response, _body = served(stored(samples.PDF, "plan.pdf"), "plan.pdf", public=True)
    assert "private" not in response.get("Cache-Control", "")


def test_a_stored_file_that_is_not_an_allowed_type_downloads_as_opaque_bytes(storage):
    """A file stored before the validator existed (or by code that skipped it) is never shown as a page."""
    response, _body = served(stored(samples.HTML, "viejo.pdf"), 'viejo"\r\nSet-Cookie: x=1.html')
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="viejo Set-Cookie: x=1.bin"'
    assert response["Content-Security-Policy"] == FILE_CSP


def test_a_missing_file_is_a_404(storage):
    file = stored(samples.PDF, "plan.pdf")
    storage.delete(file.name)
    with pytest.raises(Http404):
        served(file, "plan.pdf")


def test_summary_shows_type_and_localized_size(storage):
    big = stored(samples.PDF + bytes(1_250_000), "plan.pdf")
    assert file_summary(big) == "PDF, 1,2\xa0MB"
    with translation.override("en"):
        assert file_summary(big) == "PDF, 1.2\xa0MB"
    assert file_summary(stored(samples.CSV, "datos.csv")) == f"CSV, {len(samples.CSV)}\xa0bytes"


def test_summary_of_a_missing_file_still_shows_the_type(storage):
    file = stored(samples.PDF, "plan.pdf")
    storage.delete(file.name)
    assert file_summary(file) == "PDF"
