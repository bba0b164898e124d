"""Celery entry points of the case sweeps: thin, idempotent, each a call into `services.scheduling`."""

from celery import shared_task

from cases.figures import fold_past_due_days
from cases.services import clocks, digests, policy_issues, scheduling
from core.time import local_today


@shared_task
def open_callback_follow_up(case_id: int) -> int:
    """Right after an answer: the call-back follow-up and its notification."""
    return scheduling.open_callback_follow_ups(case_ids=[case_id])


@shared_task
def open_callback_follow_ups_of(case_ids: list[int]) -> int:
    """Right after a policy issue's answer reached its cases: their call-back follow-ups."""
    return scheduling.open_callback_follow_ups(case_ids=case_ids)


@shared_task
def sweep_callbacks() -> int:
    """Call-backs: opens any the answer's message missed, reminds missed ones, reports them to the city."""
    today = local_today()
    return scheduling.open_callback_follow_ups() + scheduling.chase_missed_callbacks(today=today)


@shared_task
def sweep_deadlines() -> int:
    """Reminders before acceptance, contribution and answer deadlines; escalation of those that passed."""
    today = local_today()
    return (
        scheduling.remind_upcoming_deadlines(today=today)
        + scheduling.escalate_overdue_cases(today=today)
        + clocks.escalate_overdue_co_handling(today=today)
    )


@shared_task
def sweep_city_clocks() -> int:
    """The city's own clocks: triage, referrals upward, supervisions (督办) and policy issues' answers."""
    today = local_today()
    return (
        clocks.escalate_overdue_triage(today=today)
        + clocks.chase_referrals(today=today)
        + clocks.chase_supervisions(today=today)
        + policy_issues.escalate_overdue_policy_issues(today=today)
    )


@shared_task
def send_daily_digests() -> int:
    return digests.send_daily_digests(today=local_today())


@shared_task
def fold_overdue_figures() -> int:
    """Keeps "overdue now" a read of one row per key: the days past fold into one."""
    return fold_past_due_days(today=local_today())
