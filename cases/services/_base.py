"""The one path every case write takes: lock the row, check the rule, change, record history."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from cases import rules
from cases.models import Case, CaseEvent
from cases.selectors import case_list_visible_to, sight_of
from commissioners.models import User
from core.compiled import Statement
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


def rows_for_move(cases: QuerySet[Case], *, to_hold: bool = False) -> QuerySet[Case]:
    """`cases` locked and read as a move reads its case: with what every move's notices quote,
    read with the lock rather than one query each. Rows `to_hold` (`held_for_move`) also say the
    state the caller first saw: the lock returns the row as a writer it waited for left it, but a
    subquery reads the statement's snapshot, taken before the wait."""
    rows = cases.select_related("centre", "lead_bureau", "created_by").select_for_update(of=("self",))
    if to_hold:
        rows = rows.annotate(state_seen=Subquery(Case.objects.filter(pk=OuterRef("pk")).values("state")))
    return rows


# Compiled once per sight (`core.compiled`): the lock's query took 1.5 ms to compile, each move.
_VISIBLE_FOR_MOVE = Statement(
    lambda *, user, pk: rows_for_move(case_list_visible_to(user=user), to_hold=True).filter(pk=pk),
    integers=("pk",),
)


def visible_case_for_move(*, user: User, pk: int) -> Case | None:
    """The case `pk` if the user may see it, locked and read for a move to hold
    (`rows_for_move(..., to_hold=True)`), in the caller's transaction; None if the user may not."""
    rows = _VISIBLE_FOR_MOVE.rows(sight_of(user), arguments={"user": user}, pk=pk)
    return rows[0] if rows else None


@contextmanager
def held_for_move(case: Case) -> Iterator[Case]:
    """For a case the caller has just read from `rows_for_move(..., to_hold=True)`, in the
    transaction it still is in: the first move made on it in the block takes it as it is, without
    locking and reading it again (the API finds the case in the user's sight and locks it in one
    query)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("A case is held for a move only in the transaction that locked it.")
    case._held_for_move = True
    try:
        yield case
    finally:
        case._held_for_move = False


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

    # Held: taken once, a second move in the same block reads the row again (its generated columns
    # and what the first move changed through querysets are the database's).
    held = case if getattr(case, "_held_for_move", False) else None
    case._held_for_move = False
    seen = case.state if held is None else held.state_seen

    def check(locked: Case) -> None:
        check_version(locked, expected_version)
        if locked.state != seen and not rules.may(move, locked, actor):
            # Moved by someone else since the caller read it: a conflict, whoever the caller is.
            raise Conflict(CHANGED_MEANWHILE)
        rules.check(move, locked, actor)

    return change_locked(
        rows=rows_for_move(Case.objects.all()),
        locked=held,
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
    """Copies what the bureau inbox and bureau visibility read from the case onto its assignments.
    On PostgreSQL the database does it (the `sync_assignments` trigger of `Case`, whoever writes the
    case); the embedded SQLite of a demo is kept in step here."""
    if connection.vendor == "postgresql":
        return
    case.assignments.update(
        case_state=case.state,
        case_is_confidential=case.is_confidential,
        case_answer_due_on=case.answer_due_on,
    )
