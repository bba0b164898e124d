"""Time in Shanghai, whatever the server's clock zone."""

from datetime import date, datetime, time

from django.utils import timezone


def local_today() -> date:
    """Today in Shanghai, whatever the server's clock zone."""
    return timezone.localdate()


def start_of_day(day: date) -> datetime:
    """Midnight in Shanghai at the start of `day`: whole local days as ranges on timestamps."""
    return timezone.make_aware(datetime.combine(day, time.min))
