"""Bad input to the case API: a 4xx naming the problem, and nothing half-written."""

import pytest

from cases.models import Assignment, Case, CaseEvent, CaseState
from policies.models import Measure, Programme
from tests.factories import shanghai_measure

pytestmark = pytest.mark.django_db


def _errors(response, status=400) -> dict[str, str]:
    assert response.status_code == status, response.content
    return {error["attr"]: error["detail"] for error in response.json()["errors"]}


def _unchanged(case: Case, events_before: int) -> None:
    stored = Case.objects.get(pk=case.pk)
    assert stored.state == case.state
    assert stored.events.count() == events_before


def test_log_a_case_for_a_centre_of_another_district(client_for, xuhui_commissioner, pudong_centre):
    response = client_for(xuhui_commissioner).post(
        "/api/cases/",
        {"centre": pudong_centre.id, "measure": shanghai_measure(1).id, "title": "t", "description": "d"},
        format="json",
    )

    assert _errors(response) == {"centre": "You can only log cases for centres of your own district."}
    assert not Case.objects.exists()


def test_log_a_case_under_a_national_measure(client_for, xuhui_commissioner, xuhui_centre):
    national = Measure.objects.get(programme=Programme.NATIONAL_2023, number=1)

    response = client_for(xuhui_commissioner).post(
        "/api/cases/",
        {"centre": xuhui_centre.id, "measure": national.id, "title": "t", "description": "d"},
        format="json",
    )

    assert _errors(response) == {"measure": "Cases are classified under a measure of the Shanghai 2024 plan."}
    assert not Case.objects.exists()


def test_only_district_commissioners_log_cases(client_for, city_commissioner, xuhui_centre):
    response = client_for(city_commissioner).post(
        "/api/cases/",
        {"centre": xuhui_centre.id, "measure": shanghai_measure(1).id, "title": "t", "description": "d"},
        format="json",
    )

    assert response.status_code == 403
    assert not Case.objects.exists()


def test_dispatch_to_an_unknown_bureau(client_for, city_commissioner, submitted_case):
    response = client_for(city_commissioner).post(
        f"/api/cases/{submitted_case.id}/dispatch/", {"lead_bureau": "ministry-of-magic"}, format="json"
    )

    assert "lead_bureau" in _errors(response)
    _unchanged(submitted_case, 0)
    assert not Assignment.objects.exists()


def test_dispatch_away_from_the_routing_needs_a_reason(client_for, city_commissioner, submitted_case):
    response = client_for(city_commissioner).post(
        f"/api/cases/{submitted_case.id}/dispatch/", {"lead_bureau": "sh-tax"}, format="json"
    )

    assert _errors(response) == {
        "override_reason": "The bureaus differ from the measure's routing; give a reason for the change."
    }
    _unchanged(submitted_case, 0)
    assert not Assignment.objects.exists()


def test_dispatch_under_a_measure_of_the_wrong_programme(client_for, city_commissioner, submitted_case):
    national = Measure.objects.get(programme=Programme.NATIONAL_2023, number=2)

    response = client_for(city_commissioner).post(
        f"/api/cases/{submitted_case.id}/dispatch/",
        {"lead_bureau": "sh-science-technology", "measure": national.id, "override_reason": "x"},
        format="json",
    )

    assert "measure" in _errors(response)
    _unchanged(submitted_case, 0)


def test_dispatch_to_a_national_department(client_for, city_commissioner, submitted_case):
    response = client_for(city_commissioner).post(
        f"/api/cases/{submitted_case.id}/dispatch/",
        {"lead_bureau": "most", "override_reason": "x"},
        format="json",
    )

    assert _errors(response) == {
        "lead_bureau": "Cases are dispatched to city bureaus or district governments."
    }


def test_measure_9_dispatch_proposes_the_centres_own_district_government(
    client_for, city_commissioner, xuhui_commissioner, xuhui_centre
):
    case = client_for(xuhui_commissioner).post(
        "/api/cases/",
        {"centre": xuhui_centre.id, "measure": shanghai_measure(9).id, "title": "t", "description": "d"},
        format="json",
    )
    case_id = case.json()["id"]

    response = client_for(city_commissioner).post(
        f"/api/cases/{case_id}/dispatch/",
        {"lead_bureau": "sh-commerce", "co_bureaus": ["xuhui-government"]},
        format="json",
    )

    assert response.status_code == 200, response.content  # no override reason needed


@pytest.mark.parametrize(
    ("move", "body", "field"),
    [
        ("return", {"reason": ""}, "reason"),
        ("return", {}, "reason"),
    ],
)
def test_return_without_a_reason(move, body, field, client_for, science_staff, case_in_state):
    case = case_in_state(CaseState.DISPATCHED)

    response = client_for(science_staff).post(f"/api/cases/{case.id}/{move}/", body, format="json")

    assert field in _errors(response)
    _unchanged(case, 0)
    assert case.assignments.filter(is_current=True).count() == 2


@pytest.mark.parametrize(
    ("body", "missing"),
    [
        ({}, {"resolved", "satisfaction"}),
        ({"resolved": None, "satisfaction": ""}, {"resolved", "satisfaction"}),
        ({"resolved": True, "satisfaction": ""}, {"satisfaction"}),
        ({"satisfaction": "satisfied"}, {"resolved"}),
    ],
)
def test_an_empty_call_back(body, missing, client_for, xuhui_commissioner, case_in_state):
    from cases.services.scheduling import open_callback_follow_ups

    case = case_in_state(CaseState.ANSWERED)
    open_callback_follow_ups(case_ids=[case.pk])

    response = client_for(xuhui_commissioner).post(f"/api/cases/{case.id}/callback/", body, format="json")

    assert set(_errors(response)) == missing
    _unchanged(case, 0)
    assert case.follow_ups.get().closed_at is None  # the call-back is still due


def test_refer_up_to_a_city_bureau(client_for, city_commissioner, case_in_state):
    case = case_in_state(CaseState.IN_PROGRESS)

    response = client_for(city_commissioner).post(
        f"/api/cases/{case.id}/refer-up/", {"department": "sh-commerce", "note": "x"}, format="json"
    )

    assert _errors(response) == {
        "department": "Refer cases to a national department named by the national measures."
    }
    _unchanged(case, 0)


def test_errors_in_chinese(client_for, science_staff, case_in_state):
    case = case_in_state(CaseState.DISPATCHED)

    response = client_for(science_staff, language="zh-hans").post(
        f"/api/cases/{case.id}/return/", {"reason": ""}, format="json"
    )

    assert _errors(response) == {"reason": "请说明理由。"}


def test_wrong_state_is_a_409_with_a_message(client_for, science_staff, case_in_state):
    case = case_in_state(CaseState.ANSWERED)

    response = client_for(science_staff).post(f"/api/cases/{case.id}/accept/")

    assert response.status_code == 409
    assert (
        response.json()["errors"][0]["detail"] == "A case that is answered cannot be moved this way (accept)."
    )
    assert CaseEvent.objects.filter(case=case).count() == 0


@pytest.mark.parametrize(
    "named", ["abc", "0", "-1", "1.5", "9223372036854775807", "99999999999999999999", "1e3", "%20"]
)
def test_a_url_naming_no_case_is_a_404_for_the_detail_and_a_move(
    client_for, city_commissioner, science_staff, case_in_state, named
):
    case = case_in_state(CaseState.DISPATCHED)
    events_before = case.events.count()

    detail = client_for(city_commissioner).get(f"/api/cases/{named}/")
    accept = client_for(science_staff).post(f"/api/cases/{named}/accept/", {}, format="json")

    for response in (detail, accept):
        assert response.status_code == 404, response.content
        assert response.json()["errors"][0]["code"] == "not_found"
    _unchanged(case, events_before)
