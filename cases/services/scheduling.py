"""The sweeps that chase cases: deadline reminders, overdue escalation, call-backs and digests.

Due times live in PostgreSQL; each sweep reads what is due as a set, writes it back in
bulk and tells people through `notify`. Running a sweep twice, or two at once, changes
nothing the second time: follow-ups, supervisions and notifications are each unique by
a database constraint, and rows being acted on are locked and skipped by the other run.
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import selectors
from cases.deadlines import calendar_for, due_after, load_calendar, rule_deadline, rule_deadlines
from cases.models import Assignment, Case, CaseEvent, CaseState, Supervision
from centres.models import FollowUp
from commissioners import notifications
from commissioners.models import NotificationKind
from core.bulk import insert_new_rows

K = NotificationKind
S = CaseState
# Columns every case notification quotes.
CASE_COLUMNS = ("case_title", "centre_zh", "centre_en")
AUTO_SUPERVISION_NOTE = _("Put under supervision automatically: a deadline passed.")
REOPENED_SUPERVISION_NOTE = _("Put under supervision automatically: the case was reopened twice.")


def scheduling_setting(name: str) -> int:
    return settings.SCHEDULING[name]


def case_params(row: dict[str, Any], due_on: date | None) -> dict[str, Any]:
    return {
        "case": row["case_id"],
        "case_title": row["case_title"],
        "centre_zh": row["centre_zh"],
        "centre_en": row["centre_en"],
        "due_on": due_on.isoformat() if due_on else "",
    }


def _case_columns(prefix: str = "") -> dict[str, F]:
    return {
        "case_title": F(f"{prefix}title"),
        "centre_zh": F(f"{prefix}centre__name_zh"),
        "centre_en": F(f"{prefix}centre__name_en"),
    }


# --- Before a deadline -----------------------------------------------------------


def bureau_work(assignments: QuerySet[Assignment]) -> list[tuple[int, str, int, dict[str, Any]]]:
    """(staff user, notification kind, assignment, params) for each assignment and each staff member of its bureau."""
    rows = list(
        assignments.annotate(**_case_columns("case__")).values(
            "pk", "case_id", "bureau_id", "is_lead", "is_acceptance", "due_on", *CASE_COLUMNS
        )
    )
    staff = notifications.bureau_staff_by_bureau(row["bureau_id"] for row in rows)
    return [
        (
            user_id,
            _work_kind(row),
            row["pk"],
            case_params(row, row["due_on"]),
        )
        for row in rows
        for user_id in staff[row["bureau_id"]]
    ]


def _work_kind(row: dict[str, Any]) -> str:
    if row["is_acceptance"]:
        return K.ACCEPT_DUE
    return K.ANSWER_DUE if row["is_lead"] else K.CONTRIBUTION_DUE


def reminder_cutoff(today: date) -> date:
    return due_after(start=today, working_days=scheduling_setting("REMIND_WORKING_DAYS_BEFORE")).due_on


def remind_upcoming_deadlines(*, today: date) -> int:
    """Reminds the bureaus of acceptances, answers and contributions due within the reminder's working days."""
    due_soon = selectors.awaiting_bureaus().filter(due_on__range=(today, reminder_cutoff(today)))
    work = bureau_work(due_soon.order_by("pk"))
    notifications.notify(
        notifications.Draft(
            recipient_id=user_id,
            kind=kind,
            key=f"{kind}:{assignment_id}:{params['due_on']}",
            params=params,
        )
        for user_id, kind, assignment_id, params in work
    )
    return len({work_item[2] for work_item in work})


# --- After a deadline ------------------------------------------------------------


# Cases escalated per transaction: locks stay short, and a backlog (the first run after an
# outage) is worked through batch by batch, each committed on its own.
ESCALATION_BATCH = 5000


def escalate_overdue_cases(*, today: date, batch_size: int = ESCALATION_BATCH) -> int:
    """Each deadline that passed, once: the case is put under supervision (督办) if it is not
    already, the lead bureau's staff are told of each case and the city commissioners get a
    summary of each batch."""
    escalated, after = 0, None
    reply_by = rule_deadlines(clock="supervision", start=today)
    while True:
        rows = _escalate_batch(today=today, after=after, limit=batch_size, reply_by=reply_by)
        escalated += len(rows)
        if len(rows) < batch_size:
            return escalated
        after = (rows[-1]["current_due_on"], rows[-1]["case_id"])


def _escalate_batch(
    *, today: date, after: tuple[date, int] | None, limit: int, reply_by: dict[str, date]
) -> list[dict[str, Any]]:
    """The next `limit` overdue cases not escalated for their current deadline, oldest deadline
    first, from `after` on (so no batch walks past the ones before it)."""
    overdue = Case.objects.filter(selectors.overdue_condition(today)).filter(
        Q(escalated_due_on__isnull=True) | ~Q(escalated_due_on=F("current_due_on"))
    )
    if after is not None:
        due_on, case_id = after
        overdue = overdue.filter(Q(current_due_on__gt=due_on) | Q(current_due_on=due_on, pk__gt=case_id))
    with transaction.atomic():
        rows = list(
            overdue.select_for_update(skip_locked=True, of=("self",))
            .order_by("current_due_on", "pk")
            .annotate(case_id=F("pk"), **_case_columns())
            .values(
                "case_id",
                "state",
                "urgency",
                "current_due_on",
                "is_supervised",
                "lead_bureau_id",
                *CASE_COLUMNS,
            )[:limit]
        )
        if not rows:
            return rows
        now = timezone.now()
        # One UPDATE: every escalated case ends up supervised (already, or by the rows below).
        Case.objects.filter(pk__in=[row["case_id"] for row in rows]).update(
            escalated_due_on=F("current_due_on"), is_supervised=True, updated_at=now
        )
        to_supervise = [row for row in rows if not row["is_supervised"]]
        note = str(AUTO_SUPERVISION_NOTE)
        # Written as arrays: tens of thousands of rows after a long weekend (core.bulk).
        insert_new_rows(
            Supervision,
            [
                {
                    "case": row["case_id"],
                    "reason": Supervision.Reason.OVERDUE,
                    "note": note,
                    "bureau": row["lead_bureau_id"],
                    "level": Supervision.Level.CITY,
                    "due_on": reply_by[row["urgency"]],
                    "opened_at": now,
                    "reply": "",
                    "closing_note": "",
                }
                for row in to_supervise
            ],
            batch_size=limit,
        )
        insert_new_rows(
            CaseEvent,
            [
                {
                    "case": row["case_id"],
                    "actor": None,
                    "action": "supervise",
                    "from_state": row["state"],
                    "to_state": row["state"],
                    "reason": "",
                    "note": note,
                    "changes": {
                        "reason": Supervision.Reason.OVERDUE,
                        "due_on": row["current_due_on"].isoformat(),
                    },
                    "created_at": now,
                }
                for row in to_supervise
            ],
            batch_size=limit,
        )
        # The bureau must act on each case: one notification per case, that it is now under
        # supervision and must reply by when, or (already supervised) that it is overdue. The city
        # watches them all: one summary per batch, not thousands of notifications after a long weekend.
        staff = notifications.bureau_staff_by_bureau(row["lead_bureau_id"] for row in rows)
        drafts = [
            notifications.Draft(
                recipient_id=user_id,
                kind=K.CASE_OVERDUE if row["is_supervised"] else K.SUPERVISION_OPENED,
                key=f"case_overdue:{row['case_id']}:{row['state']}:{row['current_due_on']}",
                params=case_params(row, row["current_due_on"])
                if row["is_supervised"]
                else {**case_params(row, reply_by[row["urgency"]]), "reason": note},
            )
            for row in rows
            for user_id in staff[row["lead_bureau_id"]]
        ]
        summary = {
            "count": len(rows),
            "cases": [row["case_id"] for row in rows[: notifications.SUMMARY_CASES]],
            "day": today.isoformat(),
        }
        drafts += [
            notifications.Draft(
                recipient_id=user_id,
                kind=K.CASES_OVERDUE,
                # A batch starts at a case not escalated for that deadline before: the key is the batch's own.
                key=f"cases_overdue:{rows[0]['case_id']}:{rows[0]['current_due_on']}",
                params=summary,
            )
            for user_id in notifications.city_commissioner_ids()
        ]
        notifications.notify(drafts)
    return rows


def supervise_reopened_case(*, case: Case) -> None:
    """Inside a call-back move: a case reopened twice goes under supervision (one open at a time)."""
    today = timezone.localdate()
    reply_by = rule_deadline(clock="supervision", urgency=case.urgency, start=today)
    Supervision.objects.create(
        case=case,
        reason=Supervision.Reason.REOPENED,
        note=str(REOPENED_SUPERVISION_NOTE),
        bureau_id=case.lead_bureau_id,
        due_on=reply_by,
    )
    case.is_supervised = True
    staff = notifications.bureau_staff_by_bureau([case.lead_bureau_id] if case.lead_bureau_id else [])
    row = {
        "case_id": case.pk,
        "case_title": case.title,
        "centre_zh": case.centre.name_zh,
        "centre_en": case.centre.name_en,
    }
    notifications.notify(
        notifications.Draft(
            recipient_id=user_id,
            kind=K.SUPERVISION_OPENED,
            key=f"supervision_opened:{case.pk}:reopened:{case.reopen_count}",
            params={**case_params(row, reply_by), "reason": str(REOPENED_SUPERVISION_NOTE)},
        )
        for user_id in dict.fromkeys([*notifications.city_commissioner_ids(), *staff[case.lead_bureau_id]])
    )


# --- Call-backs ------------------------------------------------------------------


def open_callback_follow_ups(*, case_ids: list[int] | None = None) -> int:
    """A call-back follow-up for each answered case that has none for its latest answer.

    Called by the worker right after an answer and by the sweep, which catches any
    answer whose message was lost (the broker was down)."""
    has_follow_up = FollowUp.objects.filter(
        kind=FollowUp.Kind.CALLBACK, case=OuterRef("pk"), answer_round=OuterRef("reopen_count")
    )
    answered = Case.objects.filter(state=S.ANSWERED).exclude(Exists(has_follow_up))
    if case_ids is not None:
        answered = answered.filter(pk__in=case_ids)
    rows = list(
        answered.annotate(case_id=F("pk"), **_case_columns()).values(
            "case_id", "reopen_count", "answered_at", "centre_id", "created_by_id", *CASE_COLUMNS
        )
    )
    if not rows:
        return 0
    working_days = scheduling_setting("CALLBACK_WORKING_DAYS")
    answered_on = {row["case_id"]: timezone.localdate(row["answered_at"] or timezone.now()) for row in rows}
    first = min(answered_on.values())
    calendar = calendar_for(start=first, end=max(answered_on.values()), working_days=working_days)
    drafts, follow_ups = [], []
    for row in rows:
        due_on = calendar.add_working_days(answered_on[row["case_id"]], working_days).due_on
        follow_ups.append(
            FollowUp(
                kind=FollowUp.Kind.CALLBACK,
                centre_id=row["centre_id"],
                case_id=row["case_id"],
                answer_round=row["reopen_count"],
                assignee_id=row["created_by_id"],
                due_on=due_on,
            )
        )
        drafts.append(
            notifications.Draft(
                recipient_id=row["created_by_id"],
                kind=K.CALLBACK_DUE,
                key=f"callback_due:{row['case_id']}:{row['reopen_count']}",
                params=case_params(row, due_on),
            )
        )
    with transaction.atomic():
        FollowUp.objects.bulk_create(follow_ups, ignore_conflicts=True, batch_size=2000)
        notifications.notify(drafts)
    return len(rows)


def chase_missed_callbacks(*, today: date) -> int:
    """A call-back past its date is reminded to its commissioner; still open a few working
    days later, it is reported to the city commissioners."""
    report_after = scheduling_setting("CALLBACK_REPORT_AFTER_WORKING_DAYS")
    with transaction.atomic():
        rows = list(
            FollowUp.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                kind=FollowUp.Kind.CALLBACK,
                closed_at__isnull=True,
                reported_at__isnull=True,
                due_on__lt=today,
            )
            .annotate(**_case_columns("case__"))
            .values("pk", "case_id", "answer_round", "assignee_id", "due_on", "reminded_at", *CASE_COLUMNS)
        )
        if not rows:
            return 0
        to_remind = [row for row in rows if row["reminded_at"] is None]
        reminded = [row for row in rows if row["reminded_at"] is not None]
        # Counted from the reminder, so a call-back found long overdue is reminded before it is reported.
        reminded_on = {row["pk"]: timezone.localdate(row["reminded_at"]) for row in reminded}
        calendar = load_calendar(start=min(reminded_on.values(), default=today), end=today)
        to_report = [
            row
            for row in reminded
            if calendar.add_working_days(reminded_on[row["pk"]], report_after).due_on <= today
        ]
        now = timezone.now()
        FollowUp.objects.filter(pk__in=[row["pk"] for row in to_remind]).update(reminded_at=now)
        FollowUp.objects.filter(pk__in=[row["pk"] for row in to_report]).update(reported_at=now)
        city = notifications.city_commissioner_ids()
        drafts = [
            notifications.Draft(
                recipient_id=row["assignee_id"],
                kind=K.CALLBACK_MISSED,
                key=f"callback_missed:{row['case_id']}:{row['answer_round']}",
                params=case_params(row, row["due_on"]),
            )
            for row in to_remind
            if row["assignee_id"]
        ]
        drafts += [
            notifications.Draft(
                recipient_id=user_id,
                kind=K.CALLBACK_REPORTED,
                key=f"callback_reported:{row['case_id']}:{row['answer_round']}",
                params=case_params(row, row["due_on"]),
            )
            for row in to_report
            for user_id in city
        ]
        notifications.notify(drafts)
    return len(to_remind) + len(to_report)
