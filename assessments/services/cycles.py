"""Opening assessment cycles (one assessment per active centre, set-wise), the period's figures, and
the daily chase of unsubmitted assessments."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from assessments.models import (
    FIGURE_FIELDS,
    Assessment,
    AssessmentCycle,
    AssessmentState,
)
from cases.models import Case, Satisfaction
from centres.models import Centre, CentreStatus, ContactRecord
from commissioners import notifications
from commissioners.models import Notification, NotificationKind
from core.time import start_of_day

K = NotificationKind
S = AssessmentState
BATCH = 5000


def _setting(name: str) -> int:
    return settings.SCHEDULING[name]


# --- The period's figures, set-wise --------------------------------------------------


def period_figures(
    *, period_start: date, period_end: date, centre_ids: Sequence[int] | None = None
) -> dict[int, dict[str, int]]:
    """Per centre, what the system knows of the period: cases logged, answered (within their
    deadline), confirmed resolved, call-backs and their satisfaction, contacts. Two queries."""
    start, end = start_of_day(period_start), start_of_day(period_end + timedelta(days=1))

    def within(field: str) -> Q:
        return Q(**{f"{field}__gte": start, f"{field}__lt": end})

    cases = Case.objects.filter(within("created_at") | within("answered_at") | within("callback_at"))
    contacts = ContactRecord.objects.filter(contacted_on__range=(period_start, period_end))
    if centre_ids is not None:
        cases = cases.filter(centre_id__in=centre_ids)
        contacts = contacts.filter(centre_id__in=centre_ids)
    satisfied = [Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED]
    rows = (
        cases.annotate(answered_on=TruncDate("answered_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .values("centre_id")
        .annotate(
            cases_logged=Count("pk", filter=within("created_at")),
            cases_answered=Count("pk", filter=within("answered_at")),
            cases_answered_on_time=Count(
                "pk", filter=within("answered_at") & Q(answered_on__lte=F("answer_due_on"))
            ),
            cases_resolved=Count("pk", filter=within("callback_at") & Q(callback_resolved=True)),
            callbacks=Count("pk", filter=within("callback_at")),
            callbacks_satisfied=Count(
                "pk", filter=within("callback_at") & Q(callback_satisfaction__in=satisfied)
            ),
        )
        .order_by()
    )
    figures: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIGURE_FIELDS, 0))
    for row in rows:
        centre_id = row.pop("centre_id")
        figures[centre_id].update(row)
    for centre_id, count in (
        contacts.values("centre_id").annotate(n=Count("pk")).order_by().values_list("centre_id", "n")
    ):
        figures[centre_id]["contacts_made"] = count
    return figures


# --- Opening cycles ------------------------------------------------------------------


def open_due_cycles(*, today: date) -> int:
    """The daily sweep's part for cycles: opens every cycle whose opening day has come (one
    assessment per active centre, once), then adds the assessments of centres that became
    active after their cycle opened. Returns the assessments created."""
    due = AssessmentCycle.objects.filter(opens_on__lte=today, opened_at__isnull=True, closed_at__isnull=True)
    opened = sum(open_cycle(cycle=cycle) for cycle in due)
    return opened + add_late_assessments(today=today)


def open_cycle(*, cycle: AssessmentCycle) -> int:
    """One assessment per active centre, assigned to its district commissioner, with the
    period's figures filled in. A fixed number of queries plus one insert per 5,000 centres;
    a second run, or a concurrent one, creates nothing (the cycle row is locked and the
    assessment is unique per cycle and centre). Returns the assessments created."""
    with transaction.atomic():
        cycle = AssessmentCycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.opened_at is not None or cycle.closed_at is not None:
            return 0
        now = timezone.now()
        created = _add_assessments(cycle=cycle, now=now, opening=True)
        cycle.opened_at = now
        cycle.save(update_fields=["opened_at"])
    return created


def add_late_assessments(*, today: date) -> int:
    """The assessment of each active centre that has none in a cycle already open: a centre
    added, or reopened, after the cycle opened is assessed in it like the others.

    Only while the cycle is not yet due: after its due date the assessment would be overdue
    the day it appears and the city has already had the cycle's overdue report, so such a
    centre waits for the next cycle. One query when no centre lacks an assessment; then a
    fixed number per cycle topped up. Idempotent like opening (same lock, same uniqueness)."""
    lacking = Centre.objects.filter(status=CentreStatus.ACTIVE).exclude(
        Exists(Assessment.objects.filter(cycle=OuterRef(OuterRef("pk")), centre=OuterRef("pk")))
    )
    cycles = AssessmentCycle.objects.filter(
        opened_at__isnull=False, closed_at__isnull=True, due_on__gte=today
    ).filter(Exists(lacking))
    created = 0
    for cycle in cycles.order_by("pk"):
        with transaction.atomic():
            locked = AssessmentCycle.objects.select_for_update().get(pk=cycle.pk)
            # Closed (or its date moved) since the query above: leave it.
            if locked.opened_at is None or locked.closed_at is not None or locked.due_on < today:
                continue
            created += _add_assessments(cycle=locked, now=timezone.now(), opening=False)
    return created


def _add_assessments(*, cycle: AssessmentCycle, now: datetime, opening: bool) -> int:
    """Under the cycle's row lock: an assessment for each active centre that has none in the
    cycle, each assignee told how many are theirs. Returns how many were created."""
    centres = list(
        Centre.objects.filter(status=CentreStatus.ACTIVE)
        .exclude(Exists(Assessment.objects.filter(cycle=cycle, centre=OuterRef("pk"))))
        .values("pk", "district_id", "commissioner_id")
    )
    if not centres:
        return 0
    commissioners = notifications.district_commissioners_by_district(
        c["district_id"] for c in centres if c["commissioner_id"] is None
    )
    # Opening covers every centre, so one scan beats an IN list of thousands; a top-up is a few.
    figures = period_figures(
        period_start=cycle.period_start,
        period_end=cycle.period_end,
        centre_ids=None if opening else [c["pk"] for c in centres],
    )
    assessments = []
    for centre in centres:
        # A centre without its own commissioner goes to its district's first one.
        assignee = centre["commissioner_id"] or next(iter(commissioners[centre["district_id"]]), None)
        assessments.append(
            Assessment(
                cycle=cycle,
                centre_id=centre["pk"],
                district_id=centre["district_id"],
                assignee_id=assignee,
                figures_computed_at=now,
                created_at=now,
                **figures[centre["pk"]],
            )
        )
    # The unique (cycle, centre) stays the last word: a row another writer got in first is skipped.
    Assessment.objects.bulk_create(assessments, ignore_conflicts=True, batch_size=BATCH)
    # So count what this insert made (its rows carry `now`) rather than what it was offered;
    # with ignore_conflicts the insert reports neither ids nor a row count.
    created = list(
        Assessment.objects.filter(cycle=cycle, created_at=now)
        .values("assignee_id")
        .annotate(n=Count("pk"), first=Min("pk"))
        .order_by()
    )
    notifications.notify(
        notifications.Draft(
            recipient_id=row["assignee_id"],
            kind=K.ASSESSMENTS_OPENED,
            # A top-up needs its own key, or the opening's notification would swallow it;
            # its first new assessment names it, which no later top-up can repeat.
            key=f"assessments_opened:{cycle.pk}"
            if opening
            else f"assessments_added:{cycle.pk}:{row['first']}",
            params=_cycle_params(cycle, row["n"]),
        )
        for row in created
        if row["assignee_id"] is not None
    )
    return sum(row["n"] for row in created)


def _cycle_params(cycle: AssessmentCycle, count: int) -> dict[str, Any]:
    return {"cycle": cycle.name, "cycle_id": cycle.pk, "due_on": cycle.due_on.isoformat(), "count": count}


def chase_assessments(*, today: date) -> int:
    """Before a cycle's due date its commissioners are reminded of what they have not submitted;
    after it, the city commissioners are told how many are overdue. Once each. Returns the
    notifications created (not those offered again and skipped as already sent)."""
    lead = timedelta(days=_setting("ASSESSMENT_REMIND_DAYS_BEFORE"))
    with transaction.atomic():
        # Locked so that two runs at once count each notification once: the second waits,
        # then finds the first one's notifications already stored.
        cycles = (
            AssessmentCycle.objects.select_for_update()
            .filter(opened_at__isnull=False, closed_at__isnull=True, due_on__lte=today + lead)
            .order_by("pk")
        )
        drafts = []
        for cycle in cycles:
            unsubmitted = Assessment.objects.filter(cycle=cycle, state__in=[S.OPEN, S.RETURNED])
            if cycle.due_on >= today:
                per_assignee = (
                    unsubmitted.filter(assignee__isnull=False).values("assignee_id").annotate(n=Count("pk"))
                )
                drafts += [
                    notifications.Draft(
                        recipient_id=row["assignee_id"],
                        kind=K.ASSESSMENTS_DUE,
                        key=f"assessments_due:{cycle.pk}",
                        params=_cycle_params(cycle, row["n"]),
                    )
                    for row in per_assignee.order_by()
                ]
            elif count := unsubmitted.count():
                drafts += [
                    notifications.Draft(
                        recipient_id=user_id,
                        kind=K.ASSESSMENTS_OVERDUE,
                        key=f"assessments_overdue:{cycle.pk}",
                        params=_cycle_params(cycle, count),
                    )
                    for user_id in notifications.city_commissioner_ids()
                ]
        return _notify_new(drafts)


def _notify_new(drafts: Sequence[notifications.Draft]) -> int:
    """Notifies the drafts not stored yet and returns how many that is: `notify` returns how
    many it was offered, and a daily job offers the same reminder every day."""
    if not drafts:
        return 0
    stored = set(
        Notification.objects.filter(
            recipient_id__in={d.recipient_id for d in drafts}, key__in={d.key for d in drafts}
        ).values_list("recipient_id", "key")
    )
    return notifications.notify(d for d in drafts if (d.recipient_id, d.key) not in stored)
