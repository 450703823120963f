"""Celery tasks: they take ids, call a service and may safely run twice."""

from celery import shared_task

from engine.notifications import services as notification_services
from engine.reports import services as report_services


@shared_task(ignore_result=True)
def notifications_send_task(ids: list[int] | None = None) -> int:
    return notification_services.notifications_send(ids=ids)


@shared_task(ignore_result=True)
def notifications_sweep_task() -> int:
    """Every minute (beat): what is still pending because the broker or a worker was down."""
    sent = notification_services.notifications_sweep()
    report_services.report_jobs_sweep()
    return sent


@shared_task(ignore_result=True)
def digests_build_task() -> int:
    """Weekly (beat): one digest per person with pending items."""
    return notification_services.digests_build()


@shared_task(ignore_result=True)
def report_job_build_task(job_id: int) -> None:
    report_services.report_job_build(job_id=job_id)
