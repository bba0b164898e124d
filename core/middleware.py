"""Response headers the API adds for every client."""

from django.utils.cache import patch_cache_control

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
