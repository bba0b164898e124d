"""The API schema: the error library's schema class, adjusted, and the 409 it does not provide."""

from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from rest_framework import serializers


class Error409Serializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse409Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["client_error"])
    errors = Error409Serializer(many=True)


class FieldErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    attr = serializers.CharField(
        allow_null=True, help_text="The field in error; null for the input as a whole."
    )


class FieldErrorResponseSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["validation_error"])
    errors = FieldErrorSerializer(many=True)


class AutoSchema(StandardizedErrorsAutoSchema):
    """Documents every operation's error responses in the one error shape.

    A validation error's `attr` is documented as a plain string: nested fields are
    reported with their list index (`contacts.0.name`), which a per-field enum
    cannot describe truthfully, and errors about the input as a whole have none.
    """

    def _should_add_validation_error_response(self) -> bool:
        # Query parameters are validated too (e.g. a required `centre`).
        has_query_parameters = any(parameter["in"] == "query" for parameter in self._get_parameters())
        return has_query_parameters or super()._should_add_validation_error_response()

    def _get_serializer_for_validation_error_response(self):
        return FieldErrorResponseSerializer
