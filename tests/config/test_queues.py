"""Celery's queues by kind (config/celery.py): sweeps, notifications and the work queued after a
commit; two real workers on different queues each run only their own queue's tasks."""

import re

import pytest

from config.celery import NOTIFICATIONS, SWEEPS, WORK, app
from tests.celery_support import RedisServer, celery_worker, publishing_to, wait_until


def _queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_every_periodic_job_has_its_queue_and_after_commit_work_its_own():
    for entry in app.conf.beat_schedule.values():
        assert _queue_of(entry["task"]) in (SWEEPS, NOTIFICATIONS), entry["task"]
    assert _queue_of("cases.tasks.sweep_deadlines") == SWEEPS
    assert _queue_of("commissioners.tasks.send_notification_emails") == NOTIFICATIONS
    assert _queue_of("cases.tasks.open_callback_follow_up") == WORK
    # A task nobody routed lands in the work queue, which every default worker consumes.
    assert _queue_of("some.new.task") == WORK
    assert {queue.name for queue in app.conf.task_queues} == {SWEEPS, NOTIFICATIONS, WORK}


def _ran(log, task_name: str) -> bool:
    return log.exists() and re.search(rf"Task {re.escape(task_name)}\[[^]]+\] succeeded", log.read_text())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_on_different_queues_each_run_only_their_queues_tasks(tmp_path):
    broker = RedisServer(tmp_path)
    broker.start()
    sweeper_log, notifier_log = tmp_path / "sweeper.log", tmp_path / "notifier.log"
    sweeps = ["cases.tasks.fold_overdue_figures", "cases.tasks.sweep_callbacks"]
    notifications = ["commissioners.tasks.send_notification_emails", "cases.tasks.send_daily_digests"]
    try:
        with (
            publishing_to(broker.url),
            celery_worker(broker.url, queues=SWEEPS, name="sweeper@test", log=sweeper_log),
            celery_worker(
                broker.url, queues=f"{NOTIFICATIONS},{WORK}", name="notifier@test", log=notifier_log
            ),
        ):
            for task_name in sweeps + notifications:
                app.send_task(task_name)
            for task_name in sweeps:
                wait_until(lambda name=task_name: _ran(sweeper_log, name), what=f"{task_name} on the sweeper")
            for task_name in notifications:
                wait_until(
                    lambda name=task_name: _ran(notifier_log, name), what=f"{task_name} on the notifier"
                )
    finally:
        broker.stop()
    for task_name in notifications:
        assert task_name not in sweeper_log.read_text()
    for task_name in sweeps:
        assert task_name not in notifier_log.read_text()
