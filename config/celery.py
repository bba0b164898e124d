"""The Celery application and the one beat schedule of the product."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("commissioners")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic job of the product is listed here and nowhere else. Due times
# live in PostgreSQL; these entries only wake the sweepers that act on them.
app.conf.beat_schedule = {}
