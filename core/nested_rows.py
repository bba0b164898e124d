"""A parent's child rows read as one column of the parent's own query, on PostgreSQL.

A prefetch is one more round trip, queryset and compilation per list of children; a detail that
shows a case with its history and its assignments paid three of each. Here the children come back
as an array of JSON objects in the parent's row (`ARRAY(SELECT to_jsonb(child) || ...)`, in the
children's own order) and are turned back into model instances, with their `select_related` rows,
exactly as the ORM would have built them from their columns.
"""

from collections.abc import Sequence
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import F, Func, JSONField, QuerySet


def _columns(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def _python(field: models.Field, value: Any) -> Any:
    # JSON holds dates, times and decimals as text: each column's own conversion makes them what the
    # database driver would have given (a generated column converts as its output field).
    if value is None:
        return None
    if isinstance(field, models.GeneratedField):
        field = field.output_field
    return field.to_python(value)


class _RowAsJson(Func):
    """The subquery's row as JSON (`to_jsonb` of the whole row, its columns by name), each `related`
    row under its relation's name. Its arguments only make the ORM join the related tables (by a
    column other than the key, which the ORM would read off the row without a join) and name their
    aliases: nothing of them is compiled but the aliases."""

    output_field = JSONField()

    def __init__(self, model: type[models.Model], related: Sequence[str]):
        self.related = tuple(related)
        joined = [
            next(
                field
                for field in _columns(model._meta.get_field(name).related_model)
                if not field.primary_key
            )
            for name in self.related
        ]
        super().__init__(
            F(model._meta.pk.name),
            *(F(f"{name}__{field.name}") for name, field in zip(self.related, joined, strict=True)),
        )

    def as_sql(self, compiler, connection, **extra):
        quote = compiler.quote_name_unless_alias
        own, *joins = (column.alias for column in self.get_source_expressions())
        sql = f"to_jsonb({quote(own)})"
        if joins:
            pairs = ", ".join(
                f"'{name}', to_jsonb({quote(alias)})" for name, alias in zip(self.related, joins, strict=True)
            )
            sql = f"{sql} || jsonb_build_object({pairs})"
        return sql, []


def nested_rows(rows: QuerySet, *, related: Sequence[str] = ()) -> ArraySubquery:
    """An annotation: `rows` (filtered on an `OuterRef` of the parent) as an array of JSON objects,
    each with every column of the row and, under their names, of its `related` foreign keys."""
    if not rows.query.order_by:  # in the order a prefetch would read them: the model's own
        rows = rows.order_by(*rows.model._meta.ordering)
    return ArraySubquery(rows.values(row=_RowAsJson(rows.model, related)).values("row"))


def rows_from_json(
    model: type[models.Model], rows: list[dict[str, Any]], *, related: Sequence[str] = (), db: str
) -> list[models.Model]:
    """The instances of a `nested_rows` column, their `related` rows cached as `select_related`
    caches them."""
    own = _columns(model)
    names = [field.attname for field in own]
    foreign = [
        (model._meta.get_field(name), _columns(model._meta.get_field(name).related_model)) for name in related
    ]
    instances = []
    for row in rows:
        instance = model.from_db(db, names, [_python(field, row[field.column]) for field in own])
        for relation, columns in foreign:
            target = None
            if row[relation.column] is not None:
                values = row[relation.name]
                target = relation.related_model.from_db(
                    db,
                    [field.attname for field in columns],
                    [_python(field, values[field.column]) for field in columns],
                )
            relation.set_cached_value(instance, target)
        instances.append(instance)
    return instances
