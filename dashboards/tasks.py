"""Celery entry point of the dashboards: thin and idempotent, a call into `dashboards.services`."""

from celery import shared_task
from django.db import connection

from core.time import local_today

from . import services


@shared_task
def publish_rankings() -> int:
    """Daily: freezes the month that just ended in Shanghai (so on the 1st the previous month), and
    any month of the past year left unpublished; a month already published costs one query."""
    if connection.vendor != "postgresql":
        # The figures are kept by PostgreSQL triggers (docs/dashboards.md): elsewhere nothing to freeze.
        return 0
    return services.publish_due_rankings(today=local_today())
