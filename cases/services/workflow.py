"""Logging a case and every move of its lifecycle."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.deadlines import Deadline, calendar_for
from cases.models import (
    Assignment,
    Case,
    CaseState,
    DeadlineRule,
    Satisfaction,
    Supervision,
)
from centres.models import Centre, CentreStatus, ContactRecord, FollowUp
from commissioners.models import Bureau, Role, User
from core.history import apply_changes
from core.messages import REASON_REQUIRED, TEXT_REQUIRED
from core.queue import enqueue_on_commit
from core.time import local_today
from policies.models import Measure, Programme
from policies.routing import RoutingError, measure_routing

from ._base import make_move, record_event
from .scheduling import supervise_reopened_case

NOT_A_SHANGHAI_MEASURE = _("Cases are classified under a measure of the Shanghai 2024 plan.")
MEASURE_INACTIVE = _("This measure is no longer in use.")
CENTRE_OUTSIDE_DISTRICT = _("You can only log cases for centres of your own district.")
CENTRE_CLOSED = _("This centre is closed.")
ONLY_DISTRICT_COMMISSIONERS_LOG = _("Only district commissioners log cases.")
OVERRIDE_NEEDS_REASON = _("The bureaus differ from the measure's routing; give a reason for the change.")
BUREAU_NOT_CITY_LEVEL = _("Cases are dispatched to city bureaus or district governments.")
LEAD_ALSO_CO_HANDLING = _("The lead bureau cannot also co-handle.")
MEASURE_CHANGES_AT_TRIAGE = _("The measure can only be changed before the case is dispatched.")

# A case reopened this many times is put under supervision (Measure 9: chase until solved).
REOPENS_BEFORE_SUPERVISION = 2
CONTACT_OF_ANOTHER_CENTRE = _("The contact was with another centre.")

EDITABLE_FIELDS = ("title", "description", "urgency", "is_confidential", "source", "measure")


def require_text(**values: Any) -> None:
    errors = {
        name: TEXT_REQUIRED for name, value in values.items() if value is None or not str(value).strip()
    }
    if errors:
        raise ValidationError(errors)


def require_reason(reason: str, field: str = "reason", message=REASON_REQUIRED) -> None:
    if not (reason or "").strip():
        raise ValidationError({field: message})


def _check_shanghai_measure(measure: Measure) -> None:
    if measure.programme != Programme.SHANGHAI_2024:
        raise ValidationError({"measure": NOT_A_SHANGHAI_MEASURE})
    if not measure.is_active:
        raise ValidationError({"measure": MEASURE_INACTIVE})


def _deadlines(case: Case, *, start: date) -> tuple[Deadline, Deadline]:
    rule = DeadlineRule.objects.get(urgency=case.urgency)
    calendar = calendar_for(start=start, working_days=max(rule.accept_working_days, rule.answer_working_days))
    return (
        calendar.add_working_days(start, rule.accept_working_days),
        calendar.add_working_days(start, rule.answer_working_days),
    )


def release_assignments(case: Case) -> None:
    case.assignments.filter(is_current=True).update(is_current=False, status=Assignment.Status.RELEASED)


@transaction.atomic
def case_submit(
    *,
    actor: User,
    centre: Centre,
    measure: Measure,
    title: str,
    description: str,
    urgency: str = "normal",
    is_confidential: bool = False,
    source: str = "visit",
    contact_record: ContactRecord | None = None,
) -> Case:
    """A district commissioner logs a centre's difficulty, possibly straight from a contact with it."""
    if actor.role != Role.DISTRICT_COMMISSIONER:
        raise PermissionDenied(ONLY_DISTRICT_COMMISSIONERS_LOG)
    if centre.district_id != actor.district_id:
        raise ValidationError({"centre": CENTRE_OUTSIDE_DISTRICT})
    if centre.status == CentreStatus.CLOSED:
        raise ValidationError({"centre": CENTRE_CLOSED})
    _check_shanghai_measure(measure)
    require_text(title=title, description=description)
    if contact_record is not None and contact_record.centre_id != centre.pk:
        raise ValidationError({"contact_record": CONTACT_OF_ANOTHER_CENTRE})
    case = Case.objects.create(
        contact_record=contact_record,
        centre=centre,
        district_id=centre.district_id,
        measure=measure,
        title=title.strip(),
        description=description,
        urgency=urgency,
        is_confidential=is_confidential,
        source=source,
        created_by=actor,
    )
    record_event(case=case, actor=actor, action="submit", from_state="")
    return case


def case_edit(*, case: Case, actor: User, expected_version: str | None = None, **fields: Any) -> Case:
    """The logging district changes what the case says; the history keeps old and new values.
    With `expected_version`, only if the case is still at that version (else a 412)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")

    def change(locked: Case) -> dict[str, Any]:
        if "measure" in fields and fields["measure"].pk != locked.measure_id:
            if locked.state != CaseState.SUBMITTED:
                raise ValidationError({"measure": MEASURE_CHANGES_AT_TRIAGE})
            _check_shanghai_measure(fields["measure"])
        for name in ("title", "description"):
            if name in fields:
                require_text(**{name: fields[name]})
        return apply_changes(locked, fields)

    # An edit that changes nothing is no event.
    return make_move(
        case=case,
        actor=actor,
        move="edit",
        change=change,
        record_unchanged=False,
        expected_version=expected_version,
    )


def case_routing_proposal(*, case: Case) -> list:
    """The bureaus the measure's routing table names for this case's centre, lead first."""
    try:
        return measure_routing(measure=case.measure, district_id=case.centre.district_id)
    except RoutingError as error:
        raise ValidationError({"measure": str(error)}) from error


def case_dispatch(
    *,
    case: Case,
    actor: User,
    lead_bureau: Bureau,
    co_bureaus: Sequence[Bureau] = (),
    measure: Measure | None = None,
    override_reason: str = "",
) -> Case:
    """A city commissioner confirms the measure and routes the case to a lead and co-handling bureaus."""

    def change(locked: Case) -> dict[str, Any]:
        if measure is not None and measure.pk != locked.measure_id:
            _check_shanghai_measure(measure)
            locked.measure = measure
        co = list(dict.fromkeys(co_bureaus))
        for field, bureaus in (("lead_bureau", [lead_bureau]), ("co_bureaus", co)):
            if any(b.level == Bureau.Level.NATIONAL for b in bureaus):
                raise ValidationError({field: BUREAU_NOT_CITY_LEVEL})
        if lead_bureau in co:
            raise ValidationError({"co_bureaus": LEAD_ALSO_CO_HANDLING})
        proposal = case_routing_proposal(case=locked)
        proposed_lead = next((r.bureau for r in proposal if r.is_lead), None)
        proposed_co = {r.bureau.pk for r in proposal if not r.is_lead}
        overridden = lead_bureau.pk != getattr(proposed_lead, "pk", None) or {b.pk for b in co} != proposed_co
        if overridden:
            require_reason(override_reason, "override_reason", OVERRIDE_NEEDS_REASON)

        locked.dispatch()
        accept_due, answer_due = _deadlines(locked, start=local_today())
        locked.lead_bureau = lead_bureau
        locked.accept_due_on = accept_due.due_on
        locked.answer_due_on = locked.answer_due_original = answer_due.due_on
        locked.due_is_provisional = accept_due.is_provisional or answer_due.is_provisional
        Assignment.objects.bulk_create(
            [Assignment(case=locked, bureau=lead_bureau, is_lead=True, accept_due_on=accept_due.due_on)]
            + [Assignment(case=locked, bureau=b, is_lead=False, accept_due_on=accept_due.due_on) for b in co]
        )
        return {
            "measure": locked.measure_id,
            "lead_bureau": lead_bureau.code,
            "co_bureaus": [b.code for b in co],
            "routing_overridden": overridden,
            "accept_due_on": accept_due.due_on.isoformat(),
            "answer_due_on": answer_due.due_on.isoformat(),
        }

    return make_move(case=case, actor=actor, move="dispatch", change=change, reason=override_reason)


def case_accept(*, case: Case, actor: User) -> Case:
    """The lead bureau signs for the case (签收)."""

    def change(locked: Case) -> None:
        locked.accept()
        locked.assignments.filter(is_current=True, is_lead=True).update(
            status=Assignment.Status.ACCEPTED, accepted_at=locked.accepted_at
        )

    return make_move(case=case, actor=actor, move="accept", change=change)


def case_return(*, case: Case, actor: User, reason: str) -> Case:
    """The lead bureau sends a misrouted case back to triage (退回); it counts against the bureau."""

    def change(locked: Case) -> dict[str, Any]:
        require_reason(reason)
        bureau = locked.lead_bureau
        locked.assignments.filter(is_current=True, is_lead=True).update(
            is_current=False, status=Assignment.Status.RETURNED, return_reason=reason
        )
        release_assignments(locked)
        locked.return_to_triage()
        return {"returned_by_bureau": bureau.code}

    return make_move(case=case, actor=actor, move="return", change=change, reason=reason)


def case_accept_assignment(*, case: Case, actor: User) -> Case:
    """A co-handling bureau accepts its part."""

    def change(locked: Case) -> dict[str, Any]:
        locked.assignments.filter(is_current=True, bureau_id=actor.bureau_id).update(
            status=Assignment.Status.ACCEPTED, accepted_at=timezone.now()
        )
        return {"bureau": actor.bureau.code}

    return make_move(case=case, actor=actor, move="accept_assignment", change=change)


def case_contribute(*, case: Case, actor: User, contribution: str) -> Case:
    """A co-handling bureau gives its part of the answer; the lead sees it on the case."""

    def change(locked: Case) -> dict[str, Any]:
        require_text(contribution=contribution)
        locked.assignments.filter(is_current=True, bureau_id=actor.bureau_id).update(
            status=Assignment.Status.CONTRIBUTED, contribution=contribution, contributed_at=timezone.now()
        )
        return {"bureau": actor.bureau.code}

    return make_move(case=case, actor=actor, move="contribute", change=change, note=contribution)


def case_answer(
    *, case: Case, actor: User, answer_text: str, answer_outcome: str, answer_actions: str = ""
) -> Case:
    """The lead bureau answers with its resolution."""

    def change(locked: Case) -> dict[str, Any]:
        require_text(answer_text=answer_text, answer_outcome=answer_outcome)
        locked.answer()
        locked.answer_text, locked.answer_actions, locked.answer_outcome = (
            answer_text,
            answer_actions,
            answer_outcome,
        )
        return {"answer_outcome": answer_outcome}

    answered = make_move(case=case, actor=actor, move="answer", change=change, note=answer_text)
    # The worker opens the call-back follow-up; if the message is lost, the sweep does.
    enqueue_on_commit("cases.tasks.open_callback_follow_up", answered.pk)
    return answered


def case_record_callback(
    *, case: Case, actor: User, resolved: bool | None, satisfaction: str, note: str = ""
) -> Case:
    """The district commissioner confirms the answer with the centre (回访): closes or reopens the case."""

    def change(locked: Case) -> dict[str, Any]:
        errors = {}
        if resolved is None:
            errors["resolved"] = TEXT_REQUIRED
        if not satisfaction:
            errors["satisfaction"] = TEXT_REQUIRED
        if errors:
            raise ValidationError(errors)
        locked.callback_resolved, locked.callback_satisfaction, locked.callback_note = (
            resolved,
            satisfaction,
            note,
        )
        FollowUp.objects.filter(case=locked, kind=FollowUp.Kind.CALLBACK, closed_at__isnull=True).update(
            closed_at=timezone.now(), closed_by=actor
        )
        changes = {"resolved": resolved, "satisfaction": satisfaction}
        if resolved and satisfaction != Satisfaction.UNSATISFIED:
            locked.close_after_callback()
        else:
            locked.reopen()
            _, answer_due = _deadlines(locked, start=local_today())
            locked.answer_due_on = answer_due.due_on
            locked.due_is_provisional = answer_due.is_provisional
            locked.answered_at = None
            changes["reopen_count"] = locked.reopen_count
            if locked.reopen_count >= REOPENS_BEFORE_SUPERVISION and not locked.is_supervised:
                supervise_reopened_case(case=locked)
                changes["supervision"] = Supervision.Reason.REOPENED
        return changes

    return make_move(case=case, actor=actor, move="callback", change=change, note=note)


def case_withdraw(*, case: Case, actor: User, reason: str) -> Case:
    """The district commissioner withdraws a case that is no longer needed."""

    def change(locked: Case) -> None:
        require_reason(reason)
        locked.withdraw()
        release_assignments(locked)

    return make_move(case=case, actor=actor, move="withdraw", change=change, reason=reason)
