"""A broker that hangs never holds a request: with a real Redis paused by SIGSTOP, a move answers
at once, and the work it could not queue is picked up by the next sweep from the database."""

import os
import signal
import time

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


def test_a_move_answers_at_once_while_the_broker_hangs_and_the_sweep_catches_up(
    paused_broker, client_for, science_staff, case_in_state, django_capture_on_commit_callbacks
):
    case = case_in_state("in_progress", co_contributed=True)
    client = client_for(science_staff)

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/cases/{case.pk}/answer/",
            {"answer_text": "Done.", "answer_outcome": "solved"},
            format="json",
        )
    elapsed = time.monotonic() - started

    assert response.status_code == 200, response.content
    # The broker's socket timeouts bound the wait: about a second, not gunicorn's 30.
    print(f"answered in {elapsed:.2f} s while the broker hung")
    assert elapsed < 2.0, elapsed
    assert Case.objects.get(pk=case.pk).state == CaseState.ANSWERED
    assert not FollowUp.objects.filter(case=case).exists()

    # Reads never touch the broker.
    started = time.monotonic()
    assert client.get("/api/cases/").status_code == 200
    assert time.monotonic() - started < 2.0

    # The call-back sweep finds the answered case without its follow-up, from the database.
    assert scheduling.open_callback_follow_ups() == 1
    assert FollowUp.objects.filter(case=case, kind=FollowUp.Kind.CALLBACK).count() == 1
