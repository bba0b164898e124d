"""Deny by default; session login for browsers, expiring tokens for API clients."""

import re

import pytest
from django.urls import get_resolver
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PROTECTED = [
    "/api/districts/",
    "/api/bureaus/",
    "/api/measures/",
    "/api/research-fields/",
    "/api/centres/",
    "/api/auth/me/",
]
PUBLIC = {
    "/api/auth/login/",
    "/api/auth/token/",
    "/api/health/",
    "/api/health/ready/",
    "/api/health/live/",
    "/api/schema/",
    "/api/docs/",
}


@pytest.mark.parametrize("path", PROTECTED)
def test_anonymous_request_is_refused(anonymous_client, path):
    response = anonymous_client.get(path)

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"


def test_every_api_route_but_the_public_ones_is_protected(anonymous_client, xuhui_centre):
    """A new route must be listed as public on purpose, or it answers 401 to strangers."""
    api_routes = {
        "/api/" + str(pattern.pattern)
        for pattern in get_resolver().url_patterns
        if str(pattern.pattern) == "api/"
        for pattern in pattern.url_patterns
    }
    assert api_routes >= PUBLIC
    for route in api_routes - PUBLIC - {"/api/"}:
        # A route with a path parameter is asked for with a sample value in its place.
        path = re.sub(r"<int:\w+>", str(xuhui_centre.pk), route)
        assert anonymous_client.get(path).status_code in (401, 405), route


def test_token_login_returns_a_working_token(anonymous_client, xuhui_commissioner):
    response = anonymous_client.post(
        "/api/auth/token/", {"username": "xuhui", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 201
    token = response.json()["token"]
    assert response.json()["user"]["role"] == "district_commissioner"
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/auth/me/").json()
    assert me["username"] == "xuhui" and me["district"] == "xuhui"


def test_token_is_stored_hashed(anonymous_client, xuhui_commissioner):
    response = anonymous_client.post(
        "/api/auth/token/", {"username": "xuhui", "password": PASSWORD}, format="json"
    )

    token = response.json()["token"]
    stored = AuthToken.objects.get(user=xuhui_commissioner)
    assert stored.digest != token and token not in stored.digest
    assert stored.expiry is not None


def test_wrong_password_is_a_clear_error(anonymous_client, xuhui_commissioner):
    response = anonymous_client.post(
        "/api/auth/token/", {"username": "xuhui", "password": "nope"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["detail"] == "The username or password is not correct."
    assert not AuthToken.objects.exists()


def test_token_logout_revokes_the_token(client_for, xuhui_commissioner):
    client = client_for(xuhui_commissioner)

    assert client.post("/api/auth/token/logout/").status_code == 204
    assert client.get("/api/auth/me/").status_code == 401


def test_session_login_then_csrf_protected_writes(xuhui_commissioner, xuhui_centre):
    client = APIClient(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")

    # The login itself needs the token (no other site may log a browser in): GET sets the cookie.
    client.get("/api/auth/login/")
    login = client.post(
        "/api/auth/login/",
        {"username": "xuhui", "password": PASSWORD},
        format="json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert login.status_code == 200
    assert client.get("/api/centres/").status_code == 200

    without_csrf = client.patch(f"/api/centres/{xuhui_centre.id}/", {"total_staff": 70}, format="json")
    assert without_csrf.status_code == 403

    csrf = client.cookies["csrftoken"].value
    with_csrf = client.patch(
        f"/api/centres/{xuhui_centre.id}/", {"total_staff": 70}, format="json", HTTP_X_CSRFTOKEN=csrf
    )
    assert with_csrf.status_code == 200
    assert with_csrf.json()["total_staff"] == 70


def test_inactive_user_cannot_log_in(anonymous_client, xuhui_commissioner):
    xuhui_commissioner.is_active = False
    xuhui_commissioner.save()

    response = anonymous_client.post(
        "/api/auth/token/", {"username": "xuhui", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 400


def test_unknown_api_url_answers_json_404(client_for, city_commissioner):
    response = client_for(city_commissioner).get("/api/centres/not-a-number/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["code"] == "not_found"


def test_every_operation_in_the_schema_refuses_strangers(anonymous_client, xuhui_centre):
    """Deny by default: any documented operation but the public ones answers 401 to an anonymous caller."""
    import yaml

    schema = yaml.safe_load(anonymous_client.get("/api/schema/").content)
    checked = 0
    for path, operations in schema["paths"].items():
        if path in PUBLIC:
            continue
        url = (
            path.replace("{id}", str(xuhui_centre.id))
            .replace("{attachment_id}", "1")
            .replace("{material_id}", "1")
            .replace("{question_id}", "1")
            .replace("{file_type}", "csv")
            .replace("{table}", "bureaus")
        )
        for method in operations:
            if method not in ("get", "post", "patch", "put", "delete"):
                continue
            response = getattr(anonymous_client, method)(url, {}, format="json")
            assert response.status_code == 401, (method, path, response.status_code)
            checked += 1
    assert checked > 40
