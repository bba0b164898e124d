"""No silent overwrite: a row's version is its `updated_at`, sent as the detail's `ETag`; a change
sent with `If-Match` is made only if the row is still at that version, checked under the row's lock
(a 412 with the current version otherwise)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException

CHANGED_SINCE_READ = _(
    "It was changed since you read it (now at version %(current)s); reload it and make your change again."
)

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="The `ETag` of the version the change was made on; a 412 if it has changed since.",
)


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"

    def __init__(self, current: str):
        self.current = current
        super().__init__(CHANGED_SINCE_READ % {"current": current})


def version_of(row: models.Model) -> str:
    """The row's version as a strong entity tag: its id and the microsecond it was last saved."""
    return f'"{row.pk}-{int(row.updated_at.timestamp() * 1_000_000)}"'


def expected_version(request) -> str | None:
    """The version a request's `If-Match` names; None when it names none (or `*`: any version)."""
    header = (request.headers.get("If-Match") or "").strip()
    if not header or header == "*":
        return None
    return header.split(",")[0].strip().removeprefix("W/")


def check_version(row: models.Model, expected: str | None) -> None:
    """Raises 412 if the (locked) row is no longer at the version the change was made on."""
    if expected is not None and expected != version_of(row):
        raise PreconditionFailed(version_of(row))


def with_version(response, row: models.Model):
    response["ETag"] = version_of(row)
    return response
