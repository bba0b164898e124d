"""Work is queued by task name after commit: each name a service queues is a task the worker knows."""

import pytest

from config.celery import app
from core import queue

QUEUED_BY_SERVICES = ["cases.tasks.open_callback_follow_up", "commissioners.tasks.send_notification_emails"]


@pytest.mark.parametrize("name", QUEUED_BY_SERVICES)
def test_every_task_a_service_queues_is_registered(name):
    app.loader.import_default_modules()
    assert name in app.tasks


def test_nothing_is_sent_before_the_transaction_commits(monkeypatch, db, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(queue.current_app, "send_task", lambda name, args: sent.append((name, args)))
    with django_capture_on_commit_callbacks(execute=True):
        queue.enqueue_on_commit("cases.tasks.open_callback_follow_up", 7)
        assert sent == []
    assert sent == [("cases.tasks.open_callback_follow_up", (7,))]


def test_a_failed_publish_is_logged_and_dropped(monkeypatch, db, django_capture_on_commit_callbacks, caplog):
    def refuse(name, args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(queue.current_app, "send_task", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        queue.enqueue_on_commit("cases.tasks.open_callback_follow_up", 7)
    assert "the next sweep will pick it up" in caplog.text


def test_after_a_failed_publish_the_process_queues_nothing_for_a_while(
    monkeypatch, db, django_capture_on_commit_callbacks
):
    """Each try would wait for the broker's timeout again: one failure per pause, not one per task."""
    tries = []

    def refuse(name, args):
        tries.append(name)
        raise ConnectionError("broker down")

    monkeypatch.setattr(queue.current_app, "send_task", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        queue.enqueue_on_commit("cases.tasks.open_callback_follow_up", 7)
        queue.enqueue_on_commit("commissioners.tasks.send_notification_emails")
    assert tries == ["cases.tasks.open_callback_follow_up"]

    sent = []
    monkeypatch.setattr(queue.current_app, "send_task", lambda name, args: sent.append(name))
    monkeypatch.setattr(queue, "_broker_down_until", 0.0)  # the pause is over
    with django_capture_on_commit_callbacks(execute=True):
        queue.enqueue_on_commit("commissioners.tasks.send_notification_emails")
    assert sent == ["commissioners.tasks.send_notification_emails"]
