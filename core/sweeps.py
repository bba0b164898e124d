"""Each periodic job's last start, success and failure, recorded in `SweepRun` by Celery's signals
for every task that the beat schedule names: no task body has to remember to do it.

The health check (config/health.py) reads these: a job whose last success is older than twice its
period means the beat, the worker or the job itself has stopped."""

import logging
import time
from datetime import timedelta
from itertools import pairwise
from typing import Any

from celery.schedules import crontab, schedule
from django.db import DatabaseError
from django.utils import timezone

from .models import SweepRun

logger = logging.getLogger(__name__)

_started: dict[str, float] = {}


def scheduled_task_names(app) -> set[str]:
    return {entry["task"] for entry in app.conf.beat_schedule.values()}


def _is_scheduled(task) -> bool:
    return task is not None and task.name in scheduled_task_names(task.app)


def _record(task_name: str, **fields: Any) -> None:
    # A job's work must not fail because its bookkeeping could not be written.
    try:
        updated = SweepRun.objects.filter(task=task_name).update(**fields)
        if not updated:
            SweepRun.objects.update_or_create(task=task_name, defaults=fields)
    except DatabaseError:
        logger.warning("Could not record the run of %s.", task_name, exc_info=True)


def sweep_started(*, task_id: str, task=None, **_: Any) -> None:
    if not _is_scheduled(task):
        return
    _started[task_id] = time.monotonic()
    _record(task.name, last_started_at=timezone.now())


def sweep_succeeded(*, sender=None, **_: Any) -> None:
    if not _is_scheduled(sender):
        return
    started = _started.pop(sender.request.id, None)
    duration = time.monotonic() - started if started is not None else None
    _record(sender.name, last_succeeded_at=timezone.now(), last_duration_seconds=duration)


def sweep_failed(*, sender=None, task_id: str | None = None, exception: BaseException | None = None, **_):
    if not _is_scheduled(sender):
        return
    started = _started.pop(task_id, None)
    duration = time.monotonic() - started if started is not None else None
    error = f"{type(exception).__name__}: {exception}" if exception is not None else ""
    _record(
        sender.name, last_failed_at=timezone.now(), last_error=error[:500], last_duration_seconds=duration
    )


def register_scheduled_sweeps(*, sender=None, **_: Any) -> None:
    """When a beat starts: every job of its schedule has its row, dated from now if new."""
    for name in sorted(scheduled_task_names(sender.app)):
        try:
            SweepRun.objects.get_or_create(task=name)
        except DatabaseError:
            logger.warning("Could not register the beat job %s.", name, exc_info=True)


def schedule_period(entry_schedule) -> timedelta:
    """The longest wait between two runs of a beat entry (a crontab's or a plain interval's)."""
    if isinstance(entry_schedule, crontab):
        return _crontab_period(entry_schedule)
    if isinstance(entry_schedule, schedule):
        return entry_schedule.run_every
    return timedelta(seconds=float(entry_schedule))


def _crontab_period(cron: crontab) -> timedelta:
    times = sorted(hour * 60 + minute for hour in cron.hour for minute in cron.minute)
    every_day = len(cron.day_of_week) == 7 and len(cron.day_of_month) == 31 and len(cron.month_of_year) == 12
    if every_day:
        span, fires = 24 * 60, times
    elif len(cron.day_of_month) == 31 and len(cron.month_of_year) == 12:
        # Some days of the week: the fire times across one week (celery counts Sunday as 0).
        span = 7 * 24 * 60
        fires = [day * 24 * 60 + minute for day in sorted(cron.day_of_week) for minute in times]
    else:
        # Days of the month or months: at most a year between runs; a month is the usual case.
        return timedelta(days=31 if len(cron.month_of_year) == 12 else 366)
    gaps = [later - earlier for earlier, later in pairwise(fires)]
    gaps.append(fires[0] + span - fires[-1])
    return timedelta(minutes=max(gaps))
