"""Report jobs: staff order a report, a task builds it with progress, and the file is only handed out through
a permission check and a signed link that expires."""

import time

import pytest
from django.core import mail, signing
from django.urls import reverse

from engine import reports, tasks
from engine.models import ReportFile, ReportJob, ReportStatus
from engine.queue import reset_broker_state
from engine.reports import services
from engine.reports.builtin import PARTICIPANTS_PROFILE
from sermig_portal.celery import app as celery_app
from tests.engine.factories import participants
from tests.factories import UserFactory
from tests.helpers import enable_mfa, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(staff_member):
    """Staff who may order reports (but not see everyone's, nor raw counts)."""
    return grant(enable_mfa(staff_member), "add_reportjob")


@pytest.fixture
def other_staff(db):
    return grant(enable_mfa(UserFactory(email="otra@example.org", is_staff=True)), "add_reportjob")


@pytest.fixture
def population():
    participants(30, region="CL-RM", gender_identity="woman", nationality="VE")
    participants(12, region="CL-AI", gender_identity="man", nationality="HT")
    participants(2, region="CL-AI", gender_identity="non_binary", nationality="HT")


def order(client, **fields):
    data = {"format": "csv", "language": "es", "p-rows": "region", "p-columns": "gender_identity", **fields}
    return client.post(reverse("engine:report-start", args=[PARTICIPANTS_PROFILE]), data)


def test_staff_order_a_report_and_download_it(
    client, analyst, population, django_capture_on_commit_callbacks
):
    client.force_login(analyst)
    assert client.get(reverse("engine:report-new")).status_code == 200
    assert client.get(reverse("engine:report-start", args=[PARTICIPANTS_PROFILE])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = order(client)
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE and job.progress == 100
    assert job.requested_by == analyst

    page = client.get(job.get_absolute_url())
    assert b'http-equiv="refresh"' not in page.content  # finished: no more refreshing
    download_url = page.context["download_url"]
    response = client.get(download_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    text = response.content.decode("utf-8-sig")
    assert "Aysén del General Carlos Ibáñez del Campo" in text
    assert "< 10" in text  # the two non-binary people in Aysén stay hidden
    # The requester hears that the report is ready, with a link to the page (not to the file).
    assert len(mail.outbox) == 1 and job.get_absolute_url() in mail.outbox[0].body


def test_progress_page_refreshes_while_running(client, analyst):
    job = services.report_job_start(
        kind=PARTICIPANTS_PROFILE, requested_by=analyst, parameters={"rows": "region"}
    )
    client.force_login(analyst)
    page = client.get(job.get_absolute_url())
    assert b'<meta http-equiv="refresh" content="3">' in page.content
    assert b'<progress id="report-progress" max="100" value="0">' in page.content
    # The page refreshes itself without JavaScript: the only script is the portal's own enhancements.
    assert (
        page.content.count(b"<script") == 1 and b'<script src="/static/js/portal.js" defer>' in page.content
    )
    assert page.context["download_url"] == ""


def test_progress_moves_while_the_task_builds(analyst):
    seen = []

    def builder(*, parameters, progress, user):
        for value in (10, 50, 90):
            progress(value)
            seen.append(ReportJob.objects.values_list("status", "progress").get())
        return reports.ReportDocument(title="Prueba de avance")

    reports.register("test-progress", builder, title="Prueba")
    try:
        job = services.report_job_start(kind="test-progress", requested_by=analyst, format="csv")
        tasks.report_job_build_task.apply(args=[job.pk])
    finally:
        reports.unregister("test-progress")
    progress = [value for _status, value in seen]
    assert {status for status, _value in seen} == {ReportStatus.RUNNING}
    assert progress == sorted(progress) and progress[0] < progress[-1] < 100
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE and job.progress == 100


def test_task_delivered_twice_builds_once(analyst, population):
    job = services.report_job_start(
        kind=PARTICIPANTS_PROFILE, requested_by=analyst, parameters={"rows": "region"}, format="csv"
    )
    tasks.report_job_build_task.apply(args=[job.pk])
    first = ReportFile.objects.get(job=job).created_at
    tasks.report_job_build_task.apply(args=[job.pk])
    assert ReportFile.objects.get(job=job).created_at == first


def test_failed_builder_is_recorded(analyst):
    def broken(*, parameters, progress, user):
        raise RuntimeError("columna inexistente")

    reports.register("test-broken", broken, title="Roto")
    try:
        job = services.report_job_start(kind="test-broken", requested_by=analyst)
        services.report_job_build(job_id=job.pk)
    finally:
        reports.unregister("test-broken")
    job.refresh_from_db()
    assert job.status == ReportStatus.FAILED and "columna inexistente" in job.error


@pytest.fixture
def finished_job(analyst, population):
    job = services.report_job_start(
        kind=PARTICIPANTS_PROFILE, requested_by=analyst, parameters={"rows": "region"}, format="csv"
    )
    services.report_job_build(job_id=job.pk)
    return job


def download(client, job, user, token=None):
    token = token or services.report_download_token(job=job, user=user)
    return client.get(reverse("engine:report-download", args=[job.pk, token]))


def test_download_refused_to_a_citizen(client, finished_job, analyst, bob):
    token = services.report_download_token(job=finished_job, user=analyst)
    client.force_login(bob)
    assert download(client, finished_job, bob, token).status_code == 404
    client.logout()
    response = download(client, finished_job, bob, token)
    assert response.status_code == 302 and "download" not in response.get("Content-Disposition", "")


def test_download_refused_to_other_staff_without_permission(client, finished_job, analyst, other_staff):
    client.force_login(other_staff)
    assert download(client, finished_job, other_staff).status_code == 404  # not even its existence
    assert client.get(finished_job.get_absolute_url()).status_code == 404
    # The view-all permission opens it, with their own link.
    grant(other_staff, "view_reportjob")
    assert download(client, finished_job, other_staff).status_code == 200


def test_a_link_is_personal(client, finished_job, analyst, other_staff):
    grant(other_staff, "view_reportjob")
    client.force_login(other_staff)
    assert (
        download(
            client, finished_job, other_staff, services.report_download_token(job=finished_job, user=analyst)
        ).status_code
        == 403
    )


def test_download_refused_after_expiry(client, finished_job, analyst, settings, monkeypatch):
    client.force_login(analyst)
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - settings.ENGINE_REPORT_LINK_MAX_AGE - 5)
    old_token = services.report_download_token(job=finished_job, user=analyst)
    monkeypatch.undo()
    response = download(client, finished_job, analyst, old_token)
    assert response.status_code == 403
    assert "venció" in response.content.decode()
    assert download(client, finished_job, analyst).status_code == 200


def test_tampered_token_is_refused(client, finished_job, analyst):
    client.force_login(analyst)
    token = services.report_download_token(job=finished_job, user=analyst)
    assert download(client, finished_job, analyst, token[:-2] + "xx").status_code == 403


def test_raw_counts_need_the_dedicated_permission(client, analyst, population):
    client.force_login(analyst)
    form = client.get(reverse("engine:report-start", args=[PARTICIPANTS_PROFILE]))
    assert b'name="p-raw"' not in form.content
    with pytest.raises(Exception, match="raw"):
        services.report_job_start(
            kind=PARTICIPANTS_PROFILE, requested_by=analyst, parameters={"rows": "region", "raw": True}
        )
    grant(analyst, "view_raw_counts")
    job = services.report_job_start(
        kind=PARTICIPANTS_PROFILE,
        requested_by=analyst,
        parameters={"rows": "region", "columns": "gender_identity", "raw": True},
        format="csv",
    )
    services.report_job_build(job_id=job.pk)
    text = download(client, job, analyst).content.decode("utf-8-sig")
    assert "uso interno" in text
    aysen = [line for line in text.splitlines() if line.startswith("Aysén")][-1]  # the cross table
    assert aysen.split(",")[1:] == ["0", "12", "0", "0", "2", "0", "0", "14"]


def test_citizens_cannot_order_reports(client, bob, staff_member):
    client.force_login(bob)
    assert client.get(reverse("engine:report-new")).status_code == 403
    assert order(client).status_code == 403
    client.force_login(
        enable_mfa(staff_member)
    )  # staff with a second factor, but without engine.add_reportjob
    assert order(client).status_code == 403
    assert not ReportJob.objects.exists()


def test_files_are_never_under_media(finished_job):
    report_file = ReportFile.objects.get(job=finished_job)
    assert bytes(report_file.content)
    assert not hasattr(report_file, "url")


def test_queued_jobs_are_picked_up_by_the_sweep(
    analyst, population, broker_down, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.report_job_start(
            kind=PARTICIPANTS_PROFILE, requested_by=analyst, parameters={"rows": "region"}
        )
    assert ReportJob.objects.get(pk=job.pk).status == ReportStatus.QUEUED
    settings.ENGINE_REPORT_REQUEUE_AFTER = 0
    celery_app.conf.task_always_eager = True
    reset_broker_state()
    tasks.notifications_sweep_task.apply()
    assert ReportJob.objects.get(pk=job.pk).status == ReportStatus.DONE


@pytest.mark.parametrize(("file_format", "magic"), [("pdf", b"%PDF"), ("xlsx", b"PK")])
def test_pdf_and_xlsx_jobs(client, analyst, population, file_format, magic):
    job = services.report_job_start(
        kind=PARTICIPANTS_PROFILE,
        requested_by=analyst,
        parameters={"rows": "nationality", "columns": "region"},
        format=file_format,
        language="ht",
    )
    services.report_job_build(job_id=job.pk)
    client.force_login(analyst)
    response = download(client, job, analyst)
    assert response.status_code == 200 and response.content.startswith(magic)
    assert response["Content-Disposition"].endswith(f'.{file_format}"')
