"""The one outbound e-mail path. Notifications and daily digests are written out as `OutgoingEmail`
rows (once each: a database constraint), and `send_due_emails` sends those rows.

Each message is claimed in a transaction of its own (a lease, so a concurrent sender skips it),
sent with no database lock held, and marked sent in a transaction of its own the moment the mail
server took it. So a refused address harms only its own message, and a sender killed mid-run
re-sends at most the one message it was sending, once its lease has run out. A failure is recorded
(attempts, last error) and retried with backoff; after `EMAIL["MAX_ATTEMPTS"]`, or at once for an
address the server refuses for good (5xx), it is given up and shown to administrators."""

import logging
import smtplib
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import DailyDigest, Notification, OutgoingEmail

logger = logging.getLogger(__name__)
S = OutgoingEmail.Status


def _setting(name: str) -> int:
    return settings.EMAIL_DELIVERY[name]


def queue_emails(emails: Iterable[OutgoingEmail]) -> int:
    """Adds e-mails to the outbox; one already there for the same notification or digest is kept."""
    rows = list(emails)
    if rows:
        OutgoingEmail.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return len(rows)


def _claim(*, now: datetime) -> OutgoingEmail | None:
    """The next due e-mail, leased to this sender; None when there is none."""
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(status=S.PENDING, next_attempt_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("next_attempt_at", "id")
            .first()
        )
        if email is None:
            return None
        # The row is locked: counting the attempt here cannot lose another sender's.
        email.claimed_until = now + timedelta(seconds=_setting("CLAIM_SECONDS"))
        email.attempts += 1
        email.save(update_fields=["claimed_until", "attempts"])
    return email


def _mark_sent(email: OutgoingEmail) -> None:
    now = timezone.now()
    with transaction.atomic():
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=S.SENT, sent_at=now, claimed_until=None, last_error=""
        )
        if email.notification_id is not None:
            Notification.objects.filter(pk=email.notification_id).update(emailed_at=now)
        if email.digest_id is not None:
            DailyDigest.objects.filter(pk=email.digest_id).update(sent_at=now)


def _is_permanent(error: Exception) -> bool:
    """The server refused the address or the message for good: trying again cannot help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600 and not isinstance(error, smtplib.SMTPAuthenticationError)
    return False


def _mark_failed(email: OutgoingEmail, error: Exception) -> None:
    give_up = _is_permanent(error) or email.attempts >= _setting("MAX_ATTEMPTS")
    # 1, 4, 16, 64 ... minutes after each failure.
    backoff = timedelta(seconds=_setting("RETRY_AFTER_SECONDS") * 4 ** (email.attempts - 1))
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=S.FAILED if give_up else S.PENDING,
        next_attempt_at=timezone.now() + backoff,
        claimed_until=None,
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    logger.warning(
        "E-mail %s to %s failed (attempt %s)%s: %s",
        email.pk,
        email.to,
        email.attempts,
        ", given up" if give_up else "",
        error,
    )


def _message(email: OutgoingEmail) -> EmailMessage:
    return EmailMessage(subject=email.subject, body=email.body, to=[email.to])


def send_due_emails(*, limit: int | None = None) -> int:
    """Sends the e-mails that are due, one by one; returns how many were sent."""
    limit = limit if limit is not None else _setting("BATCH")
    sent = 0
    connection = None
    try:
        for _ in range(limit):
            email = _claim(now=timezone.now())
            if email is None:
                break
            try:
                if connection is None:
                    connection = get_connection(fail_silently=False)
                    connection.open()
                connection.send_messages([_message(email)])
            except (smtplib.SMTPException, OSError) as error:
                _mark_failed(email, error)
                # The connection may be unusable after an error: the next message opens another.
                _close(connection)
                connection = None
                continue
            _mark_sent(email)
            sent += 1
    finally:
        _close(connection)
    return sent


def _close(connection) -> None:
    if connection is None:
        return
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        logger.info("Closing the mail connection failed", exc_info=True)


def retry(emails) -> int:
    """Administrators' "send again": given-up or waiting e-mails are due now, with a fresh count."""
    return emails.exclude(status=S.SENT).update(
        status=S.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_until=None
    )
