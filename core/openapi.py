"""The API schema: the error library's schema class, adjusted, and the 409 it does not provide."""

from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum
from rest_framework import serializers


class Error409Serializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse409Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["client_error"])
    errors = Error409Serializer(many=True)


class ErrorResponse413Serializer(serializers.Serializer):
    """A request body over the upload limit."""

    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error409Serializer(many=True)


class ErrorResponse412Serializer(serializers.Serializer):
    """The row changed since the version `If-Match` names; the `ETag` header gives the current one."""

    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error409Serializer(many=True)


class ErrorResponse422Serializer(serializers.Serializer):
    """An Idempotency-Key sent again with another request."""

    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error409Serializer(many=True)


class CsrfErrorSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["csrf_failed"])
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class CsrfFailedResponseSerializer(serializers.Serializer):
    """A session write without the CSRF token of the session's cookie."""

    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = CsrfErrorSerializer(many=True)


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

    def _should_add_error_response(self, responses: dict, status_code: str) -> bool:
        if status_code == "413":
            # Only a request with a body can be too large.
            return self.method in ("POST", "PUT", "PATCH") and super()._should_add_error_response(
                responses, status_code
            )
        return super()._should_add_error_response(responses, status_code)

    def _get_serializer_for_validation_error_response(self):
        return FieldErrorResponseSerializer
