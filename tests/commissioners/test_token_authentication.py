"""Token authentication reads one row a request; expired tokens are refused and removed."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import PASSWORD


def _client(token: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en")


def test_a_request_authenticates_in_one_query(xuhui_commissioner):
    _, token = AuthToken.objects.create(xuhui_commissioner)
    for _ in range(3):  # other tokens of the same user are not read
        AuthToken.objects.create(xuhui_commissioner)

    with CaptureQueriesContext(connection) as queries:
        response = _client(token).get("/api/auth/me/")

    assert response.status_code == 200
    assert sum("knox_authtoken" in query["sql"] for query in queries.captured_queries) == 1


def test_an_expired_token_is_refused_and_deleted(xuhui_commissioner):
    instance, token = AuthToken.objects.create(xuhui_commissioner, expiry=timedelta(hours=1))
    AuthToken.objects.filter(pk=instance.pk).update(expiry=timezone.now() - timedelta(seconds=1))

    response = _client(token).get("/api/auth/me/")

    assert response.status_code == 401
    assert not AuthToken.objects.filter(pk=instance.pk).exists()


def test_a_wrong_token_with_a_known_key_is_refused(xuhui_commissioner):
    _, token = AuthToken.objects.create(xuhui_commissioner)
    forged = token[:15] + ("0" if token[15] != "0" else "1") + token[16:]

    assert _client(forged).get("/api/auth/me/").status_code == 401
    assert _client(token).get("/api/auth/me/").status_code == 200


def test_logging_in_removes_the_users_expired_tokens(anonymous_client, xuhui_commissioner, city_commissioner):
    expired, _ = AuthToken.objects.create(xuhui_commissioner, expiry=timedelta(hours=1))
    valid, valid_token = AuthToken.objects.create(xuhui_commissioner, expiry=timedelta(hours=1))
    others, _ = AuthToken.objects.create(city_commissioner, expiry=timedelta(hours=1))
    AuthToken.objects.filter(pk__in=[expired.pk, others.pk]).update(
        expiry=timezone.now() - timedelta(seconds=1)
    )

    response = anonymous_client.post(
        "/api/auth/token/", {"username": "xuhui", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 201
    assert not AuthToken.objects.filter(pk=expired.pk).exists()
    assert AuthToken.objects.filter(pk__in=[valid.pk, others.pk]).count() == 2
    assert _client(valid_token).get("/api/auth/me/").status_code == 200
