from celery import shared_task

from . import housekeeping, notifications


@shared_task
def send_notification_emails() -> int:
    """E-mails what the in-app inbox received and was not e-mailed yet."""
    return notifications.send_pending_emails()


@shared_task
def clean_up_expired_rows() -> dict[str, int]:
    """Nightly: expired sessions and tokens, long-read notifications, used idempotency keys."""
    return housekeeping.housekeeping_run()
