"""Writing many rows of a model in one statement per batch, for the sweeps.

`bulk_create` builds a model instance per row and a statement with a placeholder per value; a
sweep after a long weekend writes tens of thousands of rows, and that Python work was a good part
of its time. Here each column travels as one array and PostgreSQL unnests them.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection, models

BATCH = 10_000


def insert_new_rows(
    model: type[models.Model], rows: Sequence[dict[str, Any]], *, batch_size: int = BATCH
) -> None:
    """Inserts `rows` (field name → value, the same fields in each; a foreign key by its id), skipping
    any that would break a unique constraint, like `bulk_create(ignore_conflicts=True)`. Every field
    the model would fill from a default must be given: PostgreSQL knows none of Django's defaults."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**{_attname(model, name): value for name, value in row.items()}) for row in rows],
            ignore_conflicts=True,
            batch_size=batch_size,
        )
        return
    fields = [model._meta.get_field(name) for name in rows[0]]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    arrays = ", ".join(f"%s::{_array_type(field)}" for field in fields)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT * FROM unnest({arrays}) ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            cursor.execute(
                sql,
                [[field.get_db_prep_save(row[field.name], connection) for row in batch] for field in fields],
            )


def _attname(model: type[models.Model], name: str) -> str:
    return model._meta.get_field(name).attname


def _array_type(field: models.Field) -> str:
    target = field.target_field if field.is_relation else field
    return f"{target.db_type(connection)}[]"
