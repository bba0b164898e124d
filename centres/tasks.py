from celery import shared_task
from django.utils import timezone

from . import assessments, scheduling


@shared_task
def open_contact_follow_ups() -> int:
    """Daily: a follow-up for every centre whose routine contact falls due."""
    return scheduling.open_contact_follow_ups(today=timezone.localdate())


@shared_task
def sweep_assessments() -> int:
    """Daily: opens the cycles whose day has come, adds the assessments of centres that became active
    since their cycle opened, reminds before the due date, reports overdue ones.
    Returns the assessments plus the notifications created."""
    today = timezone.localdate()
    return assessments.open_due_cycles(today=today) + assessments.chase_assessments(today=today)
