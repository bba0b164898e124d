"""Housekeeping: rows that have served their purpose and only grow the database, removed by one
nightly beat job. Expired sessions and API tokens, notifications read long ago, idempotency keys
past their day. Never a history or change table: those go only by `purge_history`, on purpose."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from knox.models import AuthToken

from .idempotency import KEPT_FOR as IDEMPOTENCY_KEPT_FOR
from .models import IdempotentRequest, Notification

logger = logging.getLogger(__name__)

# Deleted in batches of this many rows: each batch a short transaction, never one long lock.
BATCH = 5000


def _delete_in_batches(rows: QuerySet) -> int:
    removed = 0
    while True:
        with transaction.atomic():
            ids = list(rows.values_list("pk", flat=True)[:BATCH])
            if not ids:
                return removed
            rows.model.objects.filter(pk__in=ids).delete()
            removed += len(ids)


def housekeeping_run(*, now=None) -> dict[str, int]:
    """Removes what has expired; returns (and logs) how many rows of each kind went."""
    now = now or timezone.now()
    read_kept = timedelta(days=settings.HOUSEKEEPING["NOTIFICATIONS_READ_KEPT_DAYS"])
    removed = {
        "expired_sessions": _delete_in_batches(Session.objects.filter(expire_date__lt=now)),
        "expired_api_tokens": _delete_in_batches(AuthToken.objects.filter(expiry__lt=now)),
        # A notification's key keeps a job from telling the same event twice; one read this long ago
        # is about an event long settled.
        "read_notifications": _delete_in_batches(Notification.objects.filter(read_at__lt=now - read_kept)),
        "idempotency_keys": _delete_in_batches(
            IdempotentRequest.objects.filter(created_at__lt=now - IDEMPOTENCY_KEPT_FOR)
        ),
    }
    logger.info("housekeeping removed %s", ", ".join(f"{count} {kind}" for kind, count in removed.items()))
    return removed
