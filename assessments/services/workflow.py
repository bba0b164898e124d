"""Entering and moving an assessment: every move goes through `_move`, which locks the row, checks
who may make it, records history and queues side effects on commit."""

from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessments.eligibility import eligibilities
from assessments.models import (
    EDITABLE_FIELDS,
    ENTERABLE_STATES,
    INDICATOR_FIELDS,
    REQUIRED_TO_SUBMIT_FIELDS,
    Assessment,
    AssessmentEvent,
    AssessmentProblem,
    AssessmentState,
    Finding,
)
from assessments.services.cycles import period_figures
from assessments.services.findings import finding_outcome_due
from assessments.services.messages import (
    CHANGED_MEANWHILE,
    CYCLE_CLOSED,
    CYCLE_NOT_OPEN,
    MEASURE_NOT_SHANGHAI,
    NOT_EDITABLE,
    NOT_NEGATIVE,
    ONLY_CITY_COMMISSIONERS_REVIEW,
    ONLY_DISTRICT_COMMISSIONERS_ENTER,
    PROBLEM_NEEDS_DESCRIPTION,
    RD_STAFF_ABOVE_TOTAL,
    REQUIRED_TO_SUBMIT,
    WRONG_STATE,
)
from assessments.services.problems import log_tagged_problems
from assessments.services.scoring import score_assessment
from centres.models import Centre
from centres.scheduling import refresh_next_contact_due
from commissioners import notifications
from commissioners.models import NotificationKind, Role, User
from core.errors import Conflict
from core.history import apply_changes, change_locked
from core.messages import REASON_REQUIRED
from core.states import transition_sources
from core.versioning import check_version
from policies.models import Programme

K = NotificationKind
S = AssessmentState


def _move(
    *,
    assessment: Assessment,
    actor: User,
    action: str,
    allowed_from: Sequence[str],
    may: Callable[[Assessment, User], None],
    change: Callable[[Assessment], dict[str, Any] | None],
    note: str = "",
    record_unchanged: bool = True,
    expected_version: str | None = None,
) -> Assessment:
    """Locks the assessment, checks the actor and the state against what is there now, applies
    `change` (which makes the FSM transition), saves and records the history entry."""

    def check(locked: Assessment) -> None:
        check_version(locked, expected_version)
        may(locked, actor)
        if locked.cycle.is_closed:
            raise Conflict(CYCLE_CLOSED % {"cycle": locked.cycle.name})
        if locked.state not in allowed_from:
            if locked.state != assessment.state:
                raise Conflict(CHANGED_MEANWHILE)
            message = NOT_EDITABLE if action == "edit" else WRONG_STATE
            raise Conflict(message % {"state": locked.get_state_display()})

    return change_locked(
        rows=Assessment.objects.select_related("cycle", "centre"),
        pk=assessment.pk,
        actor=actor,
        action=action,
        history=AssessmentEvent,
        check=check,
        change=change,
        record_unchanged=record_unchanged,
        note=note,
    )


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
    *,
    assessment: Assessment,
    actor: User,
    problems: Sequence[dict[str, Any]] | None = None,
    expected_version: str | None = None,
    **fields: Any,
) -> Assessment:
    """The district commissioner enters or corrects the period's indicators and problems; with
    `expected_version`, only if the assessment is still at that version (else a 412)."""
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
        allowed_from=ENTERABLE_STATES,
        may=_district_commissioner_of,
        change=change,
        # An edit that changes nothing is no event.
        record_unchanged=False,
        expected_version=expected_version,
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
        allowed_from=transition_sources(Assessment.submit),
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
        allowed_from=transition_sources(Assessment.return_for_correction),
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
        centre = Centre.objects.filter(pk=locked.centre_id)
        centre.update(guidance_class=locked.guidance_class, updated_at=timezone.now())
        refresh_next_contact_due(centre)
        findings = _route_findings(locked)
        cases = log_tagged_problems(locked)
        return {"guidance_class": locked.guidance_class, "findings": findings, "cases": cases}

    return _move(
        assessment=assessment,
        actor=actor,
        action="review",
        allowed_from=transition_sources(Assessment.review),
        may=_city_commissioner,
        change=change,
        note=note.strip(),
    )


def _route_findings(assessment: Assessment) -> list[dict[str, Any]]:
    # A review happens once per assessment (the state machine), so every finding is new.
    outcome_due = finding_outcome_due(start=timezone.localdate())
    findings = Finding.objects.bulk_create(
        Finding(
            assessment=assessment,
            rule=found.rule.code,
            measure=found.measure,
            bureau=bureau,
            # An eligibility's clock runs until its outcome is recorded (政策落地).
            follow_up_due_on=outcome_due if found.rule.is_eligibility else None,
        )
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
