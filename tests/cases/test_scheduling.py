"""The sweeps: reminders, escalation and call-backs on the working-day calendar; each runs twice harmlessly."""

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import tasks
from cases.models import Assignment, CaseEvent, CaseState, Supervision
from cases.services import scheduling
from centres.models import FollowUp
from commissioners import notifications
from commissioners.models import DailyDigest, Notification, NotificationKind

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
K = NotificationKind


def at(day: date, hour: int = 9):
    """Travel to `day` in Shanghai (National Day 2024: 29 Sep is worked, 1-7 Oct are holidays)."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


def kinds_for(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_the_lead_bureau_is_reminded_one_working_day_before_acceptance_across_national_day(
    case_in_state, science_staff, finance_staff
):
    case = case_in_state(CaseState.DISPATCHED, accept_due_on=date(2024, 10, 8))
    with at(date(2024, 9, 29)):  # the working Sunday: two working days ahead, too early
        tasks.sweep_deadlines()
    assert kinds_for(science_staff) == []
    with at(date(2024, 9, 30)):  # the last working day before the holiday is the day before the deadline
        tasks.sweep_deadlines()
        tasks.sweep_deadlines()
    assert kinds_for(science_staff) == [K.ACCEPT_DUE]
    assert kinds_for(finance_staff) == [K.ACCEPT_DUE]  # the co-handling bureau has its part to accept
    reminder = Notification.objects.get(recipient=science_staff)
    assert reminder.params["case"] == case.pk and reminder.params["due_on"] == "2024-10-08"


def test_the_answer_reminder_reaches_the_lead_and_a_co_handler_yet_to_contribute(
    case_in_state, science_staff, finance_staff
):
    waiting = case_in_state(CaseState.IN_PROGRESS, answer_due_on=date(2024, 10, 8))
    contributed = case_in_state(CaseState.IN_PROGRESS, answer_due_on=date(2024, 10, 8))
    contributed.assignments.filter(is_lead=False).update(status=Assignment.Status.CONTRIBUTED)
    with at(date(2024, 9, 30)):
        tasks.sweep_deadlines()
    assert kinds_for(science_staff) == [K.ANSWER_DUE, K.ANSWER_DUE]
    # The co-handler's contribution is due by its own deadline (here none: the answer's).
    reminded = Notification.objects.get(recipient=finance_staff)
    assert (reminded.kind, reminded.params["case"]) == (K.CONTRIBUTION_DUE, waiting.pk)


def test_a_co_handling_bureau_is_not_told_about_a_confidential_case(
    case_in_state, science_staff, finance_staff
):
    case_in_state(CaseState.DISPATCHED, confidential=True, accept_due_on=date(2024, 10, 8))
    with at(date(2024, 9, 30)):
        tasks.sweep_deadlines()
        tasks.send_daily_digests()
    assert kinds_for(science_staff) == [K.ACCEPT_DUE]
    assert kinds_for(finance_staff) == []
    assert [message.to for message in mail.outbox] == [[science_staff.email]]


def test_a_passed_deadline_is_escalated_once(case_in_state, science_staff, city_commissioner):
    case = case_in_state(CaseState.IN_PROGRESS, answer_due_on=date(2024, 10, 8))
    with at(date(2024, 10, 8)):  # due today is not overdue yet
        tasks.sweep_deadlines()
    assert not Supervision.objects.exists()
    with at(date(2024, 10, 9)):
        tasks.sweep_deadlines()
        tasks.sweep_deadlines()
    case.refresh_from_db()
    assert case.is_supervised and case.escalated_due_on == date(2024, 10, 8)
    supervision = Supervision.objects.get(case=case)
    assert supervision.reason == Supervision.Reason.OVERDUE and supervision.closed_at is None
    event = CaseEvent.objects.get(case=case, action="supervise")
    assert event.actor is None and event.changes == {"reason": "overdue", "due_on": "2024-10-08"}
    summary = Notification.objects.get(recipient=city_commissioner)
    assert summary.kind == K.CASES_OVERDUE
    assert summary.params == {"count": 1, "cases": [case.pk], "day": "2024-10-09"}
    # Reminded on the day it was due, then told it is now supervised for it, with a reply date.
    assert kinds_for(science_staff) == [K.ANSWER_DUE, K.SUPERVISION_OPENED]
    assert (supervision.bureau.code, supervision.due_on) == ("sh-science-technology", date(2024, 10, 12))
    opened = Notification.objects.get(recipient=science_staff, kind=K.SUPERVISION_OPENED)
    assert opened.params["due_on"] == "2024-10-12"


def test_a_case_already_under_supervision_gets_no_second_supervision(case_in_state, city_commissioner):
    case = case_in_state(CaseState.DISPATCHED, accept_due_on=date(2024, 10, 8), is_supervised=True)
    Supervision.objects.create(case=case, note="Watched by the city.", opened_by=city_commissioner)
    case.assignments.filter(is_lead=False).update(status=Assignment.Status.ACCEPTED)  # its part is not late
    with at(date(2024, 10, 9)):
        tasks.sweep_deadlines()
    assert Supervision.objects.filter(case=case).count() == 1
    assert kinds_for(city_commissioner) == [K.CASES_OVERDUE]


def test_a_new_deadline_that_passes_is_escalated_again(case_in_state, city_commissioner):
    case = case_in_state(CaseState.DISPATCHED, accept_due_on=date(2024, 10, 8))
    with at(date(2024, 10, 9)):
        tasks.sweep_deadlines()
    type(case).objects.filter(pk=case.pk).update(
        state=CaseState.IN_PROGRESS, answer_due_on=date(2024, 10, 10)
    )
    with at(date(2024, 10, 11)):
        tasks.sweep_deadlines()
    assert Notification.objects.filter(recipient=city_commissioner, kind=K.CASES_OVERDUE).count() == 2
    assert Supervision.objects.filter(case=case).count() == 1  # still the one open supervision


def test_a_backlog_is_escalated_batch_by_batch_with_one_city_summary_per_batch(
    case_in_state, science_staff, city_commissioner
):
    cases = [case_in_state(CaseState.IN_PROGRESS, answer_due_on=date(2024, 10, 8)) for _ in range(5)]
    assert scheduling.escalate_overdue_cases(today=date(2024, 10, 9), batch_size=2) == 5
    assert Supervision.objects.filter(case__in=cases).count() == 5
    summaries = Notification.objects.filter(recipient=city_commissioner).order_by("pk")
    assert [summary.params["count"] for summary in summaries] == [2, 2, 1]
    assert [case_id for summary in summaries for case_id in summary.params["cases"]] == [c.pk for c in cases]
    # One notification per case: each is newly supervised for its passed deadline.
    assert Notification.objects.filter(recipient=science_staff, kind=K.SUPERVISION_OPENED).count() == 5
    assert not Notification.objects.filter(recipient=science_staff, kind=K.CASE_OVERDUE).exists()
    assert scheduling.escalate_overdue_cases(today=date(2024, 10, 9), batch_size=2) == 0


def test_the_city_summary_reads_in_both_languages(case_in_state, city_commissioner):
    cases = [case_in_state(CaseState.IN_PROGRESS, answer_due_on=date(2024, 10, 8)) for _ in range(2)]
    scheduling.escalate_overdue_cases(today=date(2024, 10, 9))
    summary = Notification.objects.get(recipient=city_commissioner)
    title, body = notifications.render(kind=summary.kind, params=summary.params, language="en")
    assert title == "Cases past their deadline: 2"
    assert body.startswith(f"#{cases[0].pk}, #{cases[1].pk}. Each is now under supervision")
    title, body = notifications.render(kind=summary.kind, params=summary.params, language="zh-hans")
    assert title == "超过期限的诉求：2 件"
    assert body.startswith(f"#{cases[0].pk}, #{cases[1].pk}。")


def test_the_call_back_falls_due_three_working_days_after_the_answer_across_the_holiday(
    case_in_state, xuhui_commissioner
):
    case = case_in_state(CaseState.ANSWERED, answered_at=datetime(2024, 9, 27, 10, tzinfo=SHANGHAI))
    with at(
        date(
            2024,
            9,
            27,
        )
    ):
        tasks.open_callback_follow_up(case.pk)
        tasks.sweep_callbacks()
    follow_up = FollowUp.objects.get(case=case)
    # Friday 27 Sep, then Sunday 29 Sep (worked), Monday 30 Sep, and after the holiday Tuesday 8 Oct.
    assert follow_up.due_on == date(2024, 10, 8)
    assert (follow_up.kind, follow_up.assignee, follow_up.answer_round) == ("callback", xuhui_commissioner, 0)
    assert kinds_for(xuhui_commissioner) == [K.CALLBACK_DUE]


def test_a_missed_call_back_is_reminded_then_reported_to_the_city(
    case_in_state, xuhui_commissioner, city_commissioner
):
    case = case_in_state(CaseState.ANSWERED, answered_at=datetime(2024, 9, 27, 10, tzinfo=SHANGHAI))
    scheduling.open_callback_follow_ups(case_ids=[case.pk])
    with at(date(2024, 10, 8)):  # due today: nothing yet
        tasks.sweep_callbacks()
    assert kinds_for(xuhui_commissioner) == [K.CALLBACK_DUE]
    with at(date(2024, 10, 9)):
        tasks.sweep_callbacks()
        tasks.sweep_callbacks()
    assert kinds_for(xuhui_commissioner) == [K.CALLBACK_DUE, K.CALLBACK_MISSED]
    assert kinds_for(city_commissioner) == []
    with at(date(2024, 10, 10)):  # one working day after the reminder: not yet
        tasks.sweep_callbacks()
    assert kinds_for(city_commissioner) == []
    with at(date(2024, 10, 11)):  # two working days after the reminder
        tasks.sweep_callbacks()
        tasks.sweep_callbacks()
    assert kinds_for(city_commissioner) == [K.CALLBACK_REPORTED]
    assert FollowUp.objects.get(case=case).reported_at is not None


def test_recording_the_call_back_closes_the_follow_up(case_in_state, xuhui_commissioner):
    from cases.services import case_record_callback

    case = case_in_state(CaseState.ANSWERED)
    scheduling.open_callback_follow_ups(case_ids=[case.pk])
    case_record_callback(case=case, actor=xuhui_commissioner, resolved=True, satisfaction="satisfied")
    follow_up = FollowUp.objects.get(case=case)
    assert follow_up.closed_at is not None and follow_up.closed_by == xuhui_commissioner
    scheduling.open_callback_follow_ups()  # a closed case needs no call-back
    assert FollowUp.objects.filter(case=case).count() == 1


def test_a_case_reopened_twice_is_put_under_supervision(case_in_state, xuhui_commissioner, city_commissioner):
    from cases.services import case_record_callback

    case = case_in_state(CaseState.ANSWERED, reopen_count=1)
    case = case_record_callback(
        case=case, actor=xuhui_commissioner, resolved=False, satisfaction="unsatisfied"
    )
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS and case.reopen_count == 2 and case.is_supervised
    assert Supervision.objects.get(case=case).reason == Supervision.Reason.REOPENED
    assert kinds_for(city_commissioner) == [K.SUPERVISION_OPENED]
    assert CaseEvent.objects.filter(case=case, action="callback").get().changes["supervision"] == "reopened"


def test_each_sweep_issues_the_same_number_of_queries_for_more_rows(
    case_in_state, science_staff, city_commissioner, xuhui_commissioner
):
    def run_all() -> list[int]:
        counts = []
        with at(date(2024, 10, 9)):
            for sweep in (tasks.sweep_deadlines, tasks.sweep_callbacks, tasks.send_daily_digests):
                with CaptureQueriesContext(connection) as queries:
                    sweep()
                counts.append(len(queries))
        return counts

    def add_cases(count: int) -> None:
        for _ in range(count):
            case_in_state(CaseState.IN_PROGRESS, answer_due_on=date(2024, 10, 8))
            case_in_state(CaseState.DISPATCHED, accept_due_on=date(2024, 10, 10))
            case_in_state(CaseState.ANSWERED, answered_at=datetime(2024, 9, 27, 10, tzinfo=SHANGHAI))

    add_cases(2)
    few = run_all()
    Notification.objects.all().delete()
    DailyDigest.objects.all().delete()
    add_cases(6)
    assert run_all() == few


def test_the_daily_digest_lists_what_is_due_once_a_working_day_in_each_readers_language(
    case_in_state, science_staff, xuhui_commissioner, city_commissioner
):
    city_commissioner.language = "zh-hans"
    city_commissioner.save()
    answered = case_in_state(CaseState.ANSWERED, answered_at=datetime(2024, 10, 8, 10, tzinfo=SHANGHAI))
    scheduling.open_callback_follow_ups(case_ids=[answered.pk])
    overdue = case_in_state(CaseState.IN_PROGRESS, answer_due_on=date(2024, 10, 8))

    with at(date(2024, 10, 3)):  # National Day: no digest
        assert tasks.send_daily_digests() == 0
    with at(date(2024, 10, 9)):
        assert tasks.send_daily_digests() == 3
        assert tasks.send_daily_digests() == 0
    digests = {message.to[0]: message for message in mail.outbox}
    assert set(digests) == {science_staff.email, xuhui_commissioner.email, city_commissioner.email}
    assert f"Case #{overdue.pk} is to be answered by 2024-10-08" in digests[science_staff.email].body
    assert (
        f"Call the centre back on case #{answered.pk} by 2024-10-11" in digests[xuhui_commissioner.email].body
    )
    chinese = digests[city_commissioner.email]
    assert chinese.subject == "今日待办（2024-10-09）"
    assert "1 件诉求已超期。" in chinese.body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_escalation_sweeps_at_once_supervise_and_notify_each_case_once(case_in_state, city_commissioner):
    cases = [case_in_state(CaseState.IN_PROGRESS, answer_due_on=date(2024, 10, 8)) for _ in range(5)]
    barrier = threading.Barrier(2)

    def sweep():
        barrier.wait()
        try:
            scheduling.escalate_overdue_cases(today=date(2024, 10, 9))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for case in cases:
        assert Supervision.objects.filter(case=case).count() == 1
        assert CaseEvent.objects.filter(case=case, action="supervise").count() == 1
    summaries = Notification.objects.filter(recipient=city_commissioner, kind=K.CASES_OVERDUE)
    summarised = [case_id for summary in summaries for case_id in summary.params["cases"]]
    assert sorted(summarised) == sorted(case.pk for case in cases)
