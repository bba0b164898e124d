"""The Celery application and the one beat schedule of the product."""

import os

from celery import Celery, signals
from celery.schedules import crontab
from django_structlog.celery.steps import DjangoStructLogInitStep
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("commissioners")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Each task's lines carry the id of the request that queued it (core.logs).
app.steps["worker"].add(DjangoStructLogInitStep)


@signals.setup_logging.connect
def _log_as_the_web_does(**_):
    """The worker and the beat log through the product's LOGGING (JSON lines in production), not
    Celery's own format."""
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


# Queues by kind of work, so that each can have workers of its own, on this host or others against
# the same Redis (`celery -A config worker -Q sweeps`): a long sweep never holds up an e-mail or the
# follow-up of an answer. A worker started without -Q consumes all three (the Procfile's, compose's).
SWEEPS, NOTIFICATIONS, WORK = "sweeps", "notifications", "work"
app.conf.task_queues = [Queue(WORK), Queue(SWEEPS), Queue(NOTIFICATIONS)]
# What the services queue after commit (core.queue), and any task not routed below.
app.conf.task_default_queue = WORK
app.conf.task_routes = {
    "cases.tasks.sweep_callbacks": {"queue": SWEEPS},
    "cases.tasks.sweep_deadlines": {"queue": SWEEPS},
    "cases.tasks.sweep_city_clocks": {"queue": SWEEPS},
    "cases.tasks.fold_overdue_figures": {"queue": SWEEPS},
    "centres.tasks.open_contact_follow_ups": {"queue": SWEEPS},
    "assessments.tasks.sweep_assessments": {"queue": SWEEPS},
    "dashboards.tasks.publish_rankings": {"queue": SWEEPS},
    "commissioners.tasks.send_notification_emails": {"queue": NOTIFICATIONS},
    "cases.tasks.send_daily_digests": {"queue": NOTIFICATIONS},
    "cases.tasks.open_callback_follow_up": {"queue": WORK},
    "cases.tasks.open_callback_follow_ups_of": {"queue": WORK},
    "commissioners.tasks.clean_up_expired_rows": {"queue": SWEEPS},
}

# Every periodic job of the product is listed here and nowhere else. Due times
# live in PostgreSQL; these entries only wake the sweepers that act on them.
app.conf.beat_schedule = {
    # Shanghai time (CELERY_TIMEZONE). Each job is idempotent: a missed or doubled run is harmless.
    "open-contact-follow-ups": {
        "task": "centres.tasks.open_contact_follow_ups",
        "schedule": crontab(hour=6, minute=0),
    },
    "sweep-assessments": {
        "task": "assessments.tasks.sweep_assessments",
        "schedule": crontab(hour=6, minute=15),
    },
    "sweep-deadlines": {
        "task": "cases.tasks.sweep_deadlines",
        "schedule": crontab(minute=5),
    },
    "sweep-city-clocks": {
        "task": "cases.tasks.sweep_city_clocks",
        "schedule": crontab(minute=35),
    },
    "sweep-callbacks": {
        "task": "cases.tasks.sweep_callbacks",
        "schedule": crontab(minute="*/10"),
    },
    "send-notification-emails": {
        "task": "commissioners.tasks.send_notification_emails",
        "schedule": crontab(minute="*/5"),
    },
    "fold-overdue-figures": {
        "task": "cases.tasks.fold_overdue_figures",
        "schedule": crontab(hour=0, minute=20),
    },
    # Daily, so that the 1st freezes the month just ended and a missed night is caught up the next.
    "publish-rankings": {
        "task": "dashboards.tasks.publish_rankings",
        "schedule": crontab(hour=0, minute=40),
    },
    # Never a history: those go only by the purge_history command (commissioners/housekeeping.py).
    "clean-up-expired-rows": {
        "task": "commissioners.tasks.clean_up_expired_rows",
        "schedule": crontab(hour=3, minute=30),
    },
    "send-daily-digests": {
        "task": "cases.tasks.send_daily_digests",
        "schedule": crontab(hour=8, minute=0),
    },
}
