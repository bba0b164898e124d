"""The one path every case write takes: lock the row, check the rule, change, record history."""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cases import rules
from cases.models import Case, CaseEvent
from commissioners.models import User
from config.exceptions import Conflict

CHANGED_MEANWHILE = _("The case was changed by someone else at the same moment; reload it and try again.")


def record_event(
    *,
    case: Case,
    actor: User | None,
    action: str,
    from_state: str = "",
    reason: str = "",
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=case.state,
        reason=reason,
        note=note,
        changes=changes or {},
    )


def make_move(
    *,
    case: Case,
    actor: User,
    move: str,
    change: Callable[[Case], dict[str, Any] | None],
    reason: str = "",
    note: str = "",
) -> Case:
    """Runs `change` on the freshly locked case if the rule table allows the move, then records it.

    `change` applies the FSM transition and field changes and returns what to keep
    in the history beyond the states. A second writer waits for the lock and then
    sees the new state, so conflicting moves end in one success and one 409, and
    moves that do not conflict both land.
    """
    with transaction.atomic():
        # The row lock makes a second writer wait, then check the rule against what the
        # first one left: a move no longer allowed is a 409, one still allowed goes ahead.
        locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        if locked.state != case.state and not rules.may(move, locked, actor):
            # Moved by someone else since the caller read it: a conflict, whoever the caller is.
            raise Conflict(CHANGED_MEANWHILE)
        rules.check(move, locked, actor)
        from_state = locked.state
        changes = change(locked) or {}
        locked.save()
        sync_assignments(locked)
        record_event(
            case=locked,
            actor=actor,
            action=move,
            from_state=from_state,
            reason=reason,
            note=note,
            changes=changes,
        )
    return locked


def sync_assignments(case: Case) -> None:
    """Copies what the bureau inbox and bureau visibility read from the case onto its assignments."""
    case.assignments.update(
        case_state=case.state,
        case_is_confidential=case.is_confidential,
        case_answer_due_on=case.answer_due_on,
    )
