"""Beat tasks: each calls a service and may safely run twice."""

from celery import shared_task

from consultations import services


@shared_task(name="consultations.phases_sweep")
def phases_sweep_task() -> int:
    return services.consultation_phases_sweep()


@shared_task(name="consultations.draft_reminders")
def draft_reminders_task() -> int:
    return services.response_draft_reminders_send()
