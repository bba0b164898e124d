from celery import shared_task

from . import notifications


@shared_task
def send_notification_emails() -> int:
    """E-mails what the in-app inbox received and was not e-mailed yet."""
    return notifications.send_pending_emails()
