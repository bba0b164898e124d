"""How the API shows one entry of the change history (`core.changes`)."""

from typing import Any, ClassVar

from django.contrib.auth import get_user_model
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.models import ChangeRecord

CHANGE_ACTIONS = ["insert", "update", "delete", "password"]


class FieldsBuiltOnce:
    """For a ModelSerializer that only answers (never validates input): its fields are built from the
    model once per class and language, then copied for each instance, as DRF copies declared fields.
    DRF builds them anew for every instance, nested ones included: on a case's detail that was a
    quarter of the request's CPU. Nothing of the data is kept: the fields depend only on the code
    (the serializer's declaration and the model's), so a copy cannot be stale. Not for a serializer
    whose fields depend on the instance or the request's context."""

    _built: ClassVar[dict[tuple[type, str | None], dict[str, Any]]] = {}

    def get_fields(self):
        key = (type(self), translation.get_language())
        built = FieldsBuiltOnce._built.get(key)
        if built is None:
            built = FieldsBuiltOnce._built[key] = super().get_fields()
        return {name: unbound_copy(field) for name, field in built.items()}


def unbound_copy(field: serializers.Field) -> serializers.Field:
    """A copy of a built, never bound field, for one serializer instance to bind. DRF's deepcopy
    calls each field's __init__ again with its arguments (most of the copy's cost); the answering
    side reads nothing a shallow copy shares but its arguments, so only what binding sets is the
    copy's own: its name and parent, and for a nested serializer its child and bound fields."""
    # A new instance with the field's attributes: what `copy.copy` makes, without its generic
    # (pickle protocol) path, which took most of a detail's field copying.
    clone = object.__new__(type(field))
    clone.__dict__.update(field.__dict__)
    if isinstance(clone, serializers.ListSerializer):
        # The child was bound to its list when the list was built: only its parent is the copy's.
        clone.child = unbound_copy(clone.child)
        clone.child.parent = clone
    elif isinstance(clone, serializers.ManyRelatedField):
        clone.child_relation = unbound_copy(clone.child_relation)
        clone.child_relation.parent = clone
    if isinstance(clone, serializers.BaseSerializer):
        clone.__dict__.pop("fields", None)  # a cached property: the copy binds its own
    return clone


class ChangeSerializer(serializers.ModelSerializer):
    """One change of one row: what it was (`table`, `object_id`), what happened (`action`), the
    changed fields as [old, new] (updates), the whole row after it (or before it, for a delete), and
    who made it, through which address or task, and why."""

    id = serializers.CharField(source="pgh_slug")
    at = serializers.DateTimeField(source="pgh_created_at")
    action = serializers.ChoiceField(source="pgh_label", choices=CHANGE_ACTIONS)
    table = serializers.CharField(source="pgh_obj_model")
    object_id = serializers.CharField(source="pgh_obj_id", allow_null=True)
    changes = serializers.SerializerMethodField()
    values = serializers.JSONField(source="pgh_data")
    user = serializers.IntegerField(source="user_id", allow_null=True)
    user_name = serializers.SerializerMethodField()
    url = serializers.CharField(allow_null=True)
    task = serializers.CharField(allow_null=True)
    reason = serializers.CharField(allow_null=True)
    request_id = serializers.UUIDField(source="pgh_context_id", allow_null=True)

    class Meta:
        model = ChangeRecord
        fields = [
            "id",
            "at",
            "action",
            "table",
            "object_id",
            "changes",
            "values",
            "user",
            "user_name",
            "url",
            "task",
            "reason",
            "request_id",
        ]

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "array", "items": {}}})
    def get_changes(self, change) -> dict:
        return change.pgh_diff or {}

    @extend_schema_field(OpenApiTypes.STR)
    def get_user_name(self, change) -> str:
        return self.context.get("user_names", {}).get(change.user_id, "")


def change_page_context(changes) -> dict:
    """The names of the users of a page of changes, in one query."""
    ids = {change.user_id for change in changes if change.user_id}
    users = get_user_model().objects.filter(pk__in=ids)
    return {"user_names": {user.pk: user.get_full_name() or user.username for user in users}}


def paginated_changes(view, changes):
    """A view's page of change records, with their users' names: the answer of every history endpoint."""
    page = view.paginate_queryset(changes)
    context = {**view.get_serializer_context(), **change_page_context(page)}
    return view.get_paginated_response(ChangeSerializer(page, many=True, context=context).data)
