"""Queueing work for the Celery worker, only once the database has committed."""

import logging
import time

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)

# After a failed publish, this process queues nothing for a while: each further try would wait for
# the broker's timeout again, and the sweeps find the work from the database anyway.
BROKER_RETRY_AFTER_SECONDS = 30.0
_broker_down_until = 0.0


def enqueue_on_commit(task_name: str, *args) -> None:
    """Sends the task named `task_name` after the current transaction commits (at once outside one).

    Tasks are named, not imported, so that a service never imports the tasks module that calls it.
    If the broker is down the write that queued the task still succeeds: the sweeps find the work
    from what PostgreSQL holds, so a lost message delays it, never loses it."""

    def send() -> None:
        global _broker_down_until
        if time.monotonic() < _broker_down_until:
            logger.info("Broker unavailable; %s%r is left to the next sweep.", task_name, args)
            return
        try:
            current_app.send_task(task_name, args=args)
        except Exception:
            _broker_down_until = time.monotonic() + BROKER_RETRY_AFTER_SECONDS
            logger.warning(
                "Could not queue %s%r; the next sweep will pick it up.", task_name, args, exc_info=True
            )

    transaction.on_commit(send)
