"""What every request passes through: the API's response headers, the change history's context and
the log lines' context."""

import re
import time

import structlog
from django.utils.cache import patch_cache_control
from django_structlog.middlewares import RequestMiddleware
from pghistory.middleware import HistoryMiddleware

from .changes import records_changes
from .errors import is_api_request
from .logs import MASK, current_request, is_secret_key


class NoStoreForAuthenticatedAPI:
    """An authenticated API answer is someone's own data: no browser or proxy may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if is_api_request(request) and user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class ChangeContext(HistoryMiddleware):
    """Every write of a request is recorded in the change history (`core.changes`) with the request's
    user and address; on the embedded SQLite of a demo, which keeps no change history, it steps aside."""

    def __call__(self, request):
        if not records_changes():
            return self.get_response(request)
        return super().__call__(request)


class RequestLog(RequestMiddleware):
    """django-structlog's request lines, with a secret-named query parameter masked (a token in a
    link must not reach the log store) and the time the answer took."""

    @staticmethod
    def format_request(request) -> str:
        if not request.GET:
            return f"{request.method} {request.path}"
        query = request.GET.copy()
        for key in query:
            if is_secret_key(key):
                query.setlist(key, [MASK])
        return f"{request.method} {request.path}?{query.urlencode(safe='[]')}"


def add_request_duration(*, request, log_kwargs: dict, **_) -> None:
    started = getattr(request, "_log_started", None)
    if started is not None:
        log_kwargs["duration_ms"] = round((time.monotonic() - started) * 1000, 1)


# A case's own pages and API paths: /cases/12/..., /api/cases/12/...
_CASE_PATH = re.compile(r"^/(?:api/)?cases/(\d+)/")


class RequestLogContext:
    """After django-structlog's middleware: every line of the request names the case it is about and
    the user the API found in the token; the answer names the request id, for a user to quote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._log_started = time.monotonic()
        token = current_request.set(request)
        if match := _CASE_PATH.match(request.path_info):
            structlog.contextvars.bind_contextvars(case_id=int(match[1]))
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        request_id = structlog.contextvars.get_contextvars().get("request_id")
        if request_id:
            response["X-Request-ID"] = request_id
        return response
