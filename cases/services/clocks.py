"""The sweeps of the clocks besides the lead bureau's: the city's triage, the co-handlers' parts,
referrals upward and supervisions (督办).

Like `scheduling`, each reads what is due as a set, locks it (skipping rows another run holds),
writes it back in bulk, records it in the case history and tells people through `notify`. Each
deadline is escalated once: the row keeps the deadline whose passing was escalated.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Case as Conditional
from django.db.models import F, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import selectors
from cases.deadlines import rule_deadlines
from cases.models import Assignment, Case, CaseEvent, CaseState, Supervision
from commissioners import notifications
from commissioners.models import Role, User
from core.bulk import insert_new_rows

from .scheduling import CASE_COLUMNS, K, _case_columns, case_params, reminder_cutoff

S = CaseState
BATCH = 5000
TRIAGE_OVERDUE_NOTE = _("The case was not dispatched by its triage deadline.")
CO_HANDLING_OVERDUE_NOTE = _("A co-handling bureau passed its deadline.")
REFERRAL_OVERDUE_NOTE = _("The referral was not followed up by its date.")
SUPERVISION_ESCALATED_NOTE = _(
    "The supervised bureau did not reply in time: escalated to the commission's leadership."
)
SUPERVISION_OVERDUE_NOTE = _("The supervised bureau did not reply in time.")


def leadership_ids() -> list[int]:
    """The commission's leadership: the city's managers (a district's managers lead only their district)."""
    return list(
        User.objects.filter(role=Role.MANAGER, district__isnull=True, is_active=True).values_list(
            "pk", flat=True
        )
    )


def _in_batches(sweep: Callable[[int | None, int], list[dict[str, Any]]], batch_size: int) -> int:
    """Runs `sweep(after_pk, limit)` until a batch comes back short; each batch commits on its own."""
    done, after = 0, None
    while True:
        rows = sweep(after, batch_size)
        done += len(rows)
        if len(rows) < batch_size:
            return done
        after = rows[-1]["pk"]


def _after(rows: QuerySet, after: int | None) -> QuerySet:
    return rows if after is None else rows.filter(pk__gt=after)


def _events(rows: list[dict[str, Any]], *, action: str, note, changes: Callable[[dict], dict]) -> None:
    """The sweep's entries in each case's history: the system's, the state unchanged."""
    now = timezone.now()
    insert_new_rows(
        CaseEvent,
        [
            {
                "case": row["case_id"],
                "actor": None,
                "action": action,
                "from_state": row["state"],
                "to_state": row["state"],
                "reason": "",
                "note": str(note),
                "changes": changes(row),
                "created_at": now,
            }
            for row in rows
        ],
    )


def _escalate_case_deadline(
    *, today: date, batch_size: int, state: str, clock: str, kind: str, note, recipients: list[int]
) -> int:
    """The cases in `state` whose `<clock>_due_on` passed and was not escalated yet: each marked
    escalated for that date (`<clock>_escalated_on`), recorded in its history as `<clock>_overdue`
    and told to `recipients`, once per date."""
    due, escalated = f"{clock}_due_on", f"{clock}_escalated_on"

    def sweep(after: int | None, limit: int) -> list[dict[str, Any]]:
        overdue = Case.objects.filter(state=state, **{f"{due}__lt": today}).filter(
            Q(**{f"{escalated}__isnull": True}) | ~Q(**{escalated: F(due)})
        )
        with transaction.atomic():
            rows = list(
                _after(overdue, after)
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")
                .annotate(case_id=F("pk"), **_case_columns())
                .values("pk", "case_id", "state", due, *CASE_COLUMNS)[:limit]
            )
            if not rows:
                return rows
            Case.objects.filter(pk__in=[row["pk"] for row in rows]).update(**{escalated: F(due)})
            _events(
                rows, action=f"{clock}_overdue", note=note, changes=lambda row: {due: row[due].isoformat()}
            )
            notifications.notify(
                notifications.Draft(
                    recipient_id=user_id,
                    kind=kind,
                    key=f"{clock}_overdue:{row['case_id']}:{row[due]}",
                    params=case_params(row, row[due]),
                )
                for row in rows
                for user_id in recipients
            )
        return rows

    return _in_batches(sweep, batch_size)


# --- Triage ---------------------------------------------------------------------------


def escalate_overdue_triage(*, today: date, batch_size: int = BATCH) -> int:
    """Logged (or returned) cases not dispatched by their triage deadline: the city commissioners are
    told of each, once per deadline."""
    return _escalate_case_deadline(
        today=today,
        batch_size=batch_size,
        state=S.SUBMITTED,
        clock="triage",
        kind=K.TRIAGE_OVERDUE,
        note=TRIAGE_OVERDUE_NOTE,
        recipients=notifications.city_commissioner_ids(),
    )


# --- Co-handlers ----------------------------------------------------------------------

# A co-handler's part is due by its acceptance deadline until it accepts, then by its contribution's.
_CO_DUE = Conditional(
    When(status=Assignment.Status.PENDING, then=F("accept_due_on")),
    default=F("contribute_due_on"),
)


def escalate_overdue_co_handling(*, today: date, batch_size: int = BATCH) -> int:
    """Co-handling parts not accepted, or accepted and not contributed, by their deadline: the bureau's
    staff and the city commissioners are told, once per deadline."""

    def sweep(after: int | None, limit: int) -> list[dict[str, Any]]:
        overdue = (
            Assignment.objects.filter(
                is_current=True,
                is_lead=False,
                case_state__in=[S.DISPATCHED, S.IN_PROGRESS],
                status__in=[Assignment.Status.PENDING, Assignment.Status.ACCEPTED],
            )
            .filter(selectors.bureau_may_see())
            .annotate(part_due_on=_CO_DUE)
            .filter(part_due_on__lt=today)
            .filter(Q(escalated_due_on__isnull=True) | ~Q(escalated_due_on=F("part_due_on")))
        )
        with transaction.atomic():
            rows = list(
                _after(overdue, after)
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")
                .annotate(**_case_columns("case__"), state=F("case_state"))
                .values(
                    "pk",
                    "case_id",
                    "state",
                    "bureau_id",
                    "status",
                    "part_due_on",
                    *CASE_COLUMNS,
                    bureau_zh=F("bureau__name_zh"),
                    bureau_en=F("bureau__name_en"),
                )[:limit]
            )
            if not rows:
                return rows
            Assignment.objects.filter(pk__in=[row["pk"] for row in rows]).update(escalated_due_on=_CO_DUE)
            _events(
                rows,
                action="co_handling_overdue",
                note=CO_HANDLING_OVERDUE_NOTE,
                changes=lambda row: {
                    "assignment": row["pk"],
                    "status": row["status"],
                    "due_on": row["part_due_on"].isoformat(),
                },
            )
            staff = notifications.bureau_staff_by_bureau(row["bureau_id"] for row in rows)
            city = notifications.city_commissioner_ids()
            notifications.notify(
                notifications.Draft(
                    recipient_id=user_id,
                    kind=K.CASE_OVERDUE,
                    key=f"co_overdue:{row['pk']}:{row['part_due_on']}",
                    params={
                        **case_params(row, row["part_due_on"]),
                        "role": "co",
                        "bureau_zh": row["bureau_zh"],
                        "bureau_en": row["bureau_en"],
                    },
                )
                for row in rows
                for user_id in dict.fromkeys([*staff[row["bureau_id"]], *city])
            )
        return rows

    return _in_batches(sweep, batch_size)


# --- Referrals upward -----------------------------------------------------------------


def chase_referrals(*, today: date, batch_size: int = BATCH) -> int:
    """Referrals due for follow-up soon are reminded to the city commissioners; past their date they
    are escalated to the commission's leadership too, once per date."""
    city = notifications.city_commissioner_ids()
    due_soon = (
        Case.objects.filter(state=S.REFERRED_UP, referral_due_on__range=(today, reminder_cutoff(today)))
        .annotate(case_id=F("pk"), **_case_columns())
        .values("case_id", "referral_due_on", *CASE_COLUMNS)
    )
    notifications.notify(
        notifications.Draft(
            recipient_id=user_id,
            kind=K.REFERRAL_FOLLOW_UP_DUE,
            key=f"referral_due:{row['case_id']}:{row['referral_due_on']}",
            params=case_params(row, row["referral_due_on"]),
        )
        for row in due_soon
        for user_id in city
    )

    return len(due_soon) + _escalate_case_deadline(
        today=today,
        batch_size=batch_size,
        state=S.REFERRED_UP,
        clock="referral",
        kind=K.REFERRAL_OVERDUE,
        note=REFERRAL_OVERDUE_NOTE,
        recipients=list(dict.fromkeys([*city, *leadership_ids()])),
    )


# --- Supervision (督办) -----------------------------------------------------------------

_AWAITING_REPLY = Q(closed_at__isnull=True, replied_at__isnull=True, due_on__isnull=False)


def chase_supervisions(*, today: date, batch_size: int = BATCH) -> int:
    """Supervisions waiting for the bureau's reply: reminded before the reply date; past it, a
    supervision at the city's level goes up to the commission's leadership with a new reply date, and
    one already there is reported again; each reply date once."""
    rows_due = list(
        Supervision.objects.filter(_AWAITING_REPLY, due_on__range=(today, reminder_cutoff(today)))
        .exclude(bureau__isnull=True)
        .annotate(**_case_columns("case__"))
        .values("pk", "case_id", "bureau_id", "due_on", *CASE_COLUMNS)
    )
    staff = notifications.bureau_staff_by_bureau(row["bureau_id"] for row in rows_due)
    notifications.notify(
        notifications.Draft(
            recipient_id=user_id,
            kind=K.SUPERVISION_DUE,
            key=f"supervision_due:{row['pk']}:{row['due_on']}",
            params=case_params(row, row["due_on"]),
        )
        for row in rows_due
        for user_id in staff[row["bureau_id"]]
    )

    def sweep(after: int | None, limit: int) -> list[dict[str, Any]]:
        overdue = Supervision.objects.filter(_AWAITING_REPLY, due_on__lt=today).filter(
            Q(escalated_due_on__isnull=True) | ~Q(escalated_due_on=F("due_on"))
        )
        with transaction.atomic():
            rows = list(
                _after(overdue, after)
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")
                .annotate(**_case_columns("case__"), state=F("case__state"), urgency=F("case__urgency"))
                .values("pk", "case_id", "state", "urgency", "bureau_id", "level", "due_on", *CASE_COLUMNS)[
                    :limit
                ]
            )
            if not rows:
                return rows
            now = timezone.now()
            reply_by = rule_deadlines(clock="supervision", start=today)
            escalated = []
            for row in rows:
                going_up = row["level"] == Supervision.Level.CITY
                row["new_level"] = Supervision.Level.LEADERSHIP
                row["new_due_on"] = reply_by[row["urgency"]] if going_up else row["due_on"]
                escalated.append(
                    Supervision(
                        pk=row["pk"],
                        level=Supervision.Level.LEADERSHIP,
                        escalated_due_on=row["due_on"],
                        escalated_at=now if going_up else None,
                        due_on=row["new_due_on"],
                    )
                )
            going_up_rows = {row["pk"] for row in rows if row["level"] == Supervision.Level.CITY}
            Supervision.objects.bulk_update(
                [s for s in escalated if s.pk in going_up_rows],
                ["level", "escalated_due_on", "escalated_at", "due_on"],
            )
            Supervision.objects.bulk_update(
                [s for s in escalated if s.pk not in going_up_rows], ["escalated_due_on"]
            )
            for row in rows:
                row["going_up"] = row["pk"] in going_up_rows
            _events(
                [row for row in rows if row["going_up"]],
                action="supervision_escalated",
                note=SUPERVISION_ESCALATED_NOTE,
                changes=lambda row: {
                    "supervision": row["pk"],
                    "level": [row["level"], row["new_level"]],
                    "due_on": [row["due_on"].isoformat(), row["new_due_on"].isoformat()],
                },
            )
            _events(
                [row for row in rows if not row["going_up"]],
                action="supervision_overdue",
                note=SUPERVISION_OVERDUE_NOTE,
                changes=lambda row: {"supervision": row["pk"], "due_on": row["due_on"].isoformat()},
            )
            staff = notifications.bureau_staff_by_bureau(row["bureau_id"] for row in rows if row["bureau_id"])
            recipients_above = list(
                dict.fromkeys([*notifications.city_commissioner_ids(), *leadership_ids()])
            )
            notifications.notify(
                notifications.Draft(
                    recipient_id=user_id,
                    kind=K.SUPERVISION_OVERDUE,
                    key=f"supervision_overdue:{row['pk']}:{row['due_on']}",
                    params={
                        **case_params(row, row["new_due_on"]),
                        "level": Supervision.Level.LEADERSHIP,
                    },
                )
                for row in rows
                for user_id in dict.fromkeys([*staff.get(row["bureau_id"], []), *recipients_above])
            )
        return rows

    return len(rows_due) + _in_batches(sweep, batch_size)
