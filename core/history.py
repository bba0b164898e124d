"""The append-only histories (case events, assessment events): the row base and what an edit records."""

import copy
from collections.abc import Callable
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any, ClassVar, TypeVar
from uuid import UUID

import pgtrigger
from django.db import connections, models, router, transaction
from django.db.models import QuerySet
from django.db.models.sql import InsertQuery, UpdateQuery

from core.changes import change_context


def apply_changes(target: models.Model, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """Sets on `target` the fields whose value differs; returns those as {name: [old, new]},
    in values a JSON history column can hold (related rows by their id)."""
    changes = {}
    for name, value in fields.items():
        old = getattr(target, name)
        if old != value:
            changes[name] = [_recordable(old), _recordable(value)]
            setattr(target, name, value)
    return changes


def _recordable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    return value


class AppendOnlyQuerySet(models.QuerySet):
    """For histories: appended to, never rewritten; bulk updates and deletes are refused too."""

    def update(self, **kwargs):
        raise ValueError(f"{self.model._meta.verbose_name} is append-only.")

    def delete(self):
        raise ValueError(f"{self.model._meta.verbose_name} is append-only.")


class AppendOnlyModel(models.Model):
    """A history row: saved once, never changed or deleted, one by one or in bulk.

    A history has `actor`, `action`, `from_state`, `to_state` and `changes` columns and names the
    row it is the history of in `subject_field`."""

    subject_field: ClassVar[str]

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(f"{self._meta.verbose_name} is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{self._meta.verbose_name} is append-only.")

    @classmethod
    def record(cls, **entry_fields: Any):
        """Appends who did what to `subject`, from which state to the one it is in now (the
        entry `entry` builds from the same arguments)."""
        entry = cls.entry(**entry_fields)
        entry.save(force_insert=True)
        return entry

    @classmethod
    def entry(
        cls,
        *,
        subject: models.Model,
        actor,
        action: str,
        from_state: str = "",
        changes: dict[str, Any] | None = None,
        **fields: Any,
    ):
        """Who did what to `subject`, from which state to the one it is in now: the entry `record`
        appends, not saved yet (`change_locked` saves it with its row's change)."""
        return cls(
            **{cls.subject_field: subject},
            actor=actor,
            action=action,
            from_state=from_state,
            to_state=subject.state,
            changes=changes or {},
            **fields,
        )


APPEND_ONLY_TRIGGER = "append_only"


def append_only_triggers() -> list[pgtrigger.Protect]:
    """The database's own refusal to change or remove a history row, whoever asks (raw SQL, the
    shell, another program): put in a history model's `Meta.triggers`. Only `purge_history`, which
    an administrator runs on purpose, lifts it, for the rows it removes. (Not TRUNCATE: emptying a
    whole database, `flush` or the test suite's, stays possible for its owner.)"""
    return [pgtrigger.Protect(name=APPEND_ONLY_TRIGGER, operation=pgtrigger.Update | pgtrigger.Delete)]


Row = TypeVar("Row", bound=models.Model)


# Values no change can alter in place: kept as they are. Any other (a JSON column's dict or list) is
# copied, deeply.
_IMMUTABLE = (str, int, float, Decimal, date, time, timedelta, UUID, bytes, type(None))


def _column_values(row: models.Model) -> dict[str, Any]:
    # Copies, so that a JSON column changed in place still differs from what it was.
    values = {}
    for field in row._meta.concrete_fields:
        if not field.primary_key and not field.generated:
            value = getattr(row, field.attname)
            values[field.attname] = value if isinstance(value, _IMMUTABLE) else copy.deepcopy(value)
    return values


def _changed_columns(row: models.Model, before: dict[str, Any]) -> list[str]:
    """The columns a change set, and those the save itself sets (an `updated_at`): the UPDATE writes
    only these, so a move rewrites a few columns of the row, not all of them, and the triggers
    compare what changed."""
    after = _column_values(row)
    changed = [name for name, value in after.items() if before[name] != value]
    stamped = [
        field.attname
        for field in row._meta.concrete_fields
        if getattr(field, "auto_now", False) and field.attname not in changed
    ]
    return changed + stamped


def change_locked(
    *,
    rows: QuerySet[Row],
    pk: Any,
    actor,
    action: str,
    history: type[AppendOnlyModel],
    check: Callable[[Row], None],
    change: Callable[[Row], dict[str, Any] | None],
    after_save: Callable[[Row], None] | None = None,
    record_unchanged: bool = True,
    locked: Row | None = None,
    **event_fields: Any,
) -> Row:
    """The one path of every audited change of a row with a state (a case, an assessment).

    In one transaction: locks the row, so that a second writer waits and then decides on what the
    first one left; `check` raises if the change is not allowed on the row as it is now; `change`
    changes it (the state through its django-fsm transition) and returns what the history keeps of
    it beyond the states; the row is saved, `after_save` keeps its copies in step, and the history
    gets its entry. Nothing of it is left if any step raises. With `record_unchanged` False (edits),
    a change that changes nothing saves and records nothing.

    `locked` is the row when the caller already holds its lock, read as `rows` reads it, in the
    transaction it is in: it is neither locked nor read again, and the caller's transaction is the
    change's (a refusal rolls the caller's back too, so no savepoint is needed)."""
    reason = event_fields.get("reason") or event_fields.get("note") or None
    with transaction.atomic(savepoint=locked is None), change_context(action=action, reason=reason):
        if locked is None:
            locked = rows.select_for_update(of=("self",)).get(pk=pk)
        check(locked)
        from_state = locked.state
        before = _column_values(locked)
        changes = change(locked) or {}
        if not record_unchanged and not changes and locked.state == from_state:
            return locked
        entry = history.entry(
            subject=locked, actor=actor, action=action, from_state=from_state, changes=changes, **event_fields
        )
        save_and_append(locked, update_fields=_changed_columns(locked, before), entry=entry)
        if after_save is not None:
            after_save(locked)
    return locked


def save_and_append(row: models.Model, *, update_fields: list[str], entry: AppendOnlyModel) -> None:
    """Saves the row's `update_fields` and appends its history `entry`: on PostgreSQL in one
    statement (the UPDATE as a data-modifying WITH of the INSERT), one round trip fewer on every
    move. The UPDATE is the one `row.save(update_fields=...)` sends (its `auto_now` columns set the
    same way), and its triggers fire as they would; no signal receiver listens to either save."""
    connection = connections[router.db_for_write(type(row), instance=row)]
    if connection.vendor != "postgresql":
        row.save(update_fields=update_fields)
        entry.save(force_insert=True)
        return
    meta = row._meta
    update = UpdateQuery(type(row))
    update.add_update_fields(
        [(field, None, field.pre_save(row, False)) for field in map(meta.get_field, update_fields)]
    )
    update.add_q(models.Q(pk=row.pk))
    update_sql, update_params = update.get_compiler(connection=connection).as_sql()

    history = type(entry)
    insert = InsertQuery(history)
    insert.insert_values(
        [
            field
            for field in history._meta.local_concrete_fields
            if not field.generated and field.column != "id"
        ],
        [entry],
    )
    compiler = insert.get_compiler(connection=connection)
    compiler.returning_fields = history._meta.db_returning_fields
    [(insert_sql, insert_params)] = compiler.as_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"WITH saved AS ({update_sql}) {insert_sql}", (*update_params, *insert_params))
        returned = cursor.fetchone()
    for field, value in zip(compiler.returning_fields, returned, strict=True):
        setattr(entry, field.attname, value)
    row._state.adding = entry._state.adding = False
    row._state.db = entry._state.db = connection.alias
