"""Development assessments: opening a cycle, entering and moving an assessment, scoring it
into a guidance class, and routing its findings. Every move goes through `_move`, which
locks the row, checks who may make it, records history and queues side effects on commit."""

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.deadlines import start_of_day
from cases.models import Case, Programme, Satisfaction
from commissioners import notifications
from commissioners.history import apply_changes
from commissioners.models import Notification, NotificationKind, Role, User
from config.exceptions import Conflict

from .eligibility import eligibilities
from .models import (
    INDICATOR_FIELDS,
    Assessment,
    AssessmentCycle,
    AssessmentEvent,
    AssessmentProblem,
    AssessmentState,
    Centre,
    CentreStatus,
    ClassThreshold,
    ContactRecord,
    Finding,
    GuidanceClass,
    Indicator,
    ScoringWeight,
)

K = NotificationKind
S = AssessmentState
BATCH = 5000

ONLY_DISTRICT_COMMISSIONERS_ENTER = _("Only the district's commissioners enter its assessments.")
ONLY_CITY_COMMISSIONERS_REVIEW = _("Only city commissioners review assessments.")
NOT_EDITABLE = _("A %(state)s assessment cannot be changed; it can be edited while open or returned.")
WRONG_STATE = _("This is not possible for a %(state)s assessment.")
CYCLE_CLOSED = _("The cycle “%(cycle)s” is closed; its assessments can no longer be changed or reviewed.")
CYCLE_NOT_OPEN = _("The cycle “%(cycle)s” is not open yet.")
RD_STAFF_ABOVE_TOTAL = _("Full-time R&D staff cannot exceed the total staff.")
REQUIRED_TO_SUBMIT = _("Required before submitting.")
NOT_NEGATIVE = _("This cannot be negative.")
PROBLEM_NEEDS_DESCRIPTION = _("Describe each problem.")
REASON_REQUIRED = _("Give a reason.")
NOTE_REQUIRED = _("Say what was done.")
MEASURE_NOT_SHANGHAI = _("Tag a problem with one of the nine Shanghai measures.")
CHANGED_MEANWHILE = _(
    "The assessment was changed by someone else at the same moment; reload it and try again."
)
FINDING_NOT_YOURS = _("Only the bureau the finding is addressed to handles it.")
FINDING_ALREADY_ACTED_ON = _("This finding has already been acted on.")

TEXT_FIELDS = ("problems_met", "centre_view_of_service")
EDITABLE_FIELDS = (*INDICATOR_FIELDS, *TEXT_FIELDS)
# Each indicator is required before submitting.
REQUIRED_TO_SUBMIT_FIELDS = (*INDICATOR_FIELDS, "centre_view_of_service")
FIGURE_FIELDS = (
    "cases_logged",
    "cases_answered",
    "cases_answered_on_time",
    "cases_resolved",
    "callbacks",
    "callbacks_satisfied",
    "contacts_made",
)


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


# --- Scoring into a guidance class ---------------------------------------------------


def indicator_values(assessment: Assessment) -> dict[str, Decimal | None]:
    """The value of each scored indicator, None where it was not entered."""
    share = None
    if assessment.full_time_rd_staff is not None and assessment.total_staff:
        share = Decimal(100) * assessment.full_time_rd_staff / assessment.total_staff

    def number(value) -> Decimal | None:
        return None if value is None else Decimal(value)

    return {
        Indicator.FULL_TIME_RD_STAFF: number(assessment.full_time_rd_staff),
        Indicator.RD_STAFF_SHARE: share,
        Indicator.RD_SPENDING_CNY: number(assessment.rd_spending_cny),
        Indicator.PATENTS_FILED: number(assessment.patents_filed),
        Indicator.PATENTS_GRANTED: number(assessment.patents_granted),
        Indicator.JOINT_PROJECTS: number(assessment.joint_projects),
        Indicator.STARTUPS_INCUBATED: number(assessment.startups_incubated),
        Indicator.FOREIGN_EXPERTS: number(assessment.foreign_experts),
    }


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def score_assessment(assessment: Assessment) -> tuple[Decimal, str, list[dict[str, Any]]]:
    """The score (weight * min(value ÷ full marks, 1), summed), the class its thresholds give,
    and the reasons: each indicator's points, then the threshold that decided the class."""
    values = indicator_values(assessment)
    reasons: list[dict[str, Any]] = []
    score = Decimal(0)
    for weight in ScoringWeight.objects.all():
        value = values.get(weight.indicator) or Decimal(0)
        points = _one_decimal(weight.weight * min(value / weight.full_marks_at, Decimal(1)))
        score += points
        reasons.append(
            {
                "indicator": weight.indicator,
                "value": str(_one_decimal(value)),
                "full_marks_at": str(weight.full_marks_at),
                "weight": str(weight.weight),
                "points": str(points),
            }
        )
    guidance_class, threshold = GuidanceClass.NEEDS_ATTENTION, None
    for candidate in ClassThreshold.objects.order_by("-min_score"):
        if score >= candidate.min_score:
            guidance_class, threshold = candidate.guidance_class, candidate.min_score
            break
    lowest = ClassThreshold.objects.order_by("min_score").values_list("min_score", flat=True).first()
    reasons.append(
        {
            "class": guidance_class,
            "score": str(score),
            # At or above this score for the class; below the lowest threshold: needs attention.
            "threshold": str(threshold if threshold is not None else lowest),
            "below": threshold is None,
        }
    )
    return score, guidance_class, reasons


# --- Moves ---------------------------------------------------------------------------


def _record(
    *, assessment: Assessment, actor: User | None, action: str, from_state: str, note: str = "", changes=None
) -> None:
    AssessmentEvent.objects.create(
        assessment=assessment,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=assessment.state,
        note=note,
        changes=changes or {},
    )


def _move(
    *,
    assessment: Assessment,
    actor: User,
    action: str,
    allowed_from: Sequence[str],
    may: Callable[[Assessment, User], None],
    change: Callable[[Assessment], dict[str, Any] | None],
    note: str = "",
) -> Assessment:
    """Locks the assessment, checks the actor and the state against what is there now, applies
    `change` (which makes the FSM transition), saves and records the history entry."""
    with transaction.atomic():
        locked = (
            Assessment.objects.select_for_update(of=("self",))
            .select_related("cycle", "centre")
            .get(pk=assessment.pk)
        )
        may(locked, actor)
        if locked.cycle.is_closed:
            raise Conflict(CYCLE_CLOSED % {"cycle": locked.cycle.name})
        if locked.state not in allowed_from:
            if locked.state != assessment.state:
                raise Conflict(CHANGED_MEANWHILE)
            message = NOT_EDITABLE if action == "edit" else WRONG_STATE
            raise Conflict(message % {"state": locked.get_state_display()})
        from_state = locked.state
        changes = change(locked) or {}
        locked.save()
        _record(
            assessment=locked, actor=actor, action=action, from_state=from_state, note=note, changes=changes
        )
    return locked


def _district_commissioner_of(assessment: Assessment, actor: User) -> None:
    if actor.role != Role.DISTRICT_COMMISSIONER or actor.district_id != assessment.district_id:
        raise PermissionDenied(ONLY_DISTRICT_COMMISSIONERS_ENTER)


def _city_commissioner(assessment: Assessment, actor: User) -> None:
    if actor.role != Role.CITY_COMMISSIONER:
        raise PermissionDenied(ONLY_CITY_COMMISSIONERS_REVIEW)


def _check_staff_within_total(assessment: Assessment) -> None:
    rd, total = assessment.full_time_rd_staff, assessment.total_staff
    if rd is not None and total is not None and rd > total:
        raise ValidationError({"full_time_rd_staff": RD_STAFF_ABOVE_TOTAL})


def _check_not_negative(fields: dict[str, Any]) -> None:
    negative = [name for name in INDICATOR_FIELDS if fields.get(name) is not None and fields[name] < 0]
    if negative:
        raise ValidationError(dict.fromkeys(negative, NOT_NEGATIVE))


def _replace_problems(assessment: Assessment, problems: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    if any(not (problem.get("description") or "").strip() for problem in problems):
        raise ValidationError({"problems": PROBLEM_NEEDS_DESCRIPTION})
    measures = [problem.get("measure") for problem in problems if problem.get("measure") is not None]
    for measure in measures:
        if measure.programme != Programme.SHANGHAI_2024:
            raise ValidationError({"problems": MEASURE_NOT_SHANGHAI})
    assessment.problems.all().delete()
    AssessmentProblem.objects.bulk_create(
        AssessmentProblem(
            assessment=assessment,
            description=problem["description"].strip(),
            measure=problem.get("measure"),
            order=order,
        )
        for order, problem in enumerate(problems)
    )
    return [
        {
            "description": p["description"].strip(),
            "measure": p["measure"].number if p.get("measure") else None,
        }
        for p in problems
    ]


def assessment_update(
    *, assessment: Assessment, actor: User, problems: Sequence[dict[str, Any]] | None = None, **fields: Any
) -> Assessment:
    """The district commissioner enters or corrects the period's indicators and problems."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    _check_not_negative(fields)

    def change(locked: Assessment) -> dict[str, Any]:
        diff = apply_changes(locked, fields)
        _check_staff_within_total(locked)
        if problems is not None:
            diff["problems"] = _replace_problems(locked, problems)
        return diff

    return _move(
        assessment=assessment,
        actor=actor,
        action="edit",
        allowed_from=[S.OPEN, S.RETURNED],
        may=_district_commissioner_of,
        change=change,
    )


def refresh_figures(assessment: Assessment) -> None:
    cycle = assessment.cycle
    figures = period_figures(
        period_start=cycle.period_start, period_end=cycle.period_end, centre_ids=[assessment.centre_id]
    )[assessment.centre_id]
    for name, value in figures.items():
        setattr(assessment, name, value)
    assessment.figures_computed_at = timezone.now()


def assessment_submit(*, assessment: Assessment, actor: User) -> Assessment:
    """Checks every indicator is there, brings the system's figures up to date and scores it."""

    def change(locked: Assessment) -> dict[str, Any]:
        if locked.cycle.opened_at is None:
            raise Conflict(CYCLE_NOT_OPEN % {"cycle": locked.cycle.name})
        missing = [name for name in REQUIRED_TO_SUBMIT_FIELDS if getattr(locked, name) in (None, "")]
        if missing:
            raise ValidationError(dict.fromkeys(missing, REQUIRED_TO_SUBMIT))
        _check_staff_within_total(locked)
        refresh_figures(locked)
        locked.score, locked.guidance_class, locked.class_reasons = score_assessment(locked)
        locked.submitted_by = actor
        locked.submit()
        return {"score": str(locked.score), "guidance_class": locked.guidance_class}

    return _move(
        assessment=assessment,
        actor=actor,
        action="submit",
        allowed_from=[S.OPEN, S.RETURNED],
        may=_district_commissioner_of,
        change=change,
    )


def assessment_return(*, assessment: Assessment, actor: User, reason: str) -> Assessment:
    """A city commissioner sends a submitted assessment back to its district for correction."""
    if not (reason or "").strip():
        raise ValidationError({"reason": REASON_REQUIRED})

    def change(locked: Assessment) -> dict[str, Any]:
        locked.return_for_correction()
        locked.return_reason = reason.strip()
        recipients = [locked.submitted_by_id or locked.assignee_id]
        notifications.notify(
            notifications.Draft(
                recipient_id=user_id,
                kind=K.ASSESSMENT_RETURNED,
                key=f"assessment_returned:{locked.pk}:{timezone.now().isoformat()}",
                params={**_assessment_params(locked), "reason": locked.return_reason},
            )
            for user_id in recipients
            if user_id
        )
        return {}

    return _move(
        assessment=assessment,
        actor=actor,
        action="return",
        allowed_from=[S.SUBMITTED],
        may=_city_commissioner,
        change=change,
        note=reason.strip(),
    )


def assessment_review(*, assessment: Assessment, actor: User, note: str = "") -> Assessment:
    """A city commissioner accepts the assessment: the centre takes its guidance class (which
    sets its contact interval), the eligibility rules route findings to their bureaus, and
    each problem tagged with a measure becomes a case of that measure."""

    def change(locked: Assessment) -> dict[str, Any]:
        locked.review()
        locked.reviewed_by = actor
        locked.review_note = note.strip()
        Centre.objects.filter(pk=locked.centre_id).update(
            guidance_class=locked.guidance_class, updated_at=timezone.now()
        )
        findings = _route_findings(locked)
        cases = _log_tagged_problems(locked)
        return {"guidance_class": locked.guidance_class, "findings": findings, "cases": cases}

    return _move(
        assessment=assessment,
        actor=actor,
        action="review",
        allowed_from=[S.SUBMITTED],
        may=_city_commissioner,
        change=change,
        note=note.strip(),
    )


def _route_findings(assessment: Assessment) -> list[dict[str, Any]]:
    # A review happens once per assessment (the state machine), so every finding is new.
    findings = Finding.objects.bulk_create(
        Finding(assessment=assessment, rule=found.rule.code, measure=found.measure, bureau=bureau)
        for found in eligibilities(assessment)
        for bureau in found.bureaus
    )
    staff = notifications.bureau_staff_by_bureau(finding.bureau_id for finding in findings)
    notifications.notify(
        notifications.Draft(
            recipient_id=user_id,
            kind=K.FINDING_ROUTED,
            key=f"finding_routed:{finding.pk}",
            params={
                **_assessment_params(assessment),
                "measure": finding.measure.number,
                "finding": finding.pk,
            },
        )
        for finding in findings
        for user_id in staff[finding.bureau_id]
    )
    return [{"rule": finding.rule, "bureau": finding.bureau.code} for finding in findings]


def _assessment_params(assessment: Assessment) -> dict[str, Any]:
    """What a notification about an assessment quotes."""
    return {
        "assessment": assessment.pk,
        "cycle": assessment.cycle.name,
        "centre_zh": assessment.centre.name_zh,
        "centre_en": assessment.centre.name_en,
    }


def _log_tagged_problems(assessment: Assessment) -> list[int]:
    # Imported here: the case services import this app's models.
    from cases.models import CaseSource
    from cases.services.workflow import case_submit

    logged_by = _problem_logger(assessment)
    if logged_by is None or assessment.centre.status == CentreStatus.CLOSED:
        # Nobody looks after the district any more, or the centre closed since it was assessed: the
        # review stands, and the problems stay on the assessment, tagged, for the city to follow.
        return []
    case_ids = []
    for problem in assessment.problems.filter(measure__isnull=False, case__isnull=True).select_related(
        "measure"
    ):
        case = case_submit(
            actor=logged_by,
            centre=assessment.centre,
            measure=problem.measure,
            title=_problem_title(problem.description),
            description=problem.description,
            source=CaseSource.ASSESSMENT,
        )
        problem.case = case
        problem.save(update_fields=["case"])
        case_ids.append(case.pk)
    return case_ids


def _problem_logger(assessment: Assessment) -> User | None:
    """Who logs the tagged problems as cases: the commissioner who submitted the assessment or, when
    they no longer look after its district (moved or left), the centre's commissioner or the
    district's first one now. A case is always logged by a district commissioner of its district."""

    def looks_after_the_district(user: User | None) -> bool:
        return bool(
            user
            and user.is_active
            and user.role == Role.DISTRICT_COMMISSIONER
            and user.district_id == assessment.district_id
        )

    for user in (assessment.submitted_by, assessment.centre.commissioner):
        if looks_after_the_district(user):
            return user
    return (
        User.objects.filter(
            role=Role.DISTRICT_COMMISSIONER, district_id=assessment.district_id, is_active=True
        )
        .order_by("pk")
        .first()
    )


def _problem_title(description: str) -> str:
    first_line = description.strip().splitlines()[0]
    return first_line if len(first_line) <= 200 else first_line[:199] + "…"


# --- Findings ------------------------------------------------------------------------


def finding_handle(*, finding: Finding, actor: User, status: str, note: str = "") -> Finding:
    """The addressed bureau marks a finding acknowledged or acted on; the assessment's history keeps it."""
    if status == Finding.Status.ACTED_ON and not (note or "").strip():
        raise ValidationError({"note": NOTE_REQUIRED})
    if status not in (Finding.Status.ACKNOWLEDGED, Finding.Status.ACTED_ON):
        raise ValidationError({"status": WRONG_STATE % {"state": status}})
    with transaction.atomic():
        locked = Finding.objects.select_for_update().select_related("assessment").get(pk=finding.pk)
        if actor.role != Role.BUREAU_STAFF or actor.bureau_id != locked.bureau_id:
            raise PermissionDenied(FINDING_NOT_YOURS)
        if locked.status == Finding.Status.ACTED_ON:
            raise Conflict(FINDING_ALREADY_ACTED_ON)
        previous = locked.status
        locked.status = status
        locked.note = note.strip()
        locked.handled_by = actor
        locked.handled_at = timezone.now()
        locked.save()
        _record(
            assessment=locked.assessment,
            actor=actor,
            action=f"finding_{status}",
            from_state=locked.assessment.state,
            note=locked.note,
            changes={"finding": locked.pk, "rule": locked.rule, "status": [previous, status]},
        )
    return locked
