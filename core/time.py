"""Time in Shanghai, whatever the server's clock zone."""

from datetime import date, datetime, time

from django.utils import timezone

# The first day the product keeps records for: the two-level commissioner mechanism, and every contact,
# case and figure of it, began long after. A date before it is a typing slip, not history.
EARLIEST_RECORDED_DAY = date(2000, 1, 1)
# The last month a dashboard period may reach: the month after it must still be a date.
LATEST_RECORDED_DAY = date(2099, 12, 31)


def local_today() -> date:
    """Today in Shanghai, whatever the server's clock zone."""
    return timezone.localdate()


def start_of_day(day: date) -> datetime:
    """Midnight in Shanghai at the start of `day`: whole local days as ranges on timestamps."""
    return timezone.make_aware(datetime.combine(day, time.min))
