"""Eligibility findings handled by the bureau they are addressed to."""

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
    NOTE_REQUIRED,
    WRONG_STATE,
)
from commissioners.models import Role, User
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
