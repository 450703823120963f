"""Beat tasks: each calls a service and may safely run twice."""

from celery import shared_task

from public_accounts import services


@shared_task(name="public_accounts.phases_sweep")
def phases_sweep_task() -> int:
    return services.account_phases_sweep()


@shared_task(name="public_accounts.deadline_reminders")
def deadline_reminders_task() -> int:
    return services.deadline_reminders_send()
