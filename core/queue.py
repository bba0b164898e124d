"""Queueing work for the Celery worker, only once the database has committed."""

import logging

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task_name: str, *args) -> None:
    """Sends the task named `task_name` after the current transaction commits (at once outside one).

    Tasks are named, not imported, so that a service never imports the tasks module that calls it.
    If the broker is down the write that queued the task still succeeds: the sweeps find the work
    from what PostgreSQL holds, so a lost message delays it, never loses it."""

    def send() -> None:
        try:
            current_app.send_task(task_name, args=args)
        except Exception:
            logger.warning(
                "Could not queue %s%r; the next sweep will pick it up.", task_name, args, exc_info=True
            )

    transaction.on_commit(send)
