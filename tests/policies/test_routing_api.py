"""The routing preview: which bureaus a case of a measure for a centre goes to."""

import pytest

from policies.models import Measure

pytestmark = pytest.mark.django_db


def _measure(number: int) -> Measure:
    return Measure.objects.get(programme=Measure.Programme.SHANGHAI_2024, number=number)


def test_measure_lists_its_responsible_units_lead_first(client_for, manager):
    response = client_for(manager).get(f"/api/measures/{_measure(9).id}/")

    units = response.json()["responsible_units"]
    assert [(unit["is_lead"], unit["bureau"] and unit["bureau"]["code"]) for unit in units] == [
        (True, "sh-commerce"),
        (False, None),
    ]
    assert units[1]["is_centre_district_government"] is True


def test_routing_resolves_the_district_government_for_the_centre(
    client_for, xuhui_commissioner, xuhui_centre
):
    response = client_for(xuhui_commissioner).get(
        f"/api/measures/{_measure(9).id}/routing/", {"centre": xuhui_centre.id}
    )

    assert response.status_code == 200
    assert [(row["bureau"]["code"], row["is_lead"]) for row in response.json()] == [
        ("sh-commerce", True),
        ("xuhui-government", False),
    ]


def test_routing_for_a_centre_the_user_cannot_see_is_not_found(client_for, xuhui_commissioner, pudong_centre):
    response = client_for(xuhui_commissioner).get(
        f"/api/measures/{_measure(9).id}/routing/", {"centre": pudong_centre.id}
    )

    assert response.status_code == 404


def test_routing_needs_a_centre(client_for, city_commissioner):
    response = client_for(city_commissioner).get(f"/api/measures/{_measure(1).id}/routing/")

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "centre"


def test_measures_filter_by_programme_and_speak_the_request_language(client_for, city_commissioner):
    client = client_for(city_commissioner, language="zh-hans")

    national = client.get("/api/measures/", {"programme": "national_2023", "page_size": 50}).json()

    assert national["count"] == 16
    assert national["results"][0]["title"] == national["results"][0]["title_zh"]
