from celery import shared_task
from django.utils import timezone

from . import scheduling


@shared_task
def open_contact_follow_ups() -> int:
    """Daily: a follow-up for every centre whose routine contact falls due."""
    return scheduling.open_contact_follow_ups(today=timezone.localdate())
