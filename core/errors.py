"""One error shape for the whole API (drf-standardized-errors), fed by domain errors."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from drf_standardized_errors.handler import ExceptionHandler
from psycopg import errors as database_errors
from rest_framework import exceptions, status
from rest_framework.settings import api_settings


class Conflict(exceptions.APIException):
    """The request is valid but the object is not in a state that allows it."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class DomainExceptionHandler(ExceptionHandler):
    """Maps the errors services raise to API errors.

    Services raise Django's ValidationError with a field -> message mapping, so the
    response names the field and the reason in the request's language.
    """

    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, DjangoValidationError):
            if hasattr(exc, "error_dict"):
                detail = {
                    (api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field): [
                        str(message) for error in errors for message in error.messages
                    ]
                    for field, errors in exc.error_dict.items()
                }
            else:
                detail = {api_settings.NON_FIELD_ERRORS_KEY: [str(message) for message in exc.messages]}
            return exceptions.ValidationError(detail)
        if isinstance(exc, DjangoPermissionDenied) and exc.args:
            # Keep the service's explanation of why the move is not this user's.
            return exceptions.PermissionDenied(str(exc.args[0]))
        if isinstance(exc, OperationalError) and isinstance(
            exc.__cause__, database_errors.DeadlockDetected | database_errors.SerializationFailure
        ):
            # Two writes met on the same rows and the database undid one of them, wholly.
            return Conflict(
                _("Another change was saved at the same moment; nothing of yours was saved. Try again.")
            )
        return super().convert_known_exceptions(exc)


def _error_body(code: str, detail: str) -> dict:
    return {
        "type": "client_error" if code != "error" else "server_error",
        "errors": [{"code": code, "detail": detail, "attr": None}],
    }


def json_not_found(request, exception=None):
    """Unknown URLs answer in the API's error shape, not with an HTML page."""
    return JsonResponse(_error_body("not_found", _("Not found.")), status=404)


def json_server_error(request):
    return JsonResponse(_error_body("error", _("A server error occurred.")), status=500)
