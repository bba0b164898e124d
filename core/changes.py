"""The one change history of everything the product holds, kept by the database itself.

Every tracked table gets PostgreSQL triggers (django-pghistory) that copy the row into its change
table on each insert, each update that changes a tracked column, and each delete: old and new
values are the row before and after, whatever wrote it (the services, the admin, a bulk update, raw
SQL). Each copy carries the context of the write: the user and the address of the request, the
task or command that made it, and the reason the user gave, where there was one. The change tables
refuse UPDATE and DELETE (`purge_history` is the one way out).

The case and assessment histories (`CaseEvent`, `AssessmentEvent`) stay the product's own account
of the workflow (moves, notes, from-state and to-state); their rows' every column change is here
too, under the same mechanism as every other table."""

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import pghistory
from django.db import connection, models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# Columns a change table does not copy: a password's hash is not history (its change is recorded
# without it), a login time and an `updated_at` are noise that a real change already dates.
NOT_COPIED = {"password", "last_login", "updated_at"}


def track_changes(*, exclude: Iterable[str] = (), password_field: str | None = None) -> Callable:
    """Class decorator: the model's rows get a change table `<Model>Change` (inserts, real updates
    and deletes, each with its context). `exclude` names columns that are derived or noise (an
    `updated_at`, a generated column): a write that changes only those records nothing.

    `password_field`: a change of it is recorded as a `password` change without the value."""

    def decorate(model: type[models.Model]) -> type[models.Model]:
        excluded = sorted(
            {*exclude, *NOT_COPIED} & {field.name for field in model._meta.fields}
            | {field.name for field in model._meta.fields if isinstance(field, models.GeneratedField)}
        )
        trackers = [pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()]
        if password_field:
            trackers.append(pghistory.UpdateEvent("password", condition=pghistory.AnyChange(password_field)))
        return pghistory.track(
            *trackers,
            exclude=excluded,
            model_name=f"{model.__name__}Change",
            obj_field=pghistory.ObjForeignKey(related_name="changes", db_constraint=False),
            meta={
                "verbose_name": format_lazy(_("change of {model}"), model=model._meta.verbose_name),
                "verbose_name_plural": format_lazy(_("changes of {model}"), model=model._meta.verbose_name),
            },
        )(model)

    return decorate


def track_links(through: type[models.Model], *, app_label: str, name: str) -> None:
    """A many-to-many table of another app (a user's groups): links added and removed."""
    pghistory.track(
        pghistory.InsertEvent("insert"),
        pghistory.DeleteEvent("delete"),
        obj_field=None,
        model_name=name,
        app_label=app_label,
    )(through)


def records_changes() -> bool:
    """The triggers are PostgreSQL's: the embedded SQLite of a demo keeps no change history."""
    return connection.vendor == "postgresql"


def change_context(**metadata: Any) -> AbstractContextManager:
    """What the next writes are recorded with (`user`, `reason`, `task`, ...): a context manager,
    or, called bare inside one, an addition to it. A `None` value clears a key set earlier in the
    same request (a second move's reason is not the first one's)."""
    if not records_changes():
        return nullcontext()
    return pghistory.context(**metadata)


def change_tables() -> list[type[models.Model]]:
    """Every change table of the product."""
    return list(pghistory.core.event_models())


# Which changes a user may not browse (a confidential case's, say), asked of the apps that know:
# each returns a filter of the change records to hide from that user, or None.
_hidden_change_rules: list[Callable[[Any], Q | None]] = []


def hide_changes_from(rule: Callable[[Any], Q | None]) -> None:
    _hidden_change_rules.append(rule)


def hidden_changes(user) -> Q | None:
    hidden = [q for rule in _hidden_change_rules if (q := rule(user)) is not None]
    if not hidden:
        return None
    combined = hidden[0]
    for q in hidden[1:]:
        combined |= q
    return combined


# A task's writes are recorded with the task's name; one context per task run, entered before it
# and left after it (Celery's signals, connected in CoreConfig.ready).
_task_contexts: dict[str, AbstractContextManager] = {}


def enter_task_context(*, task_id: str, task, **_: Any) -> None:
    context = change_context(task=task.name)
    context.__enter__()
    _task_contexts[task_id] = context


def leave_task_context(*, task_id: str, **_: Any) -> None:
    context = _task_contexts.pop(task_id, None)
    if context is not None:
        context.__exit__(None, None, None)


def changes_referring_to(obj: models.Model, *, tables: Iterable[type[models.Model]]):
    """The changes, newest first, of the rows of `tables` that refer to `obj` (a centre's own row,
    its contact persons, its contacts...): each with its old and new values and its context."""
    from core.models import ChangeRecord

    return ChangeRecord.objects.across(*tables).references(obj).order_by("-pgh_created_at", "-pgh_slug")
