"""With a real Redis and a real Celery worker: an answer leads to its call-back, even if the broker was down."""

import pytest

from cases.models import Case, CaseState
from cases.tasks import sweep_callbacks
from centres.models import FollowUp
from commissioners.models import Notification, NotificationKind
from tests.celery_support import RedisServer, celery_worker, publishing_to, wait_until

# The worker is another process: it must see committed rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ANSWER = {"answer_text": "The subsidy was paid on 3 March.", "answer_outcome": "solved"}


@pytest.fixture
def broker(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    with publishing_to(server.url):
        yield server
    server.stop()


def _callback_notified(case: Case, commissioner) -> bool:
    return Notification.objects.filter(
        recipient=commissioner, kind=NotificationKind.CALLBACK_DUE, params__case=case.pk
    ).exists()


def test_the_worker_opens_the_call_back_and_notifies_after_an_answer(
    broker, case_in_state, science_staff, xuhui_commissioner, client_for
):
    case = case_in_state(CaseState.IN_PROGRESS, co_contributed=True)
    with celery_worker(broker.url):
        response = client_for(science_staff).post(f"/api/cases/{case.pk}/answer/", ANSWER, format="json")
        assert response.status_code == 200, response.json()
        wait_until(lambda: FollowUp.objects.filter(case=case, kind="callback").exists(), what="the call-back")
        wait_until(lambda: _callback_notified(case, xuhui_commissioner), what="the notification")
        # The notification's e-mail went out through the worker too.
        wait_until(
            lambda: Notification.objects.filter(
                recipient=xuhui_commissioner, emailed_at__isnull=False
            ).exists(),
            what="the e-mail",
        )
    assert FollowUp.objects.get(case=case).assignee == xuhui_commissioner


def test_an_answer_while_the_broker_is_down_is_kept_and_its_call_back_follows_once_it_is_back(
    broker, case_in_state, science_staff, xuhui_commissioner, client_for
):
    case = case_in_state(CaseState.IN_PROGRESS, co_contributed=True)
    broker.stop()

    response = client_for(science_staff).post(f"/api/cases/{case.pk}/answer/", ANSWER, format="json")

    assert response.status_code == 200, response.json()
    case.refresh_from_db()
    assert case.state == CaseState.ANSWERED and case.answer_text == ANSWER["answer_text"]
    assert case.events.filter(action="answer").count() == 1
    assert not FollowUp.objects.filter(case=case).exists()  # the message could not be queued

    broker.start()
    with celery_worker(broker.url):
        sweep_callbacks.delay()  # what the beat sends every ten minutes
        wait_until(lambda: _callback_notified(case, xuhui_commissioner), what="the swept call-back")
    assert FollowUp.objects.filter(case=case, kind="callback").count() == 1
