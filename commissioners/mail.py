"""The one outbound e-mail path: notifications and daily digests are both sent through `send_pending`."""

from collections.abc import Callable
from typing import TypeVar

from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.db.models import QuerySet

Row = TypeVar("Row", bound=models.Model)


def send_pending(
    *,
    pending: QuerySet[Row],
    message_for: Callable[[Row], EmailMessage],
    mark_sent: Callable[[QuerySet[Row]], object],
    limit: int | None = None,
) -> int:
    """E-mails the rows of `pending` (each row one message) and marks them sent; returns how many.

    Rows are locked while they are sent and skipped by a concurrent run; a failed send rolls back
    and is retried by the next run."""
    with transaction.atomic():
        locked = pending.select_for_update(skip_locked=True, of=("self",))
        batch = list(locked[:limit] if limit is not None else locked)
        if not batch:
            return 0
        messages = [message_for(row) for row in batch]
        with get_connection() as connection:
            connection.send_messages(messages)
        mark_sent(pending.model.objects.filter(pk__in=[row.pk for row in batch]))
    return len(batch)
