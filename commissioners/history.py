"""What the append-only histories (case events, assessment events) record of an edit."""

from decimal import Decimal
from typing import Any

from django.db import models


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
