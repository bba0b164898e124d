"""Token authentication (django-rest-knox) in one query per request."""

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions

from core.compiled import Statement

INVALID_TOKEN = _("Invalid token.")

# Every API request looks its token up: compiled once (`core.compiled`), not on each request.
_TOKENS_OF_KEY = Statement(
    lambda *, token_key: AuthToken.objects.filter(token_key=token_key).select_related("user"),
    texts=("token_key",),
)


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token authentication without its sweep of the user's other tokens on every request
    (a second query reading all of them): the token is looked up by its key with its user, an
    expired one is deleted and refused as knox does, and the user's other expired tokens are
    removed when they log in again (`delete_expired_tokens`), not on each request."""

    def authenticate_credentials(self, token: bytes):
        token_text = token.decode("utf-8")
        candidates = _TOKENS_OF_KEY.rows(None, token_key=token_text[: CONSTANTS.TOKEN_KEY_LENGTH])
        for auth_token in candidates:
            try:
                digest = hash_token(token_text)
            except (TypeError, binascii.Error) as error:
                raise exceptions.AuthenticationFailed(INVALID_TOKEN) from error
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                username = auth_token.user.get_username()
                auth_token.delete()
                token_expired.send(sender=self.__class__, username=username, source="auth_token")
                break
            if knox_settings.AUTO_REFRESH and auth_token.expiry:
                self.renew_token(auth_token)
            return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(INVALID_TOKEN)


def delete_expired_tokens(*, user) -> int:
    """Removes the user's expired tokens (knox swept them on each request); returns how many."""
    deleted, _by_model = AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    return deleted


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI schema names this class's scheme as it named knox's."""

    target_class = "commissioners.authentication.TokenAuthentication"
