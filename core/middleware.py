"""What every request passes through: the API's response headers, the change history's context."""

from django.utils.cache import patch_cache_control
from pghistory.middleware import HistoryMiddleware

from .changes import records_changes
from .errors import is_api_request


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
