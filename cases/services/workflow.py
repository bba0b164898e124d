"""Logging a case and every move of its lifecycle."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.deadlines import Deadline, calendar_for, due_after, rule_deadline
from cases.models import (
    AnswerOutcome,
    Assignment,
    CallbackAttempt,
    Case,
    CaseState,
    DeadlineRule,
    ReturnRuling,
    Satisfaction,
    Supervision,
)
from cases.selectors import case_list_visible_to
from centres.models import Centre, CentreStatus, ContactRecord, FollowUp
from commissioners.models import Bureau, Role, User
from core.errors import Conflict
from core.history import apply_changes
from core.messages import REASON_REQUIRED, TEXT_REQUIRED
from core.queue import enqueue_on_commit
from core.time import local_today
from policies.models import Measure, Programme
from policies.routing import RoutingError, measure_routing

from . import notices
from ._base import make_move, record_event
from .notices import K
from .scheduling import scheduling_setting, supervise_reopened_case

NOT_A_SHANGHAI_MEASURE = _("Cases are classified under a measure of the Shanghai 2024 plan.")
MEASURE_INACTIVE = _("This measure is no longer in use.")
CENTRE_OUTSIDE_DISTRICT = _("You can only log cases for centres of your own district.")
CENTRE_CLOSED = _("This centre is closed.")
MERGE_TARGET_UNKNOWN = _("There is no case with this id that you may see.")
MERGE_INTO_ITSELF = _("A case cannot be merged into itself.")
MERGE_OTHER_CENTRE = _(
    "Only cases of the same centre are merged; cases of several centres make a policy issue."
)
MERGE_TARGET_FINISHED = _("This case is closed or withdrawn: merge into one still open.")
ONLY_DISTRICT_COMMISSIONERS_LOG = _("Only district commissioners log cases.")
OVERRIDE_NEEDS_REASON = _("The bureaus differ from the measure's routing; give a reason for the change.")
BUREAU_NOT_CITY_LEVEL = _("Cases are dispatched to city bureaus or district governments.")
LEAD_ALSO_CO_HANDLING = _("The lead bureau cannot also co-handle.")
MEASURE_CHANGES_AT_TRIAGE = _("The measure can only be changed before the case is dispatched.")
CONFIDENTIAL_LEAD_ONLY = _(
    "A confidential case goes to its lead bureau alone: the co-handling bureaus could not see it."
)
RULING_REQUIRED = _("Choose whether the return is upheld or rejected.")

# A case reopened this many times is put under supervision (Measure 9: chase until solved).
REOPENS_BEFORE_SUPERVISION = 2
NOT_A_BUREAU_OUTCOME = _("A bureau answers with “solved” or “explained”.")
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


def _deadlines(case: Case, *, start: date) -> tuple[Deadline, Deadline, Deadline]:
    """The acceptance, answer and co-handlers' contribution deadlines of a case dispatched on `start`."""
    rule = DeadlineRule.objects.get(urgency=case.urgency)
    days = (rule.accept_working_days, rule.answer_working_days, rule.contribute_working_days)
    calendar = calendar_for(start=start, working_days=max(days))
    accept, answer, contribute = (calendar.add_working_days(start, n) for n in days)
    # A contribution is due no later than the answer it is for.
    return accept, answer, min(contribute, answer, key=lambda deadline: deadline.due_on)


def release_assignments(case: Case, *, co_handlers_only: bool = False) -> None:
    current = case.assignments.filter(is_current=True)
    if co_handlers_only:
        current = current.filter(is_lead=False)
    current.update(is_current=False, status=Assignment.Status.RELEASED)


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
        triage_due_on=rule_deadline(clock="triage", urgency=urgency, start=local_today()),
    )
    record_event(case=case, actor=actor, action="submit", from_state="")
    notices.tell(
        recipients=notices.city_commissioners(),
        kind=K.CASE_LOGGED,
        key=f"case_logged:{case.pk}",
        params=notices.case_notice_params(case, due_on=case.triage_due_on),
    )
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
        changes = apply_changes(locked, fields)
        if changes and locked.is_confidential:
            # Co-handlers may not see a confidential case: they are taken off it, so that they are
            # neither told of it nor counted on it (one released before it acted counts nowhere).
            released = list(
                locked.assignments.filter(is_current=True, is_lead=False).values_list(
                    "bureau__code", flat=True
                )
            )
            if released:
                release_assignments(locked, co_handlers_only=True)
                changes["co_bureaus_released"] = released
        return changes

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
    """The bureaus the measure's routing table names for this case's centre, lead first (the lead
    alone for a confidential case)."""
    try:
        routing = measure_routing(
            measure=case.measure, district_id=case.centre.district_id, areas=case.centre.special_areas
        )
    except RoutingError as error:
        raise ValidationError({"measure": str(error)}) from error
    # A confidential case goes to the lead alone: co-handlers could not see it.
    return [row for row in routing if row.is_lead] if case.is_confidential else routing


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
        if co and locked.is_confidential:
            raise ValidationError({"co_bureaus": CONFIDENTIAL_LEAD_ONLY})
        proposal = case_routing_proposal(case=locked)
        proposed_lead = next((r.bureau for r in proposal if r.is_lead), None)
        proposed_co = {r.bureau.pk for r in proposal if not r.is_lead}
        overridden = lead_bureau.pk != getattr(proposed_lead, "pk", None) or {b.pk for b in co} != proposed_co
        if overridden:
            require_reason(override_reason, "override_reason", OVERRIDE_NEEDS_REASON)

        locked.dispatch()
        accept_due, answer_due, contribute_due = _deadlines(locked, start=local_today())
        locked.lead_bureau = lead_bureau
        locked.accept_due_on = accept_due.due_on
        locked.answer_due_on = locked.answer_due_original = answer_due.due_on
        locked.due_is_provisional = any(d.is_provisional for d in (accept_due, answer_due, contribute_due))
        Assignment.objects.bulk_create(
            [Assignment(case=locked, bureau=lead_bureau, is_lead=True, accept_due_on=accept_due.due_on)]
            + [
                Assignment(
                    case=locked,
                    bureau=b,
                    is_lead=False,
                    accept_due_on=accept_due.due_on,
                    contribute_due_on=contribute_due.due_on,
                )
                for b in co
            ]
        )
        _tell_dispatched(locked, lead_bureau=lead_bureau, co_bureaus=co, accept_due_on=accept_due.due_on)
        return {
            "measure": locked.measure_id,
            "lead_bureau": lead_bureau.code,
            "co_bureaus": [b.code for b in co],
            "routing_overridden": overridden,
            "accept_due_on": accept_due.due_on.isoformat(),
            "answer_due_on": answer_due.due_on.isoformat(),
            **({"contribute_due_on": contribute_due.due_on.isoformat()} if co else {}),
        }

    return make_move(case=case, actor=actor, move="dispatch", change=change, reason=override_reason)


def _tell_dispatched(
    case: Case, *, lead_bureau: Bureau, co_bureaus: Sequence[Bureau], accept_due_on: date
) -> None:
    """Each bureau's staff learn of the new work: the lead's part and each co-handler's."""
    # The dispatch's own number (a case may be dispatched again after a return).
    dispatch = f"{case.pk}:{case.return_count}"
    for role, bureaus in (("lead", [lead_bureau]), ("co", co_bureaus)):
        for bureau in bureaus:
            notices.tell(
                recipients=notices.staff_of(bureau),
                kind=K.CASE_DISPATCHED,
                key=f"case_dispatched:{dispatch}:{bureau.pk}",
                params=notices.case_notice_params(case, due_on=accept_due_on, role=role),
            )


def case_accept(*, case: Case, actor: User) -> Case:
    """The lead bureau signs for the case (签收)."""

    def change(locked: Case) -> None:
        locked.accept()
        locked.assignments.filter(is_current=True, is_lead=True).update(
            status=Assignment.Status.ACCEPTED, accepted_at=locked.accepted_at
        )
        notices.tell(
            recipients=notices.logging_commissioner(locked),
            kind=K.CASE_ACCEPTED,
            key=f"case_accepted:{locked.pk}:{locked.return_count}",
            params=notices.case_notice_params(
                locked, due_on=locked.answer_due_on, **notices.bureau_names(locked.lead_bureau)
            ),
        )

    return make_move(case=case, actor=actor, move="accept", change=change)


def case_return(*, case: Case, actor: User, reason: str) -> Case:
    """The lead bureau sends a misrouted case back to triage (退回). A city commissioner rules on it
    (`case_rule_return`)."""

    def change(locked: Case) -> dict[str, Any]:
        require_reason(reason)
        bureau = locked.lead_bureau
        returned = locked.assignments.get(is_current=True, is_lead=True)
        returned.is_current, returned.status, returned.return_reason = (
            False,
            Assignment.Status.RETURNED,
            reason,
        )
        returned.answer_due_when_returned = locked.answer_due_on
        returned.save(update_fields=["is_current", "status", "return_reason", "answer_due_when_returned"])
        # Co-handlers that have not accepted yet are asked for nothing while the case waits for the
        # ruling (released, they count nowhere); those that accepted keep their part.
        waiting = locked.assignments.filter(is_current=True, is_lead=False, accepted_at__isnull=True)
        released = list(waiting.values_list("bureau__code", flat=True))
        waiting.update(is_current=False, status=Assignment.Status.RELEASED)
        locked.return_to_triage()
        locked.triage_due_on = rule_deadline(clock="triage", urgency=locked.urgency, start=local_today())
        notices.tell(
            recipients=notices.city_commissioners(),
            kind=K.CASE_RETURNED,
            key=f"case_returned:{returned.pk}",
            params=notices.case_notice_params(
                locked, due_on=locked.triage_due_on, reason=reason, **notices.bureau_names(bureau)
            ),
        )
        return {
            "returned_by_bureau": bureau.code,
            "triage_due_on": locked.triage_due_on.isoformat(),
            **({"co_bureaus_released": released} if released else {}),
        }

    return make_move(case=case, actor=actor, move="return", change=change, reason=reason)


def case_rule_return(*, case: Case, actor: User, upheld: bool | None, reason: str) -> Case:
    """A city commissioner rules on a bureau's return (退单审核).

    Upheld: the case was misrouted; it waits for dispatch anew and the return is not counted
    against the bureau. Rejected: the case was the bureau's; it goes back to it on the deadlines
    it had, which ran on meanwhile, and the return counts against it."""

    def change(locked: Case) -> dict[str, Any]:
        if upheld is None:
            raise ValidationError({"upheld": RULING_REQUIRED})
        require_reason(reason)
        returned = locked.assignments.filter(status=Assignment.Status.RETURNED, return_ruling="").latest("pk")
        returned.return_ruling = ReturnRuling.UPHELD if upheld else ReturnRuling.REJECTED
        returned.return_ruled_by, returned.return_ruled_at = actor, timezone.now()
        returned.return_ruling_note = reason
        returned.save(
            update_fields=["return_ruling", "return_ruled_by", "return_ruled_at", "return_ruling_note"]
        )
        changes: dict[str, Any] = {"bureau": returned.bureau.code, "upheld": upheld}
        if upheld:
            locked.uphold_return()
            release_assignments(locked)
            locked.triage_due_on = rule_deadline(clock="triage", urgency=locked.urgency, start=local_today())
            changes["triage_due_on"] = locked.triage_due_on.isoformat()
        else:
            locked.reject_return()
            locked.lead_bureau = returned.bureau
            locked.dispatched_at = returned.created_at
            locked.accept_due_on = returned.accept_due_on
            locked.answer_due_on = locked.answer_due_original = returned.answer_due_when_returned
            lead = Assignment.objects.create(
                case=locked, bureau=returned.bureau, is_lead=True, accept_due_on=returned.accept_due_on
            )
            # The co-handlers released at the return are asked again, on their deadlines of the dispatch.
            released_at_return = locked.assignments.filter(
                is_lead=False,
                status=Assignment.Status.RELEASED,
                accepted_at__isnull=True,
                created_at__gte=returned.created_at,
            ).exclude(bureau__in=locked.assignments.filter(is_current=True).values("bureau"))
            released_at_return = list(released_at_return.select_related("bureau"))
            again = [
                Assignment(
                    case=locked,
                    bureau_id=co.bureau_id,
                    is_lead=False,
                    accept_due_on=co.accept_due_on,
                    contribute_due_on=co.contribute_due_on,
                    created_at=lead.created_at,
                )
                for co in released_at_return
            ]
            Assignment.objects.bulk_create(again)
            changes["accept_due_on"] = returned.accept_due_on.isoformat() if returned.accept_due_on else None
            if again:
                changes["co_bureaus"] = sorted(co.bureau.code for co in released_at_return)
        notices.tell(
            recipients=notices.staff_of(returned.bureau),
            kind=K.RETURN_RULED,
            key=f"return_ruled:{returned.pk}",
            params=notices.case_notice_params(
                locked, due_on=None if upheld else locked.accept_due_on, upheld=upheld, reason=reason
            ),
        )
        return changes

    return make_move(case=case, actor=actor, move="rule_return", change=change, reason=reason)


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
        contributed_at = timezone.now()
        locked.assignments.filter(is_current=True, bureau_id=actor.bureau_id).update(
            status=Assignment.Status.CONTRIBUTED, contribution=contribution, contributed_at=contributed_at
        )
        notices.tell(
            recipients=notices.staff_of(locked.lead_bureau),
            kind=K.CONTRIBUTION_RECEIVED,
            key=f"contribution:{locked.pk}:{actor.bureau_id}:{contributed_at.isoformat()}",
            params=notices.case_notice_params(locked, **notices.bureau_names(actor.bureau)),
        )
        return {"bureau": actor.bureau.code}

    return make_move(case=case, actor=actor, move="contribute", change=change, note=contribution)


def case_answer(
    *, case: Case, actor: User, answer_text: str, answer_outcome: str, answer_actions: str = ""
) -> Case:
    """The lead bureau answers with its resolution."""

    def change(locked: Case) -> dict[str, Any]:
        require_text(answer_text=answer_text, answer_outcome=answer_outcome)
        if answer_outcome == AnswerOutcome.REFERRED:
            raise ValidationError({"answer_outcome": NOT_A_BUREAU_OUTCOME})
        # Which co-handlers' contributions the answer has, and which it goes without (their deadline passed).
        contributions = {
            a.bureau.code: "contributed" if a.status == Assignment.Status.CONTRIBUTED else "deadline_passed"
            for a in locked.assignments.filter(is_current=True, is_lead=False).select_related("bureau")
        }
        locked.answer()
        locked.answer_text, locked.answer_actions, locked.answer_outcome = (
            answer_text,
            answer_actions,
            answer_outcome,
        )
        locked.answer_contributions = contributions
        notices.tell(
            recipients=notices.logging_commissioner(locked),
            kind=K.CASE_ANSWERED,
            key=f"case_answered:{locked.pk}:{locked.reopen_count}",
            params=notices.case_notice_params(locked, **notices.bureau_names(locked.lead_bureau)),
        )
        return {
            "answer_outcome": answer_outcome,
            **({"contributions": contributions} if contributions else {}),
        }

    answered = make_move(case=case, actor=actor, move="answer", change=change, note=answer_text)
    # The worker opens the call-back follow-up; if the message is lost, the sweep does.
    enqueue_on_commit("cases.tasks.open_callback_follow_up", answered.pk)
    return answered


def case_record_callback(
    *,
    case: Case,
    actor: User,
    resolved: bool | None = None,
    satisfaction: str = "",
    note: str = "",
    reached: bool = True,
) -> Case:
    """The district commissioner confirms the answer with the centre (回访): closes or reopens the
    case. A call that could not reach the centre changes neither: it is tried again after a working
    day, and reported to the city after a set number of tries."""

    def change(locked: Case) -> dict[str, Any]:
        if not reached:
            return _callback_not_reached(locked, actor=actor, note=note)
        CallbackAttempt.objects.create(
            case=locked, answer_round=locked.reopen_count, reached=True, attempted_by=actor, note=note
        )
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
        locked.callback_attempts = 0
        if resolved and satisfaction != Satisfaction.UNSATISFIED:
            locked.close_after_callback()
        elif locked.answer_outcome == AnswerOutcome.REFERRED:
            # The national department's outcome did not resolve it: the city follows the referral up again.
            locked.reopen_referral()
            locked.answered_at = None
            locked.referral_due_on = rule_deadline(
                clock="referral", urgency=locked.urgency, start=local_today()
            )
            changes["reopen_count"] = locked.reopen_count
            changes["referral_due_on"] = locked.referral_due_on.isoformat()
        else:
            locked.reopen()
            _, answer_due, _ = _deadlines(locked, start=local_today())
            locked.answer_due_on = answer_due.due_on
            locked.due_is_provisional = answer_due.is_provisional
            locked.answered_at = None
            changes["reopen_count"] = locked.reopen_count
            if locked.reopen_count >= REOPENS_BEFORE_SUPERVISION and not locked.is_supervised:
                supervise_reopened_case(case=locked)
                changes["supervision"] = Supervision.Reason.REOPENED
        return changes

    return make_move(case=case, actor=actor, move="callback", change=change, note=note)


def _callback_not_reached(case: Case, *, actor: User, note: str) -> dict[str, Any]:
    """Inside the call-back move: a try that did not reach the centre (无法联系)."""
    CallbackAttempt.objects.create(
        case=case, answer_round=case.reopen_count, reached=False, attempted_by=actor, note=note
    )
    case.callback_attempts += 1
    retry_on = due_after(start=local_today(), working_days=1).due_on
    follow_ups = FollowUp.objects.filter(
        case=case, kind=FollowUp.Kind.CALLBACK, answer_round=case.reopen_count, closed_at__isnull=True
    )
    # Tried again the next working day: the follow-up falls due then and is reminded afresh.
    follow_ups.update(due_on=retry_on, reminded_at=None)
    tries = scheduling_setting("CALLBACK_UNREACHABLE_TRIES")
    params = notices.case_notice_params(case, due_on=retry_on, count=case.callback_attempts)
    notices.tell(
        recipients=notices.logging_commissioner(case),
        kind=K.CALLBACK_DUE,
        key=f"callback_retry:{case.pk}:{case.reopen_count}:{case.callback_attempts}",
        params=params,
    )
    if case.callback_attempts >= tries:
        follow_ups.update(reported_at=timezone.now())
        notices.tell(
            recipients=notices.city_commissioners(),
            kind=K.CALLBACK_UNREACHABLE,
            key=f"callback_unreachable:{case.pk}:{case.reopen_count}",
            params=params,
        )
    return {"reached": False, "tries": case.callback_attempts, "retry_on": retry_on.isoformat()}


def case_merge(*, case: Case, actor: User, into: int, reason: str) -> Case:
    """Merges a duplicate into another case of the same centre: the duplicate is withdrawn into it
    (the withdraw move's rule: the district's commissioner, while it is being handled), and the
    case it joins records the merge. Both keep their histories; the duplicate names the case it
    joined. Returns the case merged into."""
    target = case_list_visible_to(user=actor).filter(pk=into).first()
    if target is None:
        raise ValidationError({"into": MERGE_TARGET_UNKNOWN})
    if target.pk == case.pk:
        raise ValidationError({"into": MERGE_INTO_ITSELF})
    if target.centre_id != case.centre_id:
        raise ValidationError({"into": MERGE_OTHER_CENTRE})
    if target.state in (CaseState.CLOSED, CaseState.WITHDRAWN):
        raise ValidationError({"into": MERGE_TARGET_FINISHED})
    require_reason(reason)
    with transaction.atomic():
        # Both rows locked in id order, so two merges of the same pair cannot deadlock.
        list(Case.objects.select_for_update().filter(pk__in=[case.pk, target.pk]).order_by("pk"))
        target = Case.objects.get(pk=target.pk)
        if target.state in (CaseState.CLOSED, CaseState.WITHDRAWN):
            raise Conflict(MERGE_TARGET_FINISHED)

        def change(locked: Case) -> dict:
            locked.withdraw()
            release_assignments(locked)
            locked.merged_into = target
            return {"merged_into": [None, target.pk]}

        make_move(case=case, actor=actor, move="withdraw", change=change, reason=reason)
        record_event(case=target, actor=actor, action="merge", note=reason, changes={"merged": case.pk})
    return target


def case_withdraw(*, case: Case, actor: User, reason: str) -> Case:
    """The district commissioner withdraws a case that is no longer needed."""

    def change(locked: Case) -> None:
        require_reason(reason)
        locked.withdraw()
        release_assignments(locked)

    return make_move(case=case, actor=actor, move="withdraw", change=change, reason=reason)
