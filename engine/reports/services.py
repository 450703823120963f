"""Report jobs: start one, build it in a worker, hand the file out through signed, expiring links, and publish
it. Ordering a report never changes what the public sees: only ``report_job_publish`` does, one file per
report, language and format."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from engine.models import ReportFile, ReportFormat, ReportJob, ReportStatus
from engine.notifications.services import notify
from engine.permissions import may_order_reports, may_publish_report, may_see_raw_counts
from engine.queue import enqueue
from engine.reports.registry import get_kind
from engine.reports.renderers import render

logger = logging.getLogger(__name__)
DOWNLOAD_SALT = "engine.report-download"


def report_job_start(
    *,
    kind: str,
    requested_by,
    parameters: dict | None = None,
    format: str = ReportFormat.PDF,
    language: str | None = None,
    enqueue_build: bool = True,
) -> ReportJob:
    """Queue a report; the build runs in a worker after commit (or in the sweep if the broker is down)."""
    report_kind = get_kind(kind)
    if report_kind is None:
        raise ValueError(f"Unknown report kind {kind!r}")
    if not may_order_reports(requested_by, permission=report_kind.permission):
        raise PermissionDenied("This user may not order this report.")
    parameters = dict(parameters or {})
    if parameters.get("raw") and not may_see_raw_counts(requested_by):
        raise PermissionDenied("Raw counts need the engine.view_raw_counts permission.")
    if format not in ReportFormat.values:
        raise ValueError(f"Unknown report format {format!r}")
    job = ReportJob.objects.create(
        requested_by=requested_by,
        kind=kind,
        parameters=parameters,
        format=format,
        language=language or requested_by.preferred_language or settings.LANGUAGE_CODE,
    )
    if enqueue_build:
        transaction.on_commit(lambda: _enqueue_build(job.pk))
    return job


def _enqueue_build(job_id: int) -> bool:
    from engine.tasks import report_job_build_task  # noqa: PLC0415  (circle: engine.tasks imports this module)

    return enqueue(report_job_build_task, job_id)


def _progress_recorder(job_id: int):
    last = {"value": 0}

    def progress(value: int) -> None:
        value = max(0, min(99, int(value)))
        # Only forward progress is written, one small UPDATE each time the page would show a change.
        if value > last["value"]:
            last["value"] = value
            ReportJob.objects.filter(pk=job_id, status=ReportStatus.RUNNING).update(progress=value)

    return progress


def report_job_build(*, job_id: int, notify_requester: bool = True) -> ReportJob | None:
    """Build a queued job. A second delivery of the same task finds it claimed and does nothing."""
    claimed = ReportJob.objects.filter(pk=job_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING, started_at=timezone.now(), progress=1
    )
    if not claimed:
        return None
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    report_kind = get_kind(job.kind)
    progress = _progress_recorder(job.pk)
    try:
        if report_kind is None:
            raise LookupError(f"Report kind {job.kind!r} is no longer registered")
        with translation.override(job.language):
            # The builder owns 0-80 %, rendering the rest.
            document = report_kind.builder(
                parameters=job.parameters,
                progress=lambda value: progress(1 + int(value) * 79 // 100),
                user=job.requested_by,
            )
            progress(85)
            content, content_type = render(document, job.format)
            name = f"{slugify(str(document.title)) or 'reporte'}-{job.pk}.{job.format}"
    except Exception as error:
        logger.exception("report job %s failed", job.pk)
        job.status = ReportStatus.FAILED
        job.error = f"{type(error).__name__}: {error}"[:2000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return job
    with transaction.atomic():
        ReportFile.objects.update_or_create(
            job=job,
            defaults={"name": name, "content_type": content_type, "size": len(content), "content": content},
        )
        job.status = ReportStatus.DONE
        job.progress = 100
        job.finished_at = timezone.now()
        job.error = ""
        job.save(update_fields=["status", "progress", "finished_at", "error"])
        if notify_requester and job.requested_by_id:
            notify(
                kind="report_ready",
                recipients=[job.requested_by],
                context={
                    "job_id": job.pk,
                    "title": str(document.title),
                    "url_name": "engine:report-detail",
                    "url_args": [job.pk],
                },
            )
    return job


def report_jobs_sweep() -> int:
    """Re-enqueue jobs still queued after a while (the broker was down) and fail jobs whose worker died."""
    now = timezone.now()
    stale = list(
        ReportJob.objects.stale_queued(
            now - timedelta(seconds=settings.ENGINE_REPORT_REQUEUE_AFTER)
        ).values_list("pk", flat=True)[:50]
    )
    for job_id in stale:
        if not _enqueue_build(job_id):
            break
    ReportJob.objects.filter(
        status=ReportStatus.RUNNING, started_at__lt=now - timedelta(seconds=settings.ENGINE_REPORT_TIMEOUT)
    ).update(
        status=ReportStatus.FAILED, error="Interrupted: the worker stopped before finishing", finished_at=now
    )
    return len(stale)


# --- Publishing ---------------------------------------------------------------------------------------


class ReportNotPublishable(Exception):
    """The job cannot be made public (not finished, or with raw counts); the message says why, translated."""


def _kind_permission(job: ReportJob) -> str | None:
    report_kind = get_kind(job.kind)
    if report_kind is None:
        raise ReportNotPublishable(_("Este tipo de reporte ya no existe."))
    return report_kind.permission


def report_job_publish(*, job: ReportJob, by) -> ReportJob:
    """Make ``job`` the file the public downloads for its report, language and format.

    The report published before for the same report, language and format is withdrawn in the same
    transaction, so the public page always offers one file per language and format. Refused (nothing written)
    for staff without the right, for a job not finished and for raw counts.
    """
    if job.wants_raw_counts:  # parameters never change after ordering
        raise ReportNotPublishable(_("Un reporte con recuentos sin supresión nunca se publica."))
    if not may_publish_report(by, job, permission=_kind_permission(job)):
        raise PermissionDenied("This user may not publish this report.")
    try:
        with transaction.atomic():
            locked = ReportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status != ReportStatus.DONE or not ReportFile.objects.filter(job=locked).exists():
                raise ReportNotPublishable(_("Solo se puede publicar un reporte terminado."))
            if locked.published_at is not None:
                return locked
            ReportJob.objects.filter(
                kind=locked.kind,
                parameters=locked.parameters,
                language=locked.language,
                format=locked.format,
                published_at__isnull=False,
            ).update(published_at=None, published_by=None)
            locked.published_at = timezone.now()
            locked.published_by = by
            locked.save(update_fields=["published_at", "published_by"])
    except IntegrityError as error:
        # Someone published another file for the same language and format at the same moment.
        raise ReportNotPublishable(
            _("Otra persona publicó este reporte al mismo tiempo. Vuelva a cargar la página.")
        ) from error
    return locked


def report_job_unpublish(*, job: ReportJob, by) -> ReportJob:
    """Take the job's file off the public pages (the job and its file stay for staff)."""
    if not may_publish_report(by, job, permission=_kind_permission(job)):
        raise PermissionDenied("This user may not withdraw this report.")
    ReportJob.objects.filter(pk=job.pk).update(published_at=None, published_by=None)
    job.published_at, job.published_by = None, None
    return job


# --- Downloads ---------------------------------------------------------------------------------------


def report_download_token(*, job: ReportJob, user) -> str:
    """A link for this job *and* this person, valid ENGINE_REPORT_LINK_MAX_AGE seconds."""
    return signing.TimestampSigner(salt=DOWNLOAD_SALT).sign(f"{job.pk}.{user.pk}")


TOKEN_VALID, TOKEN_EXPIRED, TOKEN_INVALID = "valid", "expired", "invalid"


def report_download_token_check(*, token: str, job: ReportJob, user) -> str:
    signer = signing.TimestampSigner(salt=DOWNLOAD_SALT)
    try:
        value = signer.unsign(token, max_age=settings.ENGINE_REPORT_LINK_MAX_AGE)
    except signing.SignatureExpired:
        return TOKEN_EXPIRED
    except signing.BadSignature:
        return TOKEN_INVALID
    # A link made for another job or another person is as good as a forged one.
    return TOKEN_VALID if value == f"{job.pk}.{user.pk}" else TOKEN_INVALID
