"""Eligibility findings handled by the bureau they are addressed to, and what became of each."""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models import (
    AssessmentEvent,
    Finding,
)
from assessments.services.messages import (
    FINDING_ALREADY_ACTED_ON,
    FINDING_NOT_YOURS,
    FINDING_OUTCOME_NOT_YOURS,
    FINDING_OUTCOME_RECORDED,
    NOTE_REQUIRED,
    WRONG_OUTCOME,
    WRONG_STATE,
)
from cases.deadlines import due_after
from commissioners import notifications
from commissioners.models import NotificationKind, Role, User
from core.errors import Conflict


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
        AssessmentEvent.record(
            subject=locked.assessment,
            actor=actor,
            action=f"finding_{status}",
            from_state=locked.assessment.state,
            note=locked.note,
            changes={"finding": locked.pk, "rule": locked.rule, "status": [previous, status]},
        )
    return locked


def finding_outcome_due(*, start: date) -> date:
    """The day an eligibility routed on `start` is due its outcome, in working days."""
    return due_after(start=start, working_days=settings.SCHEDULING["FINDING_OUTCOME_WORKING_DAYS"]).due_on


def _may_record_outcome(actor: User, finding: Finding) -> bool:
    """The addressed bureau, the city's commissioners, and the centre's district commissioner
    (who briefed it or saw it apply)."""
    if actor.role == Role.BUREAU_STAFF:
        return actor.bureau_id == finding.bureau_id
    if actor.role == Role.DISTRICT_COMMISSIONER:
        return actor.district_id == finding.assessment.district_id
    return actor.role == Role.CITY_COMMISSIONER


def finding_record_outcome(*, finding: Finding, actor: User, outcome: str, note: str = "") -> Finding:
    """What became of an eligibility (briefed, applied, granted, not interested, not eligible after
    all): recorded once, it closes the finding and stops its clock; the assessment's history keeps it."""
    if outcome not in Finding.Outcome.values:
        raise ValidationError({"outcome": WRONG_OUTCOME})
    with transaction.atomic():
        locked = Finding.objects.select_for_update().select_related("assessment").get(pk=finding.pk)
        if not _may_record_outcome(actor, locked):
            raise PermissionDenied(FINDING_OUTCOME_NOT_YOURS)
        if locked.outcome:
            raise Conflict(FINDING_OUTCOME_RECORDED)
        previous = locked.status
        locked.outcome = outcome
        locked.status = Finding.Status.ACTED_ON
        if note.strip():
            locked.note = note.strip()
        locked.handled_by = actor
        locked.handled_at = timezone.now()
        locked.save()
        AssessmentEvent.record(
            subject=locked.assessment,
            actor=actor,
            action="finding_outcome",
            from_state=locked.assessment.state,
            note=note.strip(),
            changes={
                "finding": locked.pk,
                "rule": locked.rule,
                "status": [previous, locked.status],
                "outcome": outcome,
            },
        )
    return locked


def chase_finding_outcomes(*, today: date) -> int:
    """Daily: the staff of each bureau whose eligibility findings passed their outcome day with none
    recorded are told, once per finding. Set-wise: one read of the due findings, one insert of the
    notifications. Returns the notifications offered (a later run offers them again; each is
    stored, and e-mailed, once)."""
    due = list(
        Finding.objects.filter(outcome="", follow_up_due_on__lte=today)
        .select_related("assessment__centre", "assessment__cycle", "measure")
        .order_by("pk")
    )
    staff = notifications.bureau_staff_by_bureau({finding.bureau_id for finding in due})
    return notifications.notify(
        notifications.Draft(
            recipient_id=user_id,
            kind=NotificationKind.FINDING_OUTCOME_DUE,
            key=f"finding_outcome_due:{finding.pk}",
            params={
                "assessment": finding.assessment_id,
                "cycle": finding.assessment.cycle.name,
                "centre": finding.assessment.centre.name,
                "measure": finding.measure.number,
                "finding": finding.pk,
                "due_on": finding.follow_up_due_on.isoformat(),
            },
        )
        for finding in due
        for user_id in staff[finding.bureau_id]
    )
