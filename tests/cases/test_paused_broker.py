"""A broker that hangs never holds a request: with a real Redis paused by SIGSTOP, a move answers
(the publish gives up after its sockets' timeouts, and later writes do not try again for a while),
and the work it could not queue is picked up by the next sweep from the database."""

import logging
import os
import signal

import pytest

from cases.models import Case, CaseState
from cases.services import scheduling
from centres.models import FollowUp
from tests.celery_support import RedisServer, publishing_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def paused_broker(tmp_path):
    """A Redis server of the test's own, as the Celery app's broker, then paused like a hung host."""
    server = RedisServer(tmp_path)
    server.start()
    with publishing_to(server.url):
        os.kill(server.process.pid, signal.SIGSTOP)
        try:
            yield server
        finally:
            os.kill(server.process.pid, signal.SIGCONT)
    server.stop()


def test_a_move_answers_while_the_broker_hangs_and_the_sweep_catches_up(
    paused_broker,
    client_for,
    science_staff,
    case_in_state,
    django_capture_on_commit_callbacks,
    caplog,
    settings,
):
    # What a hung broker can cost a request is bounded by its sockets' timeouts (about a second, not
    # gunicorn's 30); the time itself is the benchmarks' to measure, not a test's.
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert max(options["socket_timeout"], options["socket_connect_timeout"]) <= 1.0
    first, second = (case_in_state("in_progress", co_contributed=True) for _ in range(2))
    client = client_for(science_staff)
    answer = {"answer_text": "Done.", "answer_outcome": "solved"}

    with caplog.at_level(logging.INFO, logger="core.queue"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/cases/{first.pk}/answer/", answer, format="json")
    assert response.status_code == 200, response.content
    assert Case.objects.get(pk=first.pk).state == CaseState.ANSWERED
    # The first publish (the answer's e-mail or its call-back) gave up on the hung broker, the rest
    # were not tried, and the answer stands without its follow-up.
    queue_lines = [record.getMessage() for record in caplog.records if record.name == "core.queue"]
    assert queue_lines[0].startswith("Could not queue"), queue_lines
    assert any("cases.tasks.open_callback_follow_up" in line for line in queue_lines), queue_lines
    assert not FollowUp.objects.filter(case=first).exists()

    # The next write does not try the broker again (no second wait): its work is left to the sweep.
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="core.queue"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/cases/{second.pk}/answer/", answer, format="json")
    assert response.status_code == 200, response.content
    assert "left to the next sweep" in caplog.text
    assert "Could not queue" not in caplog.text

    # Reads never touch the broker.
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="core.queue"):
        assert client.get("/api/cases/").status_code == 200
    assert not [record for record in caplog.records if record.name == "core.queue"]

    # The call-back sweep finds the answered cases without their follow-ups, from the database.
    assert scheduling.open_callback_follow_ups() == 2
    assert FollowUp.objects.filter(case__in=[first, second], kind=FollowUp.Kind.CALLBACK).count() == 2
