"""Logins resist guessing on every way in; session logins need the CSRF token; clients past their
rate are told to wait; authenticated answers are never cached; the pages carry a CSP."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 5  # AXES_FAILURE_LIMIT


def _api_login(client, path, username, password):
    return client.post(path, {"username": username, "password": password}, format="json")


def _page_login(client, path, username, password):
    return client.post(path, {"username": username, "password": password})


WAYS_IN = [
    ("/api/auth/token/", _api_login, "json"),
    ("/api/auth/login/", _api_login, "json"),
    ("/login/", _page_login, "html"),
    ("/admin/login/", _page_login, "html"),
]


def _client(kind, language="en", address="10.0.0.1"):
    if kind == "json":
        return APIClient(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address)
    return Client(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address)


@pytest.mark.parametrize(("path", "login", "kind"), WAYS_IN)
def test_thirty_wrong_passwords_lock_the_user_out_even_with_the_right_one(
    path, login, kind, manager, administrator
):
    user = administrator if path.startswith("/admin/") else manager
    client = _client(kind)
    answers = [login(client, path, user.username, "wrong-password").status_code for _ in range(30)]

    assert all(status != 429 for status in answers[: LIMIT - 1]), answers
    assert all(status == 429 for status in answers[LIMIT:]), answers
    locked = login(client, path, user.username, PASSWORD)
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    if kind == "json":
        error = locked.json()["errors"][0]
        assert error["code"] == "locked_out"
        assert "Try again in 15 minutes" in error["detail"]
    else:
        assert "text/html" in locked["Content-Type"]
        assert "Try again in 15 minutes" in locked.content.decode()


def test_the_lockout_speaks_the_users_language(manager):
    client = _client("json", language="zh-hans")
    for _ in range(LIMIT):
        _api_login(client, "/api/auth/token/", manager.username, "wrong")
    detail = _api_login(client, "/api/auth/token/", manager.username, PASSWORD).json()["errors"][0]["detail"]
    assert "分钟" in detail


def test_a_lockout_ends_after_its_cool_off(manager):
    client = _client("json")
    for _ in range(LIMIT):
        _api_login(client, "/api/auth/token/", manager.username, "wrong")
    assert _api_login(client, "/api/auth/token/", manager.username, PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert _api_login(client, "/api/auth/token/", manager.username, PASSWORD).status_code == 201


def test_a_user_name_is_locked_whatever_the_address(manager):
    for attempt in range(LIMIT):
        _api_login(_client("json", address=f"10.0.1.{attempt}"), "/api/auth/token/", manager.username, "x")
    fresh_address = _client("json", address="10.0.2.1")
    assert _api_login(fresh_address, "/api/auth/token/", manager.username, PASSWORD).status_code == 429


def test_an_address_is_locked_whatever_the_user_name(manager, city_commissioner):
    client = _client("json", address="10.0.3.1")
    for attempt in range(LIMIT):
        _api_login(client, "/api/auth/token/", f"nobody-{attempt}", "x")
    assert _api_login(client, "/api/auth/token/", city_commissioner.username, PASSWORD).status_code == 429
    # Another address is not affected.
    other = _client("json", address="10.0.3.2")
    assert _api_login(other, "/api/auth/token/", city_commissioner.username, PASSWORD).status_code == 201


def test_a_success_before_the_limit_clears_the_count(manager):
    client = _client("json")
    for _ in range(LIMIT - 1):
        _api_login(client, "/api/auth/token/", manager.username, "wrong")
    assert _api_login(client, "/api/auth/token/", manager.username, PASSWORD).status_code == 201
    for _ in range(LIMIT - 1):
        _api_login(client, "/api/auth/token/", manager.username, "wrong")
    assert _api_login(client, "/api/auth/token/", manager.username, PASSWORD).status_code == 201


# --- CSRF on the session login ------------------------------------------------------------------


def test_a_session_login_without_the_csrf_token_is_refused(manager):
    client = APIClient(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    response = _api_login(client, "/api/auth/login/", manager.username, PASSWORD)
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "csrf_failed"
    assert "_auth_user_id" not in client.session


def test_a_session_login_with_the_csrf_token_from_the_cookie_works(manager):
    client = APIClient(enforce_csrf_checks=True)
    assert client.get("/api/auth/login/").status_code == 204
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/auth/login/",
        {"username": manager.username, "password": PASSWORD},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200, response.content
    assert client.get("/api/auth/me/").json()["username"] == manager.username


# --- Throttles ------------------------------------------------------------------------------------


@pytest.fixture
def low_rates(monkeypatch):
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "5/minute", "user": "8/minute", "login": "3/minute"}
    )
    yield
    cache.clear()


def test_an_anonymous_client_past_its_rate_is_told_to_wait(low_rates, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "login", "100/minute")
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    # Malformed logins: refused before any password is checked, so only the throttle counts them.
    answers = [client.post("/api/auth/token/", {}, format="json").status_code for _ in range(5)]
    assert answers == [400] * 5
    throttled = client.post("/api/auth/token/", {}, format="json")
    assert throttled.status_code == 429
    assert throttled.json()["errors"][0]["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0


def test_an_authenticated_client_past_its_rate_is_told_to_wait(low_rates, client_for, manager):
    client = client_for(manager)
    answers = [client.get("/api/measures/").status_code for _ in range(10)]
    assert answers[:8] == [200] * 8
    assert answers[8:] == [429, 429]


def test_logins_have_their_own_lower_rate(low_rates, manager):
    client = APIClient()
    answers = [
        _api_login(client, "/api/auth/token/", manager.username, PASSWORD).status_code for _ in range(4)
    ]
    assert answers == [201, 201, 201, 429]


def test_the_health_check_is_never_throttled(low_rates):
    client = APIClient()
    assert all(client.get("/api/health/").status_code in (200, 503) for _ in range(10))


# --- Headers --------------------------------------------------------------------------------------


def test_authenticated_api_answers_are_not_stored(client_for, manager):
    response = client_for(manager).get("/api/measures/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_pages_carry_a_content_security_policy():
    response = Client().get("/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_a_forwarded_for_header_sent_by_the_client_does_not_dodge_the_address_lockout(manager):
    for attempt in range(LIMIT):
        client = _client("json", address="10.0.4.1")
        client.post(
            "/api/auth/token/",
            {"username": f"nobody-{attempt}", "password": "x"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}",
        )
    client = _client("json", address="10.0.4.1")
    response = client.post(
        "/api/auth/token/",
        {"username": manager.username, "password": PASSWORD},
        format="json",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert response.status_code == 429
