"""Enqueue a Celery task without ever making the caller wait on, or fail because of, the broker.

Callers enqueue inside ``transaction.on_commit``: by then the event and its outbox rows are saved, so a
broker that is down only delays the work until the beat sweep picks the rows up.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings

logger = logging.getLogger(__name__)

# After a failure, skip the broker for a while: a burst of submissions must not each wait for a timeout.
_broker_down_until = 0.0


def reset_broker_state() -> None:
    global _broker_down_until
    _broker_down_until = 0.0


def enqueue(task, *args, countdown: float | None = None, **kwargs) -> bool:
    """Send ``task`` to the broker, to run ``countdown`` seconds from now (in-process: at once); False (logged,
    never raised) when that was not possible."""
    global _broker_down_until
    if task.app.conf.task_always_eager:
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except Exception:
            # Eager mode runs the task right here, after the caller's commit: its failure is logged, and the
            # rows it left pending are retried by the sweep, as with a worker.
            logger.exception("eager task %s failed", task.name)
            return False
        return True
    if time.monotonic() < _broker_down_until:
        logger.info("broker marked unreachable: %s left for the sweep", task.name)
        return False
    try:
        # retry=False: one short attempt (socket timeouts in settings), never kombu's retry loop.
        task.apply_async(args=args, kwargs=kwargs, retry=False, countdown=countdown)
    except Exception:
        _broker_down_until = time.monotonic() + settings.ENGINE_BROKER_BACKOFF_SECONDS
        logger.warning("broker unreachable: %s left for the sweep", task.name, exc_info=True)
        return False
    return True
