"""Issue 11, item 4: every file field refuses hostile uploads (in the admin too, storing nothing); files reach
people only through views that ask whether the object is visible; no URL serves MEDIA_ROOT."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone
from django.views.static import serve

from consultations.admin import DocumentInline
from consultations.models import Consultation, ConsultationDocument, ConsultationPlan
from consultations.views import DETAIL_ROWS_PER_PAGE
from engine.files import FILE_CSP, PDF_CSP, file_attach, inspect_upload
from tests import file_samples as samples
from tests.consultations.factories import (
    ConsultationDocumentFactory,
    ConsultationFactory,
    ConsultationPlanFactory,
)
from tests.consultations.test_query_counts import count_queries
from tests.factories import UserFactory
from tests.helpers import enable_mfa, grant, logged_in

pytestmark = pytest.mark.django_db

ADD_PLAN = "/admin/consultations/consultationplan/add/"
GENERATED = r"consultations/(plans|documents)/\d{4}/[0-9a-f]{32}\.(pdf|xlsx|csv|docx|odt|ods|png|jpg)"


def plan_form(document, **extra) -> dict:
    return {
        "year": "2031",
        "title_es": "Plan de consultas 2031",
        "title_ht": "",
        "title_en": "",
        "summary_es": "",
        "summary_ht": "",
        "summary_en": "",
        "published_at_0": "",
        "published_at_1": "",
        "document": document,
        **extra,
    }


@pytest.mark.parametrize(("name", "content", "code", "words"), samples.HOSTILE, ids=lambda v: str(v)[:30])
def test_the_admin_refuses_hostile_plan_documents_and_stores_nothing(
    admin_client, file_storage, name, content, code, words
):
    response = admin_client.post(ADD_PLAN, plan_form(SimpleUploadedFile(name, content)))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["document"]
    assert len(errors) == 1 and words in errors[0]
    assert words in response.content.decode()
    assert not ConsultationPlan.objects.exists()
    assert file_storage.listdir("") == ([], [])


def test_the_admin_refuses_an_oversize_document(admin_client, file_storage):
    too_big = samples.PDF + bytes(django_settings.UPLOAD_MAX_BYTES)
    response = admin_client.post(ADD_PLAN, plan_form(SimpleUploadedFile("plan.pdf", too_big)))
    assert "es demasiado grande" in response.context["adminform"].form.errors["document"][0]
    assert not ConsultationPlan.objects.exists()
    assert file_storage.listdir("") == ([], [])


def test_the_admin_stores_an_accepted_document_under_a_generated_name(admin_client, file_storage):
    upload = SimpleUploadedFile("Plan 2031 de Ana Pérez.pdf", samples.PDF)
    response = admin_client.post(ADD_PLAN, plan_form(upload))
    assert response.status_code == 302
    plan = ConsultationPlan.objects.get()
    assert re.fullmatch(GENERATED, plan.document.name)
    assert plan.document_name == "Plan 2031 de Ana Pérez.pdf"
    assert file_storage.open(plan.document.name).read() == samples.PDF
    # The admin's "currently" link goes to the checked view, not to the storage.
    change = admin_client.get(f"/admin/consultations/consultationplan/{plan.pk}/change/").content.decode()
    assert f'href="{plan.get_download_url()}"' in change
    assert django_settings.MEDIA_URL not in change


def document_inline_formset(request_user, upload):
    """The admin's own formset for a consultation's documents, bound to one new document with ``upload``."""
    consultation = ConsultationFactory()
    request = RequestFactory().post("/")
    request.user = request_user
    formset_class = DocumentInline(Consultation, admin.site).get_formset(request, consultation)
    prefix = formset_class.get_default_prefix()
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-title_es": "Minuta de posición",
        f"{prefix}-0-order": "1",
    }
    return formset_class(data, {f"{prefix}-0-file": upload}, instance=consultation, prefix=prefix)


@pytest.mark.parametrize(("name", "content", "code", "words"), samples.HOSTILE, ids=lambda v: str(v)[:30])
def test_the_admin_document_inline_refuses_hostile_files(
    admin_user, file_storage, name, content, code, words
):
    formset = document_inline_formset(admin_user, SimpleUploadedFile(name, content))
    assert not formset.is_valid()
    assert words in formset.errors[0]["file"][0]
    assert file_storage.listdir("") == ([], [])


def test_the_admin_document_inline_keeps_the_original_name(admin_user, file_storage):
    upload = SimpleUploadedFile("Datos regionales.xlsx", samples.VALID["resultados.xlsx"])
    formset = document_inline_formset(admin_user, upload)
    assert formset.is_valid(), formset.errors
    [document] = formset.save()
    assert re.fullmatch(GENERATED, document.file.name) and document.file_name == "Datos regionales.xlsx"
    assert file_storage.open(document.file.name).read() == samples.VALID["resultados.xlsx"]


# --- Download views --------------------------------------------------------------------------------

PERSONAS = ["anonymous", "alice", "staff without permission", "staff who may preview"]


@pytest.fixture
def browsers(alice) -> dict[str, Client]:
    outsider = enable_mfa(UserFactory(email="otra@example.org", is_staff=True))
    previewer = grant(enable_mfa(UserFactory(email="vista@example.org", is_staff=True)), "view_consultation")
    return {
        "anonymous": Client(),
        "alice": logged_in(alice),
        "staff without permission": logged_in(outsider),
        "staff who may preview": logged_in(previewer),
    }


def with_file(instance, field: str, name: str, content: bytes = samples.PDF):
    file_attach(instance=instance, field=field, content=content, name=name)
    instance.save()
    return instance


@pytest.fixture
def files(file_storage) -> dict[str, str]:
    published = ConsultationFactory(slug="publicada")
    draft = ConsultationFactory(slug="borrador", is_published=False)
    return {
        "published plan": with_file(
            ConsultationPlanFactory(year=2031), "document", "Plan 2031.pdf"
        ).get_download_url(),
        "unpublished plan": with_file(
            ConsultationPlanFactory(year=2032, published_at=None), "document", "Plan 2032.pdf"
        ).get_download_url(),
        "plan without a document": "/consultas/plan/2033/documento/",
        "published document": with_file(
            ConsultationDocument(consultation=published, title="Minuta"),
            "file",
            "Minuta.xlsx",
            samples.xlsx(),
        ).get_download_url(),
        "document of an unpublished consultation": with_file(
            ConsultationDocument(consultation=draft, title="Borrador"), "file", "Borrador.pdf"
        ).get_download_url(),
        "link-only document": ConsultationDocumentFactory(consultation=published).get_download_url(),
        "document under another consultation": with_file(
            ConsultationDocument(consultation=draft, title="Otra"), "file", "Otra.pdf"
        )
        .get_download_url()
        .replace("borrador", "publicada"),
    }


@pytest.fixture
def _plan_without_document(db):
    ConsultationPlanFactory(year=2033)


DOWNLOADS = [
    ("published plan", [200, 200, 200, 200]),
    ("unpublished plan", [404, 404, 404, 200]),
    ("plan without a document", [404, 404, 404, 404]),
    ("published document", [200, 200, 200, 200]),
    ("document of an unpublished consultation", [404, 404, 404, 200]),
    ("link-only document", [404, 404, 404, 404]),
    ("document under another consultation", [404, 404, 404, 404]),
]


@pytest.mark.usefixtures("_plan_without_document")
@pytest.mark.parametrize(("what", "expected"), DOWNLOADS, ids=lambda v: str(v))
def test_who_may_download_what(files, browsers, what, expected):
    assert [browsers[persona].get(files[what]).status_code for persona in PERSONAS] == expected


def test_a_published_plan_document_is_served_inline_with_safe_headers(files):
    response = Client().get(files["published plan"])
    assert b"".join(response.streaming_content) == samples.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="Plan 2031.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == PDF_CSP
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "private" not in response.get("Cache-Control", "")


def test_a_spreadsheet_downloads_as_an_attachment(files):
    response = Client().get(files["published document"])
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="Minuta.xlsx"'
    assert response["Content-Security-Policy"] == FILE_CSP


def test_a_preview_download_is_kept_out_of_shared_caches(files, browsers):
    response = browsers["staff who may preview"].get(files["document of an unpublished consultation"])
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_pages_link_to_the_views_with_type_and_size(files):
    plan_page = Client().get("/consultas/plan/2031/").content.decode()
    assert (
        f'<a href="{files["published plan"]}">Descargar el plan</a> <span class="small">(PDF, ' in plan_page
    )
    detail = Client().get("/consultas/publicada/").content.decode()
    assert f'<a href="{files["published document"]}">Minuta</a> <span class="small">(XLSX, ' in detail
    assert django_settings.MEDIA_URL not in plan_page + detail


def test_document_links_with_type_and_size_cost_no_queries_10_vs_100(client, file_storage):
    consultation = ConsultationFactory(slug="documentada")

    def add_documents(n: int) -> None:
        for i in range(n):
            with_file(
                ConsultationDocument(consultation=consultation, title=f"Anexo {i}"), "file", "anexo.pdf"
            )

    add_documents(10)
    with_10 = count_queries(client, consultation.get_absolute_url())
    add_documents(90)
    html = client.get(consultation.get_absolute_url()).content.decode()
    # A full page of documents, each with its type and size; the rest are on the next pages.
    assert html.count('<span class="small">(PDF, ') == DETAIL_ROWS_PER_PAGE
    last = client.get(f"{consultation.get_absolute_url()}?documentos=5").content.decode()
    assert last.count('<span class="small">(PDF, ') == 100 - 4 * DETAIL_ROWS_PER_PAGE
    assert count_queries(client, consultation.get_absolute_url()) == with_10


# --- Nothing serves MEDIA_ROOT -----------------------------------------------------------------------


def test_stored_names_are_not_guessable(files):
    names = [plan.document.name for plan in ConsultationPlan.objects.exclude(document="")]
    names += [document.file.name for document in ConsultationDocument.objects.exclude(file="")]
    assert len(names) == len(set(names)) == 5
    for name in names:
        assert re.fullmatch(GENERATED, name)
        assert not {"Plan", "Minuta", "Borrador", "Otra"} & set(re.split(r"[/.]", name))


def _patterns(resolver: URLResolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern)
        else:
            yield pattern


def _serves_files(urlconf) -> list[URLPattern]:
    return [p for p in _patterns(get_resolver(urlconf)) if p.callback is serve or "media" in str(p.pattern)]


def test_no_url_serves_media_root(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    plan = with_file(ConsultationPlanFactory(year=2031), "document", "Plan.pdf")
    assert isinstance(plan.document.storage._wrapped, FileSystemStorage)
    assert (Path(tmp_path) / plan.document.name).read_bytes() == samples.PDF
    assert _serves_files(None) == []
    media_url = f"{settings.MEDIA_URL}{plan.document.name}"
    with pytest.raises(Resolver404):
        resolve(media_url)
    assert client.get(media_url).status_code == 404
    assert client.get(plan.get_download_url()).status_code == 200


# Run with development settings and DEBUG on, in a process of its own: the URLconf is read once per process.
DEVELOPMENT_CHECK = """
import django
from django.urls import URLResolver, get_resolver
from django.views.static import serve
django.setup()
def walk(resolver):
    for pattern in resolver.url_patterns:
        yield from walk(pattern) if isinstance(pattern, URLResolver) else [pattern]
patterns = list(walk(get_resolver()))
print(sum(p.callback is serve or "media" in str(p.pattern) for p in patterns), len(patterns))
"""


def test_no_url_serves_media_root_in_development_either():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "sermig_portal.settings.dev", "DEBUG": "true"}
    result = subprocess.run(
        [sys.executable, "-c", DEVELOPMENT_CHECK],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    serving, total = map(int, result.stdout.split()[-2:])
    assert serving == 0 and total > 20


def test_media_root_is_apart_from_static_files():
    media = Path(django_settings.MEDIA_ROOT).resolve()
    for static in [django_settings.STATIC_ROOT, *django_settings.STATICFILES_DIRS]:
        static = Path(static).resolve()
        assert not media.is_relative_to(static) and not static.is_relative_to(media)


def test_the_demo_files_are_real_and_pass_the_validator(file_storage):
    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())
    plan = ConsultationPlan.objects.get(year=timezone.now().year)
    document = ConsultationDocument.objects.exclude(file="").get()
    for url in (plan.get_download_url(), document.get_download_url()):
        response = Client().get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        content = b"".join(response.streaming_content)
        assert inspect_upload(ContentFile(content), name="demo.pdf").code == "pdf"
