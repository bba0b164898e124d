"""Health of the whole service: a real worker answers the ping (or does not), each beat job's last
success is recorded by the task signals, and a job late beyond twice its period makes the beat down."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from celery import shared_task
from celery.schedules import crontab
from django.test import override_settings
from django.utils import timezone

from cases.tasks import sweep_callbacks
from config.celery import app
from core.models import SweepRun
from core.sweeps import register_scheduled_sweeps, schedule_period
from tests.celery_support import RedisServer, celery_worker, publishing_to, wait_until


@pytest.fixture(scope="module")
def broker(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("broker"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def running_worker(broker, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), celery_worker(broker.url):
        with publishing_to(broker.url):
            wait_until(lambda: bool(app.control.ping(timeout=0.5)), what="the worker's first answer")
        yield


@pytest.fixture
def worker_answers(broker, running_worker):
    with publishing_to(broker.url), override_settings(HEALTH_WORKER_TIMEOUT=1.0):
        yield


@pytest.fixture
def no_worker(tmp_path):
    """A broker that answers, with no worker on it."""
    server = RedisServer(tmp_path)
    server.start()
    with publishing_to(server.url):
        yield
    server.stop()


def _every_job_succeeded(*, ago: timedelta = timedelta(minutes=1)) -> None:
    for task in {entry["task"] for entry in app.conf.beat_schedule.values()}:
        SweepRun.objects.create(task=task, last_succeeded_at=timezone.now() - ago)


@pytest.mark.django_db
def test_all_parts_up_is_200(worker_answers, anonymous_client):
    _every_job_succeeded()

    response = anonymous_client.get("/api/health/")

    assert response.status_code == 200, response.json()
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "worker": "ok",
        "beat": "ok",
        "late_sweeps": [],
    }


@pytest.mark.django_db
def test_no_worker_answering_is_503_naming_the_worker(no_worker, anonymous_client):
    _every_job_succeeded()

    response = anonymous_client.get("/api/health/")

    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["worker"] == "down"
    assert response.json()["beat"] == "ok" and response.json()["database"] == "ok"


@pytest.mark.django_db
def test_a_dead_broker_is_a_down_worker_not_a_hung_check(anonymous_client):
    with publishing_to("redis://127.0.0.1:1/0"):
        response = anonymous_client.get("/api/health/")

    assert response.status_code == 503
    assert response.json()["worker"] == "down"


@pytest.mark.django_db
def test_a_job_late_beyond_twice_its_period_is_503_naming_the_beat(worker_answers, anonymous_client):
    _every_job_succeeded()
    # Every ten minutes: 21 minutes since its last success is late.
    SweepRun.objects.filter(task="cases.tasks.sweep_callbacks").update(
        last_succeeded_at=timezone.now() - timedelta(minutes=21)
    )
    # Hourly: 1 h 55 min is still within twice its period.
    SweepRun.objects.filter(task="cases.tasks.sweep_deadlines").update(
        last_succeeded_at=timezone.now() - timedelta(hours=1, minutes=55)
    )

    response = anonymous_client.get("/api/health/")

    assert response.status_code == 503
    assert response.json()["beat"] == "down" and response.json()["worker"] == "ok"
    assert response.json()["late_sweeps"] == ["sweep-callbacks"]


@pytest.mark.django_db
def test_a_job_not_run_yet_is_late_only_twice_its_period_after_the_beat_registered_it(
    worker_answers, anonymous_client
):
    _every_job_succeeded()
    SweepRun.objects.filter(task="cases.tasks.send_daily_digests").update(
        last_succeeded_at=None, scheduled_since=timezone.now() - timedelta(hours=30)
    )
    assert anonymous_client.get("/api/health/").status_code == 200

    SweepRun.objects.filter(task="cases.tasks.send_daily_digests").update(
        scheduled_since=timezone.now() - timedelta(hours=49)
    )
    assert anonymous_client.get("/api/health/").json()["late_sweeps"] == ["send-daily-digests"]

    SweepRun.objects.filter(task="cases.tasks.send_daily_digests").delete()  # no beat ever started
    assert anonymous_client.get("/api/health/").json()["late_sweeps"] == ["send-daily-digests"]


@pytest.mark.django_db
def test_a_starting_beat_registers_each_job_once():
    SweepRun.objects.create(task="cases.tasks.sweep_callbacks", last_succeeded_at=timezone.now())

    register_scheduled_sweeps(sender=SimpleNamespace(app=app))
    register_scheduled_sweeps(sender=SimpleNamespace(app=app))

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert set(SweepRun.objects.values_list("task", flat=True)) == tasks
    assert SweepRun.objects.get(task="cases.tasks.sweep_callbacks").last_succeeded_at is not None


@pytest.mark.django_db
def test_a_beat_job_records_its_success():
    sweep_callbacks.apply()  # run as the worker runs it, with Celery's signals

    run = SweepRun.objects.get(task="cases.tasks.sweep_callbacks")
    assert run.last_started_at <= run.last_succeeded_at
    assert run.last_failed_at is None and run.last_duration_seconds >= 0


class SweepBroke(Exception):
    pass


@shared_task(name="tests.core.failing_sweep")
def failing_sweep():
    raise SweepBroke("the calendar table is empty")


@pytest.mark.django_db
def test_a_beat_job_records_its_failure_and_a_task_outside_the_schedule_records_nothing(monkeypatch):
    monkeypatch.setitem(
        app.conf.beat_schedule, "failing", {"task": "tests.core.failing_sweep", "schedule": crontab(minute=0)}
    )

    failing_sweep.apply()
    monkeypatch.delitem(app.conf.beat_schedule, "failing")
    failing_sweep.apply()

    run = SweepRun.objects.get(task="tests.core.failing_sweep")
    assert run.last_succeeded_at is None and run.last_failed_at is not None
    assert run.last_error == "SweepBroke: the calendar table is empty"
    assert SweepRun.objects.count() == 1


@pytest.mark.parametrize(
    ("schedule", "period"),
    [
        (crontab(minute="*/10"), timedelta(minutes=10)),
        (crontab(minute=5), timedelta(hours=1)),
        (crontab(hour=6, minute=15), timedelta(days=1)),
        (crontab(hour="8,20", minute=0), timedelta(hours=12)),
        (crontab(hour=6, minute=0, day_of_week=1), timedelta(days=7)),
        (timedelta(minutes=3), timedelta(minutes=3)),
    ],
)
def test_the_period_of_a_beat_entry(schedule, period):
    from celery.schedules import schedule as interval

    entry = interval(schedule) if isinstance(schedule, timedelta) else schedule
    assert schedule_period(entry) == period


@pytest.mark.django_db
def test_readiness_and_liveness(anonymous_client):
    ready = anonymous_client.get("/api/health/ready/")
    live = anonymous_client.get("/api/health/live/")

    assert ready.status_code == 200 and ready.json() == {"status": "ok", "database": "ok", "migrations": "ok"}
    assert live.status_code == 200 and live.json() == {"status": "ok"}
