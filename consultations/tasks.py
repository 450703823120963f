from celery import shared_task

from consultations import notifications


@shared_task(name="consultations.phases_sweep")
def phases_sweep_task() -> int:
    return notifications.phases_sweep()


@shared_task(name="consultations.draft_reminders")
def draft_reminders_task() -> int:
    return notifications.draft_reminders()
