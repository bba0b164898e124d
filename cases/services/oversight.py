"""The city's oversight of a case: referral upward to a national department, deadline extensions,
supervision (督办)."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.deadlines import due_after, rule_deadline
from cases.models import (
    AnswerOutcome,
    Appeal,
    Assignment,
    Case,
    ExtensionRequest,
    Supervision,
)
from commissioners.models import Bureau, User
from core.queue import enqueue_on_commit
from core.time import local_today
from policies.models import Measure, Programme, ResponsibleUnit

from . import notices
from ._base import make_move
from .notices import K
from .workflow import release_assignments, require_reason, require_text

NOT_A_NATIONAL_DEPARTMENT = _("Refer cases to a national department named by the national measures.")
NOT_A_NATIONAL_MEASURE = _("Choose a measure of the national 2023 measures.")
DUE_IN_THE_PAST = _("The deadline cannot be in the past.")
DECISION_REQUIRED = _("Choose whether the appeal is upheld or rejected.")
NO_SUCH_APPEAL = _("No appeal with this number waits for a decision on this case.")


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
        former_lead = locked.lead_bureau
        locked.refer_up()
        locked.referred_to, locked.referral_note = department, note
        locked.referral_due_on = rule_deadline(clock="referral", urgency=locked.urgency, start=local_today())
        # Beyond the city: no city bureau answers it now, so none is counted on its outcome.
        locked.lead_bureau, locked.answer_due_on = None, None
        release_assignments(locked)
        return {
            "department": department.code,
            "national_measure": getattr(national_measure, "number", None),
            "referral_due_on": locked.referral_due_on.isoformat(),
            **({"former_lead_bureau": former_lead.code} if former_lead else {}),
        }

    return make_move(case=case, actor=actor, move="refer_up", change=change, note=note)


def case_record_referral_outcome(*, case: Case, actor: User, outcome: str) -> Case:
    """The national department's outcome, recorded as the case's answer: the district commissioner
    confirms it with the centre in a call-back, like a bureau's answer."""

    def change(locked: Case) -> None:
        require_text(outcome=outcome)
        locked.answer_from_referral()
        locked.referral_outcome = locked.answer_text = outcome
        locked.answer_outcome, locked.answer_actions = AnswerOutcome.REFERRED, ""
        notices.tell(
            recipients=notices.logging_commissioner(locked),
            kind=K.REFERRAL_OUTCOME,
            key=f"referral_outcome:{locked.pk}:{locked.reopen_count}",
            params=notices.case_notice_params(locked, reason=outcome),
        )

    answered = make_move(case=case, actor=actor, move="record_referral_outcome", change=change, note=outcome)
    enqueue_on_commit("cases.tasks.open_callback_follow_up", answered.pk)
    return answered


def case_follow_up_referral(*, case: Case, actor: User, note: str, next_due_on: date | None = None) -> Case:
    """A city commissioner records chasing the national department; the referral's next follow-up
    date is the one given, or the rule's working days from today."""

    def change(locked: Case) -> dict[str, Any]:
        require_reason(note, "note")
        if next_due_on is not None and next_due_on < local_today():
            raise ValidationError({"next_due_on": DUE_IN_THE_PAST})
        previous = locked.referral_due_on
        locked.referral_due_on = next_due_on or rule_deadline(
            clock="referral", urgency=locked.urgency, start=local_today()
        )
        return {
            "referral_due_on": [
                previous.isoformat() if previous else None,
                locked.referral_due_on.isoformat(),
            ]
        }

    return make_move(case=case, actor=actor, move="follow_up_referral", change=change, note=note)


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
        notices.tell(
            recipients=notices.city_commissioners(),
            kind=K.EXTENSION_REQUESTED,
            key=f"extension_requested:{request.pk}",
            params=notices.case_notice_params(
                locked,
                due_on=locked.answer_due_on,
                reason=reason,
                working_days=working_days,
                **notices.bureau_names(locked.lead_bureau),
            ),
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
        notices.tell(
            recipients=[*notices.logging_commissioner(locked), *notices.staff_of(locked.lead_bureau)],
            kind=K.EXTENSION_DECIDED,
            key=f"extension_decided:{request.pk}",
            params=notices.case_notice_params(
                locked, due_on=locked.answer_due_on, approved=approve, reason=note
            ),
        )
        return changes

    return make_move(case=case, actor=actor, move="decide_extension", change=change, note=note)


def case_supervise(*, case: Case, actor: User, note: str, due_on: date | None = None) -> Case:
    """A city commissioner puts the case under supervision (督办): the lead bureau must reply in
    writing by the due date, or the supervision goes up to the commission's leadership."""

    def change(locked: Case) -> dict[str, Any]:
        require_reason(note, "note")
        if due_on is not None and due_on < local_today():
            raise ValidationError({"due_on": DUE_IN_THE_PAST})
        reply_by = due_on or rule_deadline(clock="supervision", urgency=locked.urgency, start=local_today())
        supervision = Supervision.objects.create(
            case=locked, note=note, due_on=reply_by, opened_by=actor, bureau=locked.lead_bureau
        )
        locked.is_supervised = True
        notices.tell(
            recipients=[*notices.staff_of(locked.lead_bureau), *notices.city_commissioners()],
            kind=K.SUPERVISION_OPENED,
            key=f"supervision_opened:{supervision.pk}",
            params=notices.case_notice_params(locked, due_on=reply_by, reason=note),
        )
        return {"due_on": reply_by.isoformat(), "bureau": getattr(locked.lead_bureau, "code", None)}

    return make_move(case=case, actor=actor, move="supervise", change=change, note=note)


def case_reply_supervision(*, case: Case, actor: User, reply: str) -> Case:
    """The supervised bureau's written reply to a supervision (督办回复); the city ends it when satisfied."""

    def change(locked: Case) -> dict[str, Any]:
        require_text(reply=reply)
        supervision = locked.supervisions.select_for_update().get(closed_at__isnull=True)
        supervision.reply, supervision.replied_by, supervision.replied_at = reply, actor, timezone.now()
        supervision.save(update_fields=["reply", "replied_by", "replied_at"])
        on_time = (
            supervision.due_on is None or timezone.localdate(supervision.replied_at) <= supervision.due_on
        )
        notices.tell(
            recipients=[
                *notices.city_commissioners(),
                *([supervision.opened_by_id] if supervision.opened_by_id else []),
            ],
            kind=K.SUPERVISION_REPLIED,
            key=f"supervision_replied:{supervision.pk}",
            params=notices.case_notice_params(
                locked, due_on=supervision.due_on, reason=reply, **notices.bureau_names(actor.bureau)
            ),
        )
        return {"supervision": supervision.pk, "on_time": on_time}

    return make_move(case=case, actor=actor, move="reply_supervision", change=change, note=reply)


def case_end_supervision(*, case: Case, actor: User, note: str = "") -> Case:
    def change(locked: Case) -> None:
        locked.supervisions.filter(closed_at__isnull=True).update(
            closed_at=timezone.now(), closed_by=actor, closing_note=note
        )
        locked.is_supervised = False

    return make_move(case=case, actor=actor, move="end_supervision", change=change, note=note)


def case_appeal(*, case: Case, actor: User, reason: str) -> Case:
    """A bureau appeals against the case counting in its rates (申诉核减), e.g. an unreasonable request."""

    def change(locked: Case) -> dict[str, Any]:
        require_reason(reason)
        appeal = Appeal.objects.create(case=locked, bureau=actor.bureau, filed_by=actor, reason=reason)
        notices.tell(
            recipients=notices.city_commissioners(),
            kind=K.APPEAL_FILED,
            key=f"appeal_filed:{appeal.pk}",
            params=notices.case_notice_params(locked, reason=reason, **notices.bureau_names(actor.bureau)),
        )
        return {"appeal": appeal.pk, "bureau": actor.bureau.code}

    return make_move(case=case, actor=actor, move="appeal", change=change, reason=reason)


def case_decide_appeal(*, case: Case, actor: User, appeal_id: int, upheld: bool | None, reason: str) -> Case:
    """A city commissioner decides an appeal with a reason. Upheld, the case is left out of the
    appealing bureau's rates (its part, and the case's own figures if it leads); the dashboards show
    the rates with and without such exclusions and list the cases excluded."""

    def change(locked: Case) -> dict[str, Any]:
        if upheld is None:
            raise ValidationError({"upheld": DECISION_REQUIRED})
        require_reason(reason)
        appeal = locked.appeals.select_for_update().filter(pk=appeal_id, status=Appeal.Status.PENDING).first()
        if appeal is None:
            raise ValidationError({"appeal": NO_SUCH_APPEAL})
        appeal.status = Appeal.Status.UPHELD if upheld else Appeal.Status.REJECTED
        appeal.decided_by, appeal.decided_at, appeal.decision_note = actor, timezone.now(), reason
        appeal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        if upheld:
            Assignment.objects.filter(case=locked, bureau=appeal.bureau).update(excluded_from_rates=True)
            if locked.lead_bureau_id == appeal.bureau_id:
                locked.excluded_from_rates = True
        notices.tell(
            recipients=notices.staff_of(appeal.bureau),
            kind=K.APPEAL_DECIDED,
            key=f"appeal_decided:{appeal.pk}",
            params=notices.case_notice_params(locked, upheld=upheld, reason=reason),
        )
        return {"appeal": appeal.pk, "bureau": appeal.bureau.code, "upheld": upheld}

    return make_move(case=case, actor=actor, move="decide_appeal", change=change, reason=reason)
