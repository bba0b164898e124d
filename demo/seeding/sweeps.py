"""The beat's sweeps, run once over the demo data."""

from datetime import date

from assessments.services import chase_assessments, open_due_cycles
from cases.services import scheduling as case_scheduling
from centres import scheduling as centre_scheduling


def run_sweeps(*, today: date) -> None:
    """The beat's sweeps, once: contact and call-back follow-ups, reminders, escalation,
    assessment cycles (the past cycle's unsubmitted assessments are reported overdue)."""
    centre_scheduling.open_contact_follow_ups(today=today)
    open_due_cycles(today=today)
    chase_assessments(today=today)
    case_scheduling.open_callback_follow_ups()
    case_scheduling.chase_missed_callbacks(today=today)
    case_scheduling.remind_upcoming_deadlines(today=today)
    case_scheduling.escalate_overdue_cases(today=today)
