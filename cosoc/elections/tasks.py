"""Celery tasks of the elections (imported by ``cosoc.elections.hooks`` so workers know them)."""

from celery import shared_task

from cosoc.elections import services


@shared_task(name="cosoc.elections.phases_sweep", ignore_result=True)
def election_phases_sweep_task() -> int:
    """Every minute (beat): phases whose date and hour came."""
    return services.election_phases_sweep()
