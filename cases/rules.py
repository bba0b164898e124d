"""Who may make which move on a case, and from which states: the one rule table.

Pure functions of a case and a user. The FSM transitions use `actor_may` as their
permission, services call `check` before every move, and the API lists
`allowed_moves` on each case.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from commissioners.models import Role
from core.errors import Conflict
from core.time import local_today

SUBMITTED, DISPATCHED, IN_PROGRESS, ANSWERED = "submitted", "dispatched", "in_progress", "answered"
CLOSED, REFERRED_UP, WITHDRAWN = "closed", "referred_up", "withdrawn"
BEING_HANDLED = frozenset({SUBMITTED, DISPATCHED, IN_PROGRESS})
NOT_FINISHED = BEING_HANDLED | {ANSWERED, REFERRED_UP}


def _district_commissioner(case, user) -> bool:
    return user.role == Role.DISTRICT_COMMISSIONER and user.district_id == case.district_id


def _city_commissioner(case, user) -> bool:
    return user.role == Role.CITY_COMMISSIONER


def _lead_bureau(case, user) -> bool:
    return (
        user.role == Role.BUREAU_STAFF
        and case.lead_bureau_id is not None
        and user.bureau_id == case.lead_bureau_id
    )


def _co_handling_assignment(case, user):
    if user.role != Role.BUREAU_STAFF:
        return None
    return next(
        (a for a in case.current_assignments() if a.bureau_id == user.bureau_id and not a.is_lead),
        None,
    )


def _co_handling_bureau(case, user) -> bool:
    return _co_handling_assignment(case, user) is not None


def _assigned_bureau(case, user) -> bool:
    """A bureau handling the case now, as lead or co-handler (the case counts in its rates)."""
    return user.role == Role.BUREAU_STAFF and any(
        a.bureau_id == user.bureau_id for a in case.current_assignments()
    )


def co_handlers_done(case, *, today=None) -> bool:
    """The lead answers only when every co-handler has contributed or its deadline has passed."""
    today = today or local_today()
    return all(
        a.status == "contributed" or (a.contribute_due_on is not None and a.contribute_due_on < today)
        for a in case.current_assignments()
        if not a.is_lead
    )


def _annotated_or(case, name: str, query: Callable[[], bool]) -> bool:
    """A list's annotation when the row has it, else the query: lists stay a fixed number of queries."""
    return getattr(case, name) if hasattr(case, name) else query()


def _awaits_supervision_reply(case, user) -> bool:
    return case.is_supervised and _annotated_or(
        case,
        "supervision_awaiting_reply",
        lambda: case.supervisions.filter(closed_at__isnull=True, replied_at__isnull=True).exists(),
    )


def _may_appeal(case, user) -> bool:
    return not _annotated_or(
        case,
        "own_appeal_standing",
        lambda: case.appeals.filter(bureau_id=user.bureau_id, status__in=["pending", "upheld"]).exists(),
    )


def _appeal_pending(case, user) -> bool:
    return _annotated_or(case, "pending_appeal", lambda: case.appeals.filter(status="pending").exists())


@dataclass(frozen=True)
class Move:
    label: str
    states: frozenset[str]
    actor: Callable
    # A further condition on the case and user, with what to say when it fails.
    condition: Callable | None = None
    condition_message: str = ""
    # False for a move the system makes as part of another (a policy issue's answer reaching each of
    # its cases): checked like any other, never offered on its own.
    offered: bool = True


MOVES: dict[str, Move] = {
    "edit": Move(_("edit"), BEING_HANDLED, _district_commissioner),
    "withdraw": Move(_("withdraw"), BEING_HANDLED, _district_commissioner),
    "dispatch": Move(
        _("dispatch"),
        frozenset({SUBMITTED}),
        _city_commissioner,
        lambda case, user: not case.return_pending,
        _("A bureau returned this case: rule on the return before dispatching it again."),
    ),
    "rule_return": Move(
        _("rule on the return"),
        frozenset({SUBMITTED}),
        _city_commissioner,
        lambda case, user: case.return_pending,
        _("No return of this case waits for a ruling."),
    ),
    "accept": Move(_("accept"), frozenset({DISPATCHED}), _lead_bureau),
    "return": Move(_("return as misrouted"), frozenset({DISPATCHED}), _lead_bureau),
    "accept_assignment": Move(
        _("accept the co-handling part"),
        frozenset({DISPATCHED, IN_PROGRESS}),
        _co_handling_bureau,
        lambda case, user: _co_handling_assignment(case, user).status == "pending",
        _("Your bureau has already accepted its part."),
    ),
    "contribute": Move(
        _("contribute"),
        frozenset({DISPATCHED, IN_PROGRESS}),
        _co_handling_bureau,
        lambda case, user: _co_handling_assignment(case, user).status in ("accepted", "contributed"),
        _("Accept your bureau's part before contributing to it."),
    ),
    "answer": Move(
        _("answer"),
        frozenset({IN_PROGRESS}),
        _lead_bureau,
        lambda case, user: co_handlers_done(case),
        _("A co-handling bureau has neither contributed nor passed its deadline to contribute."),
    ),
    "request_extension": Move(
        _("request a deadline extension"),
        frozenset({IN_PROGRESS}),
        _lead_bureau,
        lambda case, user: not case.has_pending_extension(),
        _("An extension request for this case is already waiting for a decision."),
    ),
    "decide_extension": Move(
        _("decide on the deadline extension"),
        frozenset({IN_PROGRESS}),
        _city_commissioner,
        lambda case, user: case.has_pending_extension(),
        _("There is no extension request waiting for a decision."),
    ),
    "callback": Move(_("record the call-back"), frozenset({ANSWERED}), _district_commissioner),
    "refer_up": Move(_("refer upward"), BEING_HANDLED, _city_commissioner),
    "record_referral_outcome": Move(
        _("record the referral outcome"), frozenset({REFERRED_UP}), _city_commissioner
    ),
    "follow_up_referral": Move(
        _("record a follow-up of the referral"), frozenset({REFERRED_UP}), _city_commissioner
    ),
    "supervise": Move(
        _("put under supervision"),
        NOT_FINISHED,
        _city_commissioner,
        lambda case, user: not case.is_supervised,
        _("The case is already under supervision."),
    ),
    "reply_supervision": Move(
        _("reply to the supervision"),
        NOT_FINISHED | {CLOSED},
        _lead_bureau,
        _awaits_supervision_reply,
        _("No supervision of this case waits for your bureau's reply."),
    ),
    "appeal": Move(
        _("appeal against counting the case in the rates"),
        frozenset({DISPATCHED, IN_PROGRESS, ANSWERED, CLOSED}),
        _assigned_bureau,
        _may_appeal,
        _("Your bureau's appeal on this case is already waiting or was upheld."),
    ),
    "decide_appeal": Move(
        _("decide on the appeal"),
        frozenset({DISPATCHED, IN_PROGRESS, ANSWERED, CLOSED}),
        _city_commissioner,
        _appeal_pending,
        _("No appeal on this case waits for a decision."),
    ),
    "link_policy_issue": Move(
        _("add to a policy issue"),
        BEING_HANDLED,
        _city_commissioner,
        lambda case, user: case.policy_issue_id is None,
        _("The case already belongs to a policy issue: take it out of that one first."),
    ),
    "unlink_policy_issue": Move(
        _("take out of its policy issue"),
        BEING_HANDLED,
        _city_commissioner,
        lambda case, user: case.policy_issue_id is not None,
        _("The case belongs to no policy issue."),
    ),
    "answer_from_policy_issue": Move(
        _("answer through the policy issue"),
        frozenset({DISPATCHED, IN_PROGRESS}),
        _lead_bureau,
        lambda case, user: case.policy_issue_id is not None,
        _("The case belongs to no policy issue."),
        offered=False,
    ),
    "end_supervision": Move(
        _("end supervision"),
        NOT_FINISHED | {CLOSED, WITHDRAWN},
        _city_commissioner,
        lambda case, user: case.is_supervised,
        _("The case is not under supervision."),
    ),
}

# Every move's name (the API's `allowed_moves` enum).
MOVE_NAMES = list(MOVES)

NOT_YOUR_MOVE = _("You cannot %(move)s this case.")
WRONG_STATE = _("A case that is %(state)s cannot be moved this way (%(move)s).")


def actor_may(move: str, case, user) -> bool:
    """Whether the user is the kind of person who makes this move on this case, in any state."""
    return bool(user and user.is_authenticated and MOVES[move].actor(case, user))


def may(move: str, case, user) -> bool:
    rule = MOVES[move]
    return (
        case.state in rule.states
        and actor_may(move, case, user)
        and (rule.condition is None or rule.condition(case, user))
    )


# The offered moves of each state, in the table's order: a list row asks only those of its state
# (three to six of the table's moves) who may make them.
_OFFERED_IN = {
    state: [move for move, rule in MOVES.items() if rule.offered and state in rule.states]
    for state in {state for rule in MOVES.values() for state in rule.states}
}


def allowed_moves(case, user) -> list[str]:
    return [move for move in _OFFERED_IN.get(case.state, ()) if may(move, case, user)]


def check(move: str, case, user) -> None:
    """Raises 403 for the wrong person and 409 for the wrong moment."""
    rule = MOVES[move]
    if not actor_may(move, case, user):
        raise PermissionDenied(NOT_YOUR_MOVE % {"move": rule.label})
    if case.state not in rule.states:
        raise Conflict(WRONG_STATE % {"state": case.get_state_display(), "move": rule.label})
    if rule.condition is not None and not rule.condition(case, user):
        raise Conflict(rule.condition_message)


# The moves of a policy issue (共性问题, `cases.models.PolicyIssue`), by the same rules: the city
# gathers the cases and routes the issue, its lead bureau accepts and answers it once, the
# co-handling bureaus contribute.
ISSUE_OPEN, ISSUE_DISPATCHED, ISSUE_IN_PROGRESS = "open", "dispatched", "in_progress"
ISSUE_BEING_HANDLED = frozenset({ISSUE_OPEN, ISSUE_DISPATCHED, ISSUE_IN_PROGRESS})


def _issue_co_handler(issue, user) -> bool:
    return user.role == Role.BUREAU_STAFF and _annotated_or(
        issue, "user_bureau_co_handles", lambda: issue.co_bureaus.filter(pk=user.bureau_id).exists()
    )


ISSUE_MOVES: dict[str, Move] = {
    "edit": Move(_("edit"), ISSUE_BEING_HANDLED, _city_commissioner),
    "link": Move(_("add a case"), ISSUE_BEING_HANDLED, _city_commissioner),
    "unlink": Move(_("take a case out"), ISSUE_BEING_HANDLED, _city_commissioner),
    "dispatch": Move(_("dispatch"), frozenset({ISSUE_OPEN}), _city_commissioner),
    "accept": Move(_("accept"), frozenset({ISSUE_DISPATCHED}), _lead_bureau),
    "contribute": Move(_("contribute"), frozenset({ISSUE_DISPATCHED, ISSUE_IN_PROGRESS}), _issue_co_handler),
    "answer": Move(_("answer"), frozenset({ISSUE_IN_PROGRESS}), _lead_bureau),
    "supervise": Move(
        _("put under supervision"),
        frozenset({ISSUE_DISPATCHED, ISSUE_IN_PROGRESS}),
        _city_commissioner,
        lambda issue, user: not issue.is_supervised,
        _("The policy issue is already under supervision."),
    ),
    "withdraw": Move(_("withdraw"), ISSUE_BEING_HANDLED, _city_commissioner),
}
ISSUE_MOVE_NAMES = list(ISSUE_MOVES)
ISSUE_WRONG_STATE = _("A policy issue that is %(state)s cannot be moved this way (%(move)s).")
NOT_YOUR_ISSUE_MOVE = _("You cannot %(move)s this policy issue.")


def issue_may(move: str, issue, user) -> bool:
    rule = ISSUE_MOVES[move]
    return (
        bool(user and user.is_authenticated and rule.actor(issue, user))
        and issue.state in rule.states
        and (rule.condition is None or rule.condition(issue, user))
    )


def issue_allowed_moves(issue, user) -> list[str]:
    return [move for move in ISSUE_MOVES if issue_may(move, issue, user)]


def issue_check(move: str, issue, user) -> None:
    """Raises 403 for the wrong person and 409 for the wrong moment."""
    rule = ISSUE_MOVES[move]
    if not (user and user.is_authenticated and rule.actor(issue, user)):
        raise PermissionDenied(NOT_YOUR_ISSUE_MOVE % {"move": rule.label})
    if issue.state not in rule.states:
        raise Conflict(ISSUE_WRONG_STATE % {"state": issue.get_state_display(), "move": rule.label})
    if rule.condition is not None and not rule.condition(issue, user):
        raise Conflict(rule.condition_message)
