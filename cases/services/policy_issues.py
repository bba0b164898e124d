"""Policy issues (共性问题): a city commissioner gathers cases of several centres that meet one
obstacle, routes them once to the responsible bureaus, and the lead bureau answers once; the answer
reaches every case, each of which then gets its own call-back.

Every write locks the issue first and then its cases in id order (the one order, so two writers
cannot deadlock), checks the rule table (`cases.rules.ISSUE_MOVES`, and `MOVES` for each case) and
records the issue's history and each case's in the same transaction."""

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases import rules
from cases.deadlines import rule_deadline
from cases.models import (
    AnswerOutcome,
    Assignment,
    Case,
    CaseState,
    PolicyIssue,
    PolicyIssueEvent,
    PolicyIssueState,
)
from cases.selectors import case_list_visible_to
from commissioners import notifications
from commissioners.models import Bureau, Role, User
from core.history import apply_changes, change_locked
from core.queue import enqueue_on_commit
from core.time import local_today
from core.versioning import check_version
from policies.models import Measure
from policies.routing import RoutingError, measure_routing

from . import notices
from ._base import make_move
from .notices import K
from .workflow import (
    BUREAU_NOT_CITY_LEVEL,
    LEAD_ALSO_CO_HANDLING,
    NOT_A_BUREAU_OUTCOME,
    OVERRIDE_NEEDS_REASON,
    _check_shanghai_measure,
    case_accept,
    case_dispatch,
    require_reason,
    require_text,
)

ONLY_CITY_RAISES = _("Only city commissioners raise policy issues.")
CASE_UNKNOWN = _("There is no case with this id that you may see.")
CASE_NOT_IN_ISSUE = _("Case #%(case)s does not belong to this policy issue.")
CASE_OF_ANOTHER_BUREAU = _(
    "Case #%(case)s is handled by %(bureau)s, the policy issue by another bureau: "
    "only cases of its lead bureau, or cases not yet dispatched, join it."
)
CASES_OF_OTHER_BUREAUS = _(
    "These cases are handled by another bureau than the lead you chose: %(cases)s. "
    "Take them out of the policy issue or choose their bureau as the lead."
)
NEEDS_CASES = _("A policy issue groups cases: add at least one before dispatching it.")
CONFIDENTIAL_CASE = _(
    "Case #%(case)s is confidential: it is handled on its own, not in a policy issue its "
    "co-handling bureaus and other districts would see."
)
ROUTED_WITH_ISSUE = _("Routed with policy issue #%(issue)s.")
ANSWERED_THROUGH_ISSUE = _("Answered through policy issue #%(issue)s.")

EDITABLE_FIELDS = ("title", "description")
ROUTED = [PolicyIssueState.DISPATCHED, PolicyIssueState.IN_PROGRESS]


def _issue_params(issue: PolicyIssue, **extra: Any) -> dict[str, Any]:
    return {"issue": issue.pk, "issue_title": issue.title, **extra}


def _issue_move(
    *,
    issue: PolicyIssue,
    actor: User,
    move: str,
    change: Callable[[PolicyIssue], dict[str, Any] | None],
    reason: str = "",
    note: str = "",
    expected_version: str | None = None,
    record_unchanged: bool = True,
) -> PolicyIssue:
    """The one path of a policy issue's writes: lock, check the rule table, change, record."""

    def check(locked: PolicyIssue) -> None:
        check_version(locked, expected_version)
        rules.issue_check(move, locked, actor)

    return change_locked(
        rows=PolicyIssue.objects.all(),
        pk=issue.pk,
        actor=actor,
        action=move,
        history=PolicyIssueEvent,
        check=check,
        change=change,
        record_unchanged=record_unchanged,
        reason=reason,
        note=note,
    )


def _locked_cases(ids: Iterable[int]) -> list[Case]:
    return list(Case.objects.select_for_update(of=("self",)).filter(pk__in=set(ids)).order_by("pk"))


def _visible_cases(*, actor: User, ids: Sequence[int]) -> list[Case]:
    ids = list(dict.fromkeys(ids))
    found = {case.pk: case for case in case_list_visible_to(user=actor).filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ValidationError({"cases": CASE_UNKNOWN})
    return [found[pk] for pk in ids]


@transaction.atomic
def policy_issue_create(
    *, actor: User, title: str, description: str, measure: Measure, cases: Sequence[int] = ()
) -> PolicyIssue:
    """A city commissioner raises a policy issue, usually with the similar cases that show it."""
    if actor.role != Role.CITY_COMMISSIONER:
        raise PermissionDenied(ONLY_CITY_RAISES)
    _check_shanghai_measure(measure)
    require_text(title=title, description=description)
    chosen = _visible_cases(actor=actor, ids=cases)
    issue = PolicyIssue.objects.create(
        title=title.strip(), description=description, measure=measure, created_by=actor
    )
    PolicyIssueEvent.record(subject=issue, actor=actor, action="create")
    for case in chosen:
        policy_issue_link_case(issue=issue, actor=actor, case=case.pk)
    return issue


def policy_issue_edit(
    *, issue: PolicyIssue, actor: User, expected_version: str | None = None, **fields: Any
) -> PolicyIssue:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")

    def change(locked: PolicyIssue) -> dict[str, Any]:
        for name in EDITABLE_FIELDS:
            if name in fields:
                require_text(**{name: fields[name]})
        return apply_changes(locked, fields)

    return _issue_move(
        issue=issue,
        actor=actor,
        move="edit",
        change=change,
        expected_version=expected_version,
        record_unchanged=False,
    )


def _check_joinable(case: Case, issue: PolicyIssue) -> None:
    """Beyond the rule table's (a case being handled, in no other issue)."""
    if case.is_confidential:
        raise ValidationError({"case": CONFIDENTIAL_CASE % {"case": case.pk}})
    if (
        issue.lead_bureau_id is not None
        and case.state != CaseState.SUBMITTED
        and case.lead_bureau_id != issue.lead_bureau_id
    ):
        raise ValidationError(
            {"case": CASE_OF_ANOTHER_BUREAU % {"case": case.pk, "bureau": case.lead_bureau.name}}
        )


@transaction.atomic
def policy_issue_link_case(*, issue: PolicyIssue, actor: User, case: int, note: str = "") -> PolicyIssue:
    """A case joins the policy issue (a move of both, recorded in both histories). A case not yet
    dispatched joins a routed issue's routing at once."""
    visible = case_list_visible_to(user=actor).filter(pk=case).first()
    if visible is None:
        raise ValidationError({"case": CASE_UNKNOWN})
    joined: dict[str, Case] = {}

    def change(locked: PolicyIssue) -> dict[str, Any]:
        (locked_case,) = _locked_cases([visible.pk])

        def link(row: Case) -> dict[str, Any]:
            _check_joinable(row, locked)
            row.policy_issue = locked
            return {"policy_issue": [None, locked.pk]}

        joined["case"] = make_move(
            case=locked_case, actor=actor, move="link_policy_issue", change=link, note=note
        )
        return {"case": visible.pk}

    issue = _issue_move(issue=issue, actor=actor, move="link", change=change, note=note)
    case_row = joined["case"]
    if issue.lead_bureau_id is not None and case_row.state == CaseState.SUBMITTED:
        _dispatch_with_issue(issue=issue, actor=actor, cases=[case_row])
    return issue


def policy_issue_unlink_case(*, issue: PolicyIssue, actor: User, case: int, reason: str) -> PolicyIssue:
    """A case leaves the policy issue and is handled on its own again (where it is now)."""
    require_reason(reason)

    def change(locked: PolicyIssue) -> dict[str, Any]:
        rows = _locked_cases([case])
        if not rows or rows[0].policy_issue_id != locked.pk:
            raise ValidationError({"case": CASE_NOT_IN_ISSUE % {"case": case}})
        _unlink(rows[0], issue=locked, actor=actor, reason=reason)
        return {"case": case}

    return _issue_move(issue=issue, actor=actor, move="unlink", change=change, reason=reason)


def _unlink(case: Case, *, issue: PolicyIssue, actor: User, reason: str) -> None:
    """The case's own move of leaving the issue, recorded in its history."""

    def unlink(row: Case) -> dict[str, Any]:
        row.policy_issue = None
        return {"policy_issue": [issue.pk, None]}

    make_move(case=case, actor=actor, move="unlink_policy_issue", change=unlink, reason=reason)


def policy_issue_routing_proposal(*, issue: PolicyIssue) -> list:
    """The routing table's bureaus for the issue's measure, for the centres of its cases: a
    district government only when every case is of that district, a special area's unit when a
    centre is in the area."""
    centres = [case.centre for case in issue.cases.select_related("centre")]
    districts = {centre.district_id for centre in centres}
    areas = {area for centre in centres for area in centre.special_areas}
    district_id = next(iter(districts)) if len(districts) == 1 else None
    try:
        routing = measure_routing(measure=issue.measure, district_id=district_id, areas=areas)
    except RoutingError:
        routing = []
    if district_id is None:
        routing = [row for row in routing if row.bureau.level != Bureau.Level.DISTRICT_GOVERNMENT]
    return routing


def policy_issue_dispatch(
    *,
    issue: PolicyIssue,
    actor: User,
    lead_bureau: Bureau,
    co_bureaus: Sequence[Bureau] = (),
    override_reason: str = "",
    urgency: str = "normal",
) -> PolicyIssue:
    """Routes the issue to a lead and co-handling bureaus on the case deadlines; each case not yet
    dispatched goes to the lead with it."""
    co = list(dict.fromkeys(co_bureaus))
    waiting: list[Case] = []

    def change(locked: PolicyIssue) -> dict[str, Any]:
        for field, bureaus in (("lead_bureau", [lead_bureau]), ("co_bureaus", co)):
            if any(b.level == Bureau.Level.NATIONAL for b in bureaus):
                raise ValidationError({field: BUREAU_NOT_CITY_LEVEL})
        if lead_bureau in co:
            raise ValidationError({"co_bureaus": LEAD_ALSO_CO_HANDLING})
        cases = _locked_cases(locked.cases.values_list("pk", flat=True))
        if not cases:
            raise ValidationError({"cases": NEEDS_CASES})
        elsewhere = [
            c
            for c in cases
            if c.state != CaseState.SUBMITTED and c.lead_bureau_id not in (None, lead_bureau.pk)
        ]
        if elsewhere:
            raise ValidationError(
                {"lead_bureau": CASES_OF_OTHER_BUREAUS % {"cases": ", ".join(f"#{c.pk}" for c in elsewhere)}}
            )
        proposal = policy_issue_routing_proposal(issue=locked)
        proposed_lead = next((r.bureau.pk for r in proposal if r.is_lead), None)
        overridden = lead_bureau.pk != proposed_lead or {b.pk for b in co} != {
            r.bureau.pk for r in proposal if not r.is_lead
        }
        if overridden:
            require_reason(override_reason, "override_reason", OVERRIDE_NEEDS_REASON)
        locked.dispatch()
        today = local_today()
        locked.lead_bureau = lead_bureau
        locked.accept_due_on = rule_deadline(clock="accept", urgency=urgency, start=today)
        locked.answer_due_on = rule_deadline(clock="answer", urgency=urgency, start=today)
        locked.co_bureaus.set(co)
        waiting.extend(c for c in cases if c.state == CaseState.SUBMITTED)
        for role, bureaus in (("lead", [lead_bureau]), ("co", co)):
            for bureau in bureaus:
                notices.tell(
                    recipients=notices.staff_of(bureau),
                    kind=K.POLICY_ISSUE_DISPATCHED,
                    key=f"policy_issue_dispatched:{locked.pk}:{bureau.pk}",
                    params=_issue_params(locked, due_on=locked.answer_due_on.isoformat(), role=role),
                )
        return {
            "lead_bureau": lead_bureau.code,
            "co_bureaus": [b.code for b in co],
            "routing_overridden": overridden,
            "accept_due_on": locked.accept_due_on.isoformat(),
            "answer_due_on": locked.answer_due_on.isoformat(),
        }

    with transaction.atomic():
        issue = _issue_move(issue=issue, actor=actor, move="dispatch", change=change, reason=override_reason)
        _dispatch_with_issue(issue=issue, actor=actor, cases=waiting)
    return issue


def _dispatch_with_issue(*, issue: PolicyIssue, actor: User, cases: Sequence[Case]) -> None:
    """Each case still waiting for triage goes to the issue's lead bureau: the issue's co-handlers
    work on the issue, not on each case."""
    reason = gettext(ROUTED_WITH_ISSUE) % {"issue": issue.pk}
    for case in cases:
        case_dispatch(case=case, actor=actor, lead_bureau=issue.lead_bureau, override_reason=reason)


def policy_issue_accept(*, issue: PolicyIssue, actor: User) -> PolicyIssue:
    """The lead bureau signs for the issue, and so for each of its cases waiting for it."""

    def change(locked: PolicyIssue) -> dict[str, Any]:
        locked.accept()
        return {}

    with transaction.atomic():
        issue = _issue_move(issue=issue, actor=actor, move="accept", change=change)
        for case in _locked_cases(issue.cases.values_list("pk", flat=True)):
            if case.state == CaseState.DISPATCHED and rules.may("accept", case, actor):
                case_accept(case=case, actor=actor)
    return issue


def policy_issue_contribute(*, issue: PolicyIssue, actor: User, contribution: str) -> PolicyIssue:
    """A co-handling bureau gives its part of the answer; the lead sees it in the issue's history."""

    def change(locked: PolicyIssue) -> dict[str, Any]:
        require_text(contribution=contribution)
        return {"bureau": actor.bureau.code}

    return _issue_move(issue=issue, actor=actor, move="contribute", change=change, note=contribution)


def policy_issue_answer(
    *, issue: PolicyIssue, actor: User, answer_text: str, answer_outcome: str, answer_actions: str = ""
) -> PolicyIssue:
    """The lead bureau answers once; the answer becomes each case's (a move of each), whose
    logging commissioner is told and whose call-back is opened."""
    reached: list[int] = []
    not_reached: list[int] = []

    def change(locked: PolicyIssue) -> dict[str, Any]:
        require_text(answer_text=answer_text, answer_outcome=answer_outcome)
        if answer_outcome not in (AnswerOutcome.SOLVED, AnswerOutcome.EXPLAINED):
            raise ValidationError({"answer_outcome": NOT_A_BUREAU_OUTCOME})
        contributed = sorted(
            set(locked.events.filter(action="contribute").values_list("changes__bureau", flat=True))
        )
        locked.answer()
        locked.answer_text, locked.answer_actions, locked.answer_outcome = (
            answer_text,
            answer_actions,
            answer_outcome,
        )
        note = gettext(ANSWERED_THROUGH_ISSUE) % {"issue": locked.pk}
        for case in _locked_cases(locked.cases.values_list("pk", flat=True)):
            if case.state in (CaseState.DISPATCHED, CaseState.IN_PROGRESS) and rules.may(
                "answer_from_policy_issue", case, actor
            ):
                _answer_case(case=case, issue=locked, actor=actor, note=note, contributed=contributed)
                reached.append(case.pk)
            elif case.state in rules.BEING_HANDLED:
                not_reached.append(case.pk)
        notices.tell(
            recipients=notices.city_commissioners(),
            kind=K.POLICY_ISSUE_ANSWERED,
            key=f"policy_issue_answered:{locked.pk}",
            params=_issue_params(locked, count=len(reached)),
        )
        return {
            "answer_outcome": answer_outcome,
            "cases_answered": reached,
            **({"cases_not_reached": not_reached} if not_reached else {}),
            **({"contributions": contributed} if contributed else {}),
        }

    issue = _issue_move(issue=issue, actor=actor, move="answer", change=change, note=answer_text)
    if reached:
        # The worker opens each call-back follow-up; if the message is lost, the sweep does.
        enqueue_on_commit("cases.tasks.open_callback_follow_ups_of", reached)
    return issue


def _answer_case(*, case: Case, issue: PolicyIssue, actor: User, note: str, contributed: list[str]) -> None:
    def change(locked: Case) -> dict[str, Any]:
        locked.answer_from_policy_issue()
        locked.answer_text, locked.answer_actions, locked.answer_outcome = (
            issue.answer_text,
            issue.answer_actions,
            issue.answer_outcome,
        )
        locked.answer_contributions = dict.fromkeys(contributed, "contributed")
        locked.assignments.filter(is_current=True, is_lead=True, accepted_at__isnull=True).update(
            status=Assignment.Status.ACCEPTED, accepted_at=locked.accepted_at
        )
        notices.tell(
            recipients=notices.logging_commissioner(locked),
            kind=K.CASE_ANSWERED,
            key=f"case_answered:{locked.pk}:{locked.reopen_count}",
            params=notices.case_notice_params(locked, **notices.bureau_names(locked.lead_bureau)),
        )
        return {"answer_outcome": issue.answer_outcome, "policy_issue": issue.pk}

    make_move(case=case, actor=actor, move="answer_from_policy_issue", change=change, note=note)


def policy_issue_supervise(*, issue: PolicyIssue, actor: User, note: str) -> PolicyIssue:
    """A city commissioner puts the issue under supervision (督办); its lead bureau is told."""

    def change(locked: PolicyIssue) -> dict[str, Any]:
        require_reason(note, "note")
        locked.is_supervised, locked.supervision_note = True, note
        notices.tell(
            recipients=notices.staff_of(locked.lead_bureau),
            kind=K.POLICY_ISSUE_SUPERVISED,
            # Once: only finishing the issue ends its supervision, so it is supervised at most once.
            key=f"policy_issue_supervised:{locked.pk}",
            params=_issue_params(
                locked, due_on=locked.answer_due_on.isoformat() if locked.answer_due_on else "", reason=note
            ),
        )
        return {"bureau": locked.lead_bureau.code}

    return _issue_move(issue=issue, actor=actor, move="supervise", change=change, note=note)


def policy_issue_withdraw(*, issue: PolicyIssue, actor: User, reason: str) -> PolicyIssue:
    """The city dissolves the issue: each of its cases is handled on its own again, where it is."""

    def change(locked: PolicyIssue) -> dict[str, Any]:
        require_reason(reason)
        released = []
        for case in _locked_cases(locked.cases.values_list("pk", flat=True)):
            if case.state in rules.BEING_HANDLED:
                _unlink(case, issue=locked, actor=actor, reason=reason)
                released.append(case.pk)
        locked.withdraw()
        return {"cases_released": released} if released else {}

    return _issue_move(issue=issue, actor=actor, move="withdraw", change=change, reason=reason)


def escalate_overdue_policy_issues(*, today: date) -> int:
    """Each routed issue past its answer deadline is put under supervision once per deadline, and
    the city and its lead bureau are told: set-wise, one locked read, one update, one insert of
    history rows, one read of the bureaus' staff and one insert of notifications (an issue another
    writer holds is left to the next sweep)."""
    with transaction.atomic():
        overdue = list(
            PolicyIssue.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state__in=ROUTED, answer_due_on__lt=today)
            .exclude(escalated_due_on=F("answer_due_on"))
            .select_related("lead_bureau")
            .order_by("pk")
        )
        if not overdue:
            return 0
        PolicyIssue.objects.filter(pk__in=[issue.pk for issue in overdue]).update(
            escalated_due_on=F("answer_due_on"), is_supervised=True
        )
        PolicyIssueEvent.objects.bulk_create(
            PolicyIssueEvent(
                issue=issue,
                actor=None,
                action="escalate",
                from_state=issue.state,
                to_state=issue.state,
                changes={"answer_due_on": issue.answer_due_on.isoformat(), "is_supervised": True},
            )
            for issue in overdue
        )
        city = notices.city_commissioners()
        staff = notifications.bureau_staff_by_bureau({issue.lead_bureau_id for issue in overdue})
        notifications.notify(
            notifications.Draft(
                recipient_id=user_id,
                kind=K.POLICY_ISSUE_OVERDUE,
                key=f"policy_issue_overdue:{issue.pk}:{issue.answer_due_on.isoformat()}",
                params=_issue_params(issue, due_on=issue.answer_due_on.isoformat()),
            )
            for issue in overdue
            for user_id in dict.fromkeys([*city, *staff[issue.lead_bureau_id]])
        )
    return len(overdue)


# The same moves as seen from one case (its page and its API).
def case_link_policy_issue(*, case: Case, actor: User, policy_issue: PolicyIssue, note: str = "") -> Case:
    """The case joins a policy issue."""
    rules.check("link_policy_issue", case, actor)
    policy_issue_link_case(issue=policy_issue, actor=actor, case=case.pk, note=note)
    return Case.objects.get(pk=case.pk)


def case_unlink_policy_issue(*, case: Case, actor: User, reason: str) -> Case:
    """The case leaves its policy issue and is handled on its own again."""
    rules.check("unlink_policy_issue", case, actor)
    policy_issue_unlink_case(issue=case.policy_issue, actor=actor, case=case.pk, reason=reason)
    return Case.objects.get(pk=case.pk)
