"""The one path every case write takes: lock the row, check the rule, change, record history."""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from cases import rules
from cases.models import Case, CaseEvent
from commissioners.models import User
from core.errors import Conflict
from core.history import change_locked
from core.versioning import check_version

CHANGED_MEANWHILE = _("The case was changed by someone else at the same moment; reload it and try again.")


def record_event(
    *, case: Case, actor: User | None, action: str, from_state: str | None = None, **fields: Any
) -> CaseEvent:
    """A history entry of a change that is not a move (logging, an attachment), taken under the
    case's row lock so that its state is the one the case has in the history's order: a move that
    commits meanwhile is either wholly before it or wholly after it."""
    locked = Case.objects.select_for_update(of=("self",)).only("pk", "state").get(pk=case.pk)
    from_state = locked.state if from_state is None else from_state
    return CaseEvent.record(subject=locked, actor=actor, action=action, from_state=from_state, **fields)


def make_move(
    *,
    case: Case,
    actor: User,
    move: str,
    change: Callable[[Case], dict[str, Any] | None],
    reason: str = "",
    note: str = "",
    record_unchanged: bool = True,
    expected_version: str | None = None,
) -> Case:
    """Runs `change` on the freshly locked case if the rule table allows the move, then records it.

    `change` applies the FSM transition and field changes and returns what to keep
    in the history beyond the states. A second writer waits for the lock and then
    sees the new state, so conflicting moves end in one success and one 409, and
    moves that do not conflict both land.
    """

    def check(locked: Case) -> None:
        check_version(locked, expected_version)
        if locked.state != case.state and not rules.may(move, locked, actor):
            # Moved by someone else since the caller read it: a conflict, whoever the caller is.
            raise Conflict(CHANGED_MEANWHILE)
        rules.check(move, locked, actor)

    return change_locked(
        # What every move's notices quote, read with the lock rather than one query each.
        rows=Case.objects.select_related("centre", "lead_bureau", "created_by"),
        pk=case.pk,
        actor=actor,
        action=move,
        history=CaseEvent,
        check=check,
        change=change,
        after_save=sync_assignments,
        record_unchanged=record_unchanged,
        reason=reason,
        note=note,
    )


def sync_assignments(case: Case) -> None:
    """Copies what the bureau inbox and bureau visibility read from the case onto its assignments."""
    case.assignments.update(
        case_state=case.state,
        case_is_confidential=case.is_confidential,
        case_answer_due_on=case.answer_due_on,
    )
