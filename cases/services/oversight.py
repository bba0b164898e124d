"""The city's oversight of a case: referral upward to a national department, deadline extensions,
supervision (督办)."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.deadlines import due_after
from cases.models import (
    Case,
    ExtensionRequest,
    Supervision,
)
from commissioners.models import Bureau, User
from core.time import local_today
from policies.models import Measure, Programme, ResponsibleUnit

from ._base import make_move
from .workflow import release_assignments, require_reason, require_text

NOT_A_NATIONAL_DEPARTMENT = _("Refer cases to a national department named by the national measures.")
NOT_A_NATIONAL_MEASURE = _("Choose a measure of the national 2023 measures.")
DUE_IN_THE_PAST = _("The deadline cannot be in the past.")


def case_refer_up(
    *, case: Case, actor: User, department: Bureau, note: str, national_measure: Measure | None = None
) -> Case:
    """A city commissioner refers a case beyond the city's authority to a national department."""

    def change(locked: Case) -> dict[str, Any]:
        require_reason(note, "note")
        if national_measure is not None and national_measure.programme != Programme.NATIONAL_2023:
            raise ValidationError({"national_measure": NOT_A_NATIONAL_MEASURE})
        national_units = ResponsibleUnit.objects.filter(
            measure__programme=Programme.NATIONAL_2023, bureau=department, bureau__level=Bureau.Level.NATIONAL
        )
        if national_measure is not None:
            national_units = national_units.filter(measure=national_measure)
        if not national_units.exists():
            raise ValidationError({"department": NOT_A_NATIONAL_DEPARTMENT})
        locked.refer_up()
        locked.referred_to, locked.referral_note = department, note
        release_assignments(locked)
        return {"department": department.code, "national_measure": getattr(national_measure, "number", None)}

    return make_move(case=case, actor=actor, move="refer_up", change=change, note=note)


def case_record_referral_outcome(*, case: Case, actor: User, outcome: str) -> Case:
    def change(locked: Case) -> None:
        require_text(outcome=outcome)
        locked.close_referral()
        locked.referral_outcome = outcome

    return make_move(case=case, actor=actor, move="record_referral_outcome", change=change, note=outcome)


def case_request_extension(*, case: Case, actor: User, working_days: int, reason: str) -> Case:
    """The lead bureau asks for more working days (延期申请)."""

    def change(locked: Case) -> dict[str, Any]:
        require_reason(reason)
        request = ExtensionRequest.objects.create(
            case=locked,
            bureau=locked.lead_bureau,
            requested_by=actor,
            working_days=working_days,
            reason=reason,
        )
        return {"extension_request": request.pk, "working_days": working_days}

    return make_move(case=case, actor=actor, move="request_extension", change=change, reason=reason)


def case_decide_extension(*, case: Case, actor: User, approve: bool, note: str = "") -> Case:
    """A city commissioner approves (the answer deadline moves) or rejects (with a reason) the request."""

    def change(locked: Case) -> dict[str, Any]:
        if not approve:
            require_reason(note, "note")
        request = locked.extension_requests.select_for_update().get(status=ExtensionRequest.Status.PENDING)
        request.status = ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REJECTED
        request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
        request.save()
        changes = {"extension_request": request.pk, "approved": approve}
        if approve:
            extended = due_after(start=locked.answer_due_on, working_days=request.working_days)
            changes["answer_due_on"] = [locked.answer_due_on.isoformat(), extended.due_on.isoformat()]
            locked.answer_due_on = extended.due_on
            locked.due_is_provisional = locked.due_is_provisional or extended.is_provisional
        return changes

    return make_move(case=case, actor=actor, move="decide_extension", change=change, note=note)


def case_supervise(*, case: Case, actor: User, note: str, due_on: date | None = None) -> Case:
    """A city commissioner puts the case under supervision (督办)."""

    def change(locked: Case) -> dict[str, Any]:
        require_reason(note, "note")
        if due_on is not None and due_on < local_today():
            raise ValidationError({"due_on": DUE_IN_THE_PAST})
        Supervision.objects.create(case=locked, note=note, due_on=due_on, opened_by=actor)
        locked.is_supervised = True
        return {"due_on": due_on.isoformat() if due_on else None}

    return make_move(case=case, actor=actor, move="supervise", change=change, note=note)


def case_end_supervision(*, case: Case, actor: User, note: str = "") -> Case:
    def change(locked: Case) -> None:
        locked.supervisions.filter(closed_at__isnull=True).update(
            closed_at=timezone.now(), closed_by=actor, closing_note=note
        )
        locked.is_supervised = False

    return make_move(case=case, actor=actor, move="end_supervision", change=change, note=note)
