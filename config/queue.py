"""Queueing work for the Celery worker, only once the database has committed."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args) -> None:
    """Sends `task` after the current transaction commits (at once outside one).

    If the broker is down the write that queued the task still succeeds: the sweeps
    find the work from what PostgreSQL holds, so a lost message delays it, never loses it."""

    def send() -> None:
        try:
            task.delay(*args)
        except Exception:
            logger.warning(
                "Could not queue %s%r; the next sweep will pick it up.", task.name, args, exc_info=True
            )

    transaction.on_commit(send)
