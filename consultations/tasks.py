"""Beat tasks: each calls a service and may safely run twice."""

from celery import shared_task

from consultations import results, services


@shared_task(name="consultations.phases_sweep")
def phases_sweep_task() -> int:
    return services.consultation_phases_sweep()


@shared_task(name="consultations.draft_reminders")
def draft_reminders_task() -> int:
    return services.response_draft_reminders_send()


@shared_task(name="consultations.results_refresh", ignore_result=True)
def results_refresh_task(consultation_id: int) -> bool:
    return results.results_refresh(consultation_id=consultation_id)


@shared_task(name="consultations.results_refresh_sweep", ignore_result=True)
def results_refresh_sweep_task() -> int:
    return results.results_refresh_sweep()
