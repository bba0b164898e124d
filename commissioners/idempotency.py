"""No duplicate from a retry: a write sent with an `Idempotency-Key` header is made once. The same
key from the same user within a day gets the first answer again (with `Idempotent-Replayed: true`)
and changes nothing; the same key with another request is a 422. Two requests with one key at the
same moment: the second waits for the first (the key's row lock) and gets its answer."""

import hashlib
from datetime import timedelta
from functools import wraps

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from .models import IdempotentRequest

HEADER = "Idempotency-Key"
KEPT_FOR = timedelta(days=1)
KEY_TOO_LONG = _("An Idempotency-Key is at most 255 characters.")
KEY_REUSED = _("This Idempotency-Key was used for another request; use a new key for a new request.")

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    description="A key of the client's choosing: a retry with the same key within a day gets the first "
    "answer again and changes nothing.",
)


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = KEY_REUSED


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.body or b""):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


def _replay(record: IdempotentRequest) -> Response:
    response = Response(record.response_body, status=record.status_code)
    response["Idempotent-Replayed"] = "true"
    if record.etag:
        response["ETag"] = record.etag
    return response


def idempotent(view_method):
    """For a DRF view method that writes: honours the request's Idempotency-Key (none: as before)."""

    @wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return view_method(self, request, *args, **kwargs)
        if len(key) > 255:
            raise ValidationError({HEADER: [KEY_TOO_LONG]})
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            IdempotentRequest.objects.filter(
                user=request.user, key=key, created_at__lt=timezone.now() - KEPT_FOR
            ).delete()
            record, created = IdempotentRequest.objects.select_for_update().get_or_create(
                user=request.user,
                key=key,
                defaults={"method": request.method, "path": request.path[:500], "fingerprint": fingerprint},
            )
            if not created:
                if record.fingerprint != fingerprint:
                    raise KeyReused()
                if record.status_code is not None:
                    return _replay(record)
            # The key's row stays locked until this request's transaction ends: a retry waits here.
            response = view_method(self, request, *args, **kwargs)
            if status.is_success(response.status_code):
                record.status_code = response.status_code
                record.response_body = response.data
                record.etag = response.get("ETag", "")
                record.save(update_fields=["status_code", "response_body", "etag"])
            else:
                # A refusal changed nothing: the client may correct it and send it again, same key.
                record.delete()
            return response

    return wrapper
