"""The public systematisation report is what staff published, per language and format; ordering a report to
check it never changes what the public downloads, and each reader gets their own language first."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation

from engine.models import ReportJob
from engine.reports.services import ReportNotPublishable, report_job_publish, report_job_unpublish
from tests.helpers import build_report, enable_mfa, grant, publish_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(results_questionnaire):
    return results_questionnaire.consultation


def download(consultation, fmt: str = "csv", prefix: str = ""):
    with translation.override("es"):  # the Spanish path; the prefix picks the language
        path = reverse("consultations:published-report", kwargs={"slug": consultation.slug, "fmt": fmt})
    return Client().get(prefix + path)


def results_page(consultation, prefix: str = "") -> str:
    return Client().get(f"{prefix}/consultas/{consultation.slug}/resultados/").content.decode()


def test_ordering_a_report_publishes_nothing(consultation, admin_user):
    build_report(consultation, "csv", by=admin_user)
    assert download(consultation).status_code == 404
    assert "informe.csv" not in results_page(consultation)


def test_a_kreyol_copy_ordered_to_check_it_leaves_the_spanish_page_alone(consultation, admin_user):
    published = publish_report(consultation, "csv", by=admin_user)
    build_report(consultation, "csv", by=admin_user, language="ht")  # ordered, not published

    for prefix in ("", "/ht", "/en"):
        response = download(consultation, prefix=prefix)
        assert response.status_code == 200
        # Every reader gets the only published file, the Spanish one.
        assert response["Content-Language"] == "es"
        assert response.content == bytes(published.file.content)


def test_each_reader_gets_their_language_first(consultation, admin_user):
    spanish = publish_report(consultation, "csv", by=admin_user)
    kreyol = publish_report(consultation, "csv", by=admin_user, language="ht")

    assert download(consultation, prefix="/ht").content == bytes(kreyol.file.content)
    assert download(consultation).content == bytes(spanish.file.content)
    # No English file: English readers get the Spanish one.
    assert download(consultation, prefix="/en")["Content-Language"] == "es"

    page = results_page(consultation, prefix="/ht")
    kreyol_link = f'/ht/consultas/{consultation.slug}/resultados/informe.csv"'
    spanish_link = f'"/consultas/{consultation.slug}/resultados/informe.csv"'
    assert kreyol_link in page and spanish_link in page
    assert page.index(kreyol_link) < page.index(spanish_link)  # the reader's language is offered first
    assert results_page(consultation).index(spanish_link) < results_page(consultation).index(kreyol_link)


def test_publishing_again_replaces_the_file_of_that_language_and_format(consultation, admin_user):
    first = publish_report(consultation, "csv", by=admin_user)
    pdf = publish_report(consultation, "xlsx", by=admin_user)
    second = publish_report(consultation, "csv", by=admin_user)

    published = ReportJob.objects.filter(published_at__isnull=False)
    assert set(published) == {second, pdf}
    first.refresh_from_db()
    assert first.published_at is None and first.published_by is None
    assert download(consultation).content == bytes(second.file.content)


def test_withdrawing_takes_the_file_off_the_portal(consultation, admin_user):
    job = publish_report(consultation, "csv", by=admin_user)
    report_job_unpublish(job=job, by=admin_user)
    assert download(consultation).status_code == 404
    assert ReportJob.objects.get(pk=job.pk).file.size  # staff keep it


def test_only_staff_with_the_right_may_publish(consultation, admin_user, staff_member):
    job = build_report(consultation, "csv", by=admin_user)
    # Ordering and seeing reports is not enough: publishing is its own permission.
    grant(enable_mfa(staff_member), "add_reportjob", "view_reportjob", "view_response")
    with pytest.raises(PermissionDenied):
        report_job_publish(job=job, by=staff_member)
    grant(staff_member, "publish_reportjob")
    report_job_publish(job=job, by=staff_member)
    assert download(consultation).status_code == 200


def test_a_report_still_being_built_cannot_be_published(consultation, admin_user):
    job = build_report(consultation, "csv", by=admin_user)
    ReportJob.objects.filter(pk=job.pk).update(status="running")
    with pytest.raises(ReportNotPublishable):
        report_job_publish(job=ReportJob.objects.get(pk=job.pk), by=admin_user)
    assert download(consultation).status_code == 404
