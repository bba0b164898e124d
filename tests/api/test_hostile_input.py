"""The inputs that gave a 500 or were silently ignored: each answers a 4xx in the one error shape,
in the request's language, and writes nothing."""

import pytest

from cases.models import Case, CaseEvent
from centres.models import ContactRecord
from tests.factories import shanghai_measure

pytestmark = pytest.mark.django_db

# 400 levels of nesting in 800 bytes: Python's JSON parser recurses once per level.
DEEP = "[" * 400 + "]" * 400


def _error(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    body = response.json()
    assert body["errors"], body
    return body["errors"][0]


@pytest.mark.parametrize("path", ["/api/auth/token/", "/api/auth/login/"])
def test_deep_nesting_to_a_login_is_a_400(anonymous_client, path):
    error = _error(anonymous_client.post(path, DEEP, content_type="application/json"), 400)
    assert error["code"] == "parse_error"


def test_deep_nesting_when_logging_a_case_is_a_400_and_logs_nothing(client_for, xuhui_commissioner):
    response = client_for(xuhui_commissioner).post("/api/cases/", DEEP, content_type="application/json")
    assert _error(response, 400)["code"] == "parse_error"
    assert not Case.objects.exists()


def test_deep_nesting_inside_an_object_is_a_400(client_for, xuhui_commissioner, xuhui_centre):
    body = f'{{"centre": {xuhui_centre.pk}, "title": {DEEP}}}'
    response = client_for(xuhui_commissioner).post("/api/cases/", body, content_type="application/json")
    assert _error(response, 400)["code"] == "parse_error"


def test_deep_nesting_in_a_move_is_a_400_and_moves_nothing(client_for, science_staff, case_in_state):
    case = case_in_state("dispatched")
    events = case.events.count()
    response = client_for(science_staff).post(
        f"/api/cases/{case.pk}/return/", DEEP, content_type="application/json"
    )
    assert _error(response, 400)["code"] == "parse_error"
    assert Case.objects.get(pk=case.pk).state == "dispatched"
    assert CaseEvent.objects.filter(case=case).count() == events


def test_brackets_inside_strings_are_not_nesting(client_for, xuhui_commissioner, xuhui_centre):
    response = client_for(xuhui_commissioner).post(
        "/api/cases/",
        {
            "centre": xuhui_centre.pk,
            "measure": shanghai_measure(1).pk,
            "title": "[" * 150,
            "description": '{"[' * 300,
        },
        format="json",
    )
    assert response.status_code == 201, response.content


def test_a_body_over_the_limit_is_a_413(client_for, xuhui_commissioner, xuhui_centre):
    body = f'{{"centre": {xuhui_centre.pk}, "title": "{"x" * (3 * 1024 * 1024)}"}}'
    response = client_for(xuhui_commissioner).post("/api/cases/", body, content_type="application/json")
    assert _error(response, 413)["code"] == "request_too_large"
    assert not Case.objects.exists()


def test_a_login_body_over_the_limit_is_a_413(anonymous_client):
    body = f'{{"username": "{"x" * (3 * 1024 * 1024)}", "password": "x"}}'
    response = anonymous_client.post("/api/auth/token/", body, content_type="application/json")
    assert _error(response, 413)["code"] == "request_too_large"


@pytest.mark.parametrize(
    "name",
    ["created_before", "answered_before", "callback_before", "closed_before", "due_before"],
)
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_day_filters_at_the_ends_of_the_calendar(client_for, city_commissioner, name, day):
    response = client_for(city_commissioner).get(f"/api/cases/?{name}={day}")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("name", ["created_after", "answered_after", "callback_after", "closed_after"])
def test_after_filters_at_the_ends_of_the_calendar(client_for, city_commissioner, name):
    for day in ("0001-01-01", "9999-12-31"):
        assert client_for(city_commissioner).get(f"/api/cases/?{name}={day}").status_code == 200


@pytest.mark.parametrize(
    "query",
    ["from=0000-01", "from=9999-12&to=9999-12", "to=0000-12", "from=0001-01&to=0001-02", "from=10000-01"],
)
def test_dashboard_periods_at_the_ends_of_the_calendar_are_a_400(client_for, manager, query):
    response = client_for(manager).get(f"/api/dashboard/cases/?{query}")
    assert _error(response, 400)["attr"] in ("from", "to")


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/cases/", "overdue"),
        ("/api/cases/", "confidential"),
        ("/api/cases/", "supervised"),
        ("/api/cases/", "resolved"),
        ("/api/follow-ups/", "open"),
        ("/api/follow-ups/", "overdue"),
        ("/api/follow-ups/", "mine"),
        ("/api/centres/", "in_free_trade_zone"),
        ("/api/assessments/", "overdue"),
        ("/api/notifications/", "unread"),
    ],
)
@pytest.mark.parametrize("value", ["maybe", "yes", "1", "perhaps", ""])
def test_a_boolean_filter_takes_true_or_false_only(client_for, city_commissioner, path, name, value):
    response = client_for(city_commissioner).get(f"{path}?{name}={value}")
    if value == "":
        # An empty parameter is no filter, as for every other filter.
        assert response.status_code == 200
        return
    assert _error(response, 400)["attr"] == name


@pytest.mark.parametrize("value", ["true", "false", "True", "FALSE"])
def test_a_boolean_filter_takes_true_and_false(client_for, city_commissioner, value):
    assert client_for(city_commissioner).get(f"/api/cases/?overdue={value}").status_code == 200


@pytest.mark.parametrize("path", ["/api/cases/", "/api/centres/", "/api/measures/", "/api/follow-ups/"])
def test_an_unknown_ordering_is_a_400(client_for, city_commissioner, path):
    response = client_for(city_commissioner).get(f"{path}?ordering=password")
    assert _error(response, 400)["attr"] == "ordering"


def test_a_known_ordering_still_orders(client_for, city_commissioner):
    assert client_for(city_commissioner).get("/api/centres/?ordering=-name_en").status_code == 200


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31"])
def test_a_contact_in_the_distant_past_is_refused(client_for, xuhui_commissioner, xuhui_centre, day):
    response = client_for(xuhui_commissioner).post(
        "/api/contact-records/",
        {
            "centre": xuhui_centre.pk,
            "kind": "visit",
            "contacted_on": day,
            "participants": "p",
            "summary": "s",
        },
        format="json",
    )
    assert _error(response, 400)["attr"] == "contacted_on"
    assert not ContactRecord.objects.exists()


@pytest.mark.parametrize("value", [str(2**63), str(-(2**63) - 1), "1e309", "NaN"])
def test_huge_numbers_in_filters_are_no_500(client_for, city_commissioner, value):
    for path in ("/api/cases/?centre=", "/api/cases/?measure=", "/api/centres/?min_full_time_rd_staff="):
        assert client_for(city_commissioner).get(path + value).status_code in (200, 400)


@pytest.mark.parametrize("value", [str(2**63), "-1", "0"])
def test_huge_ids_in_paths_are_a_404(client_for, city_commissioner, value):
    for path in ("/api/cases/{}/", "/api/centres/{}/", "/api/measures/{}/", "/api/assessments/{}/"):
        assert client_for(city_commissioner).get(path.format(value)).status_code == 404


# --- In the request's language ------------------------------------------------------------------


def test_a_json_parse_error_speaks_chinese(client_for, xuhui_commissioner):
    response = client_for(xuhui_commissioner, language="zh-hans").post(
        "/api/cases/", "{not json", content_type="application/json"
    )
    error = _error(response, 400)
    assert error["code"] == "parse_error"
    assert "JSON" in error["detail"] and "parse error" not in error["detail"]


def test_no_data_provided_speaks_chinese(client_for, xuhui_commissioner, case_in_state):
    case = case_in_state("submitted")
    response = client_for(xuhui_commissioner, language="zh-hans").post(
        f"/api/cases/{case.pk}/withdraw/", "null", content_type="application/json"
    )
    error = _error(response, 400)
    assert "No data provided" not in error["detail"]
    assert error["detail"] == "未提供数据。"


def test_the_500_body_speaks_chinese(xuhui_commissioner, monkeypatch):
    from knox.models import AuthToken
    from rest_framework.test import APIClient

    from cases.api import case_views

    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(case_views.selectors, "case_list_visible_to", broken)
    _, token = AuthToken.objects.create(xuhui_commissioner)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans", raise_request_exception=False)
    response = client.get("/api/cases/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 500
    detail = response.json()["errors"][0]["detail"]
    assert "server error" not in detail.lower()
    assert "服务器" in detail


def test_a_case_title_is_not_a_job_title_in_chinese():
    from django.utils import translation

    from centres.models import ContactPerson

    with translation.override("zh-hans"):
        case_title = str(Case._meta.get_field("title").verbose_name)
        job_title = str(ContactPerson._meta.get_field("title").verbose_name)
    assert case_title != job_title
    assert case_title == "标题"
    assert job_title == "职务"


def test_a_body_over_the_limit_is_a_413_before_its_type_is_looked_at(
    client_for, xuhui_commissioner, xuhui_centre
):
    """The attachment upload takes multipart alone: an oversized JSON body is still a 413, not a 415."""
    case = Case.objects.create(
        centre=xuhui_centre,
        district=xuhui_centre.district,
        measure=shanghai_measure(1),
        title="Samples held at customs",
        description="Three shipments waiting.",
        created_by=xuhui_commissioner,
    )
    body = f'{{"file": "{"x" * (3 * 1024 * 1024)}"}}'
    client = client_for(xuhui_commissioner)
    response = client.post(f"/api/cases/{case.pk}/attachments/", body, content_type="application/json")
    assert _error(response, 413)["code"] == "request_too_large"
    small = client.post(
        f"/api/cases/{case.pk}/attachments/", '{"file": "x"}', content_type="application/json"
    )
    assert small.status_code == 415
    assert not case.attachments.exists()
