"""One error shape for the whole API (drf-standardized-errors), fed by domain errors."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.defaults import page_not_found as django_page_not_found
from django.views.defaults import server_error as django_server_error
from drf_standardized_errors.handler import ExceptionHandler
from psycopg import errors as database_errors
from rest_framework import exceptions, status
from rest_framework.settings import api_settings

from .parsers import RequestTooLarge


class Conflict(exceptions.APIException):
    """The request is valid but the object is not in a state that allows it."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


# Messages of DRF that reach clients but that DRF never marks for translation.
UNTRANSLATED_BY_DRF = {"No data provided": _("No data provided.")}


def _translated(detail):
    """DRF's error details with the messages it leaves in English put in the request's language."""
    if isinstance(detail, list):
        return [_translated(item) for item in detail]
    if isinstance(detail, dict):
        return {key: _translated(item) for key, item in detail.items()}
    if isinstance(detail, exceptions.ErrorDetail) and str(detail) in UNTRANSLATED_BY_DRF:
        return exceptions.ErrorDetail(str(UNTRANSLATED_BY_DRF[str(detail)]), code=detail.code)
    return detail


SERVER_ERROR = _("A server error occurred.")


class DomainExceptionHandler(ExceptionHandler):
    """Maps the errors services raise to API errors.

    Services raise Django's ValidationError with a field -> message mapping, so the
    response names the field and the reason in the request's language.
    """

    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, RequestDataTooBig):
            return RequestTooLarge()
        if isinstance(exc, exceptions.ValidationError):
            exc.detail = _translated(exc.detail)
            return exc
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

    def run(self):
        response = super().run()
        current = getattr(self.exc, "current", None)
        if response is not None and current:
            # A 412 tells the client the version there is now.
            response["ETag"] = current
        return response

    def convert_unhandled_exceptions(self, exc: Exception) -> exceptions.APIException:
        # The library's generic message is English only; this one is in the request's language and
        # tells as little (no detail of the failure reaches the client).
        if not isinstance(exc, exceptions.APIException):
            return exceptions.APIException(detail=str(SERVER_ERROR))
        return exc


def known_error(exc: Exception) -> exceptions.APIException | None:
    """What the API answers for an error a service raised (a 4xx with its message), for the pages to
    show the same words; None for an error that is a bug."""
    converted = DomainExceptionHandler(exc, {}).convert_known_exceptions(exc)
    if isinstance(converted, exceptions.APIException) and converted.status_code < 500:
        return converted
    return None


def field_errors(error: exceptions.APIException) -> dict:
    """A known error's detail by field, for a form to show each message by its input: an error of
    no field under `non_field_errors`, as DRF names it."""
    return error.detail if isinstance(error.detail, dict) else {"non_field_errors": error.detail}


def error_messages(detail) -> list[str]:
    """An API error's messages, whatever the shape of its detail (a text, a list, a field mapping)."""
    if detail is None:
        return []
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in error_messages(value)]
    if isinstance(detail, list | tuple):
        return [message for value in detail for message in error_messages(value)]
    return [str(detail)]


def is_api_request(request) -> bool:
    """The API answers in JSON (its error shape); the pages answer with pages."""
    return request.path.startswith("/api/")


def error_body(code: str, detail: str) -> dict:
    """The API's one error shape, for answers made outside DRF's exception handler."""
    return {
        "type": "client_error" if code != "error" else "server_error",
        "errors": [{"code": code, "detail": detail, "attr": None}],
    }


def not_found(request, exception=None):
    """The API's unknown URLs answer in its error shape; the pages with the 404 page."""
    if is_api_request(request):
        return JsonResponse(error_body("not_found", _("Not found.")), status=404)
    return django_page_not_found(request, exception)


def server_error(request):
    if is_api_request(request):
        return JsonResponse(error_body("error", str(SERVER_ERROR)), status=500)
    return django_server_error(request)


CSRF_FAILED = _(
    "The request has no valid CSRF token. Send the csrftoken cookie's value in the X-CSRFToken header."
)


def csrf_failure(request, reason=""):
    """A CSRF refusal in the API's error shape for the API; Django's page for the pages."""
    if is_api_request(request):
        return JsonResponse(error_body("csrf_failed", str(CSRF_FAILED)), status=403)
    return django_csrf_failure(request, reason=reason)
