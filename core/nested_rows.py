"""A parent's child rows read as one column of the parent's own query, on PostgreSQL.

A prefetch is one more round trip, queryset and compilation per list of children; a detail that
shows a case with its history and its assignments paid three of each. Here the children come back
as an array of JSON objects in the parent's row (`ARRAY(SELECT jsonb_build_object(...))`, in the
children's own order) and are turned back into model instances, with their `select_related` rows,
exactly as the ORM would have built them from their columns.
"""

from collections.abc import Sequence
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import F, QuerySet
from django.db.models.functions import JSONObject


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


def nested_rows(rows: QuerySet, *, related: Sequence[str] = ()) -> ArraySubquery:
    """An annotation: `rows` (filtered on an `OuterRef` of the parent) as an array of JSON objects,
    each with every column of the row and of its `related` foreign keys."""
    model = rows.model
    columns = {field.attname: F(field.attname) for field in _columns(model)}
    for name in related:
        for field in _columns(model._meta.get_field(name).related_model):
            columns[f"{name}__{field.attname}"] = F(f"{name}__{field.attname}")
    return ArraySubquery(rows.values(row=JSONObject(**columns)).values("row"))


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
        instance = model.from_db(db, names, [_python(field, row[field.attname]) for field in own])
        for relation, columns in foreign:
            key = row[f"{relation.name}__{relation.target_field.attname}"]
            target = None
            if key is not None:
                target = relation.related_model.from_db(
                    db,
                    [field.attname for field in columns],
                    [_python(field, row[f"{relation.name}__{field.attname}"]) for field in columns],
                )
            relation.set_cached_value(instance, target)
        instances.append(instance)
    return instances
