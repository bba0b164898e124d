from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def sweep_assessments() -> int:
    """Daily: opens the cycles whose day has come, adds the assessments of centres that became active
    since their cycle opened, reminds before the due date, reports overdue ones, and chases the
    eligibility findings whose outcome is due. Returns the assessments plus the notifications."""
    today = timezone.localdate()
    return (
        services.open_due_cycles(today=today)
        + services.chase_assessments(today=today)
        + services.chase_finding_outcomes(today=today)
    )
