"""Beat tasks: each calls a service and may safely run twice."""

from celery import shared_task

from cosoc import services


@shared_task(name="cosoc.memberships_sync")
def memberships_sync_task() -> int:
    return services.memberships_sync_groups()
