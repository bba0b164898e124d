"""Who sees which centre."""

import pytest

from commissioners.models import Role

pytestmark = pytest.mark.django_db


def _listed_ids(client) -> set[int]:
    response = client.get("/api/centres/", {"page_size": 200})
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_district_commissioner_sees_only_their_own_district(
    client_for, xuhui_commissioner, xuhui_centre, pudong_centre
):
    client = client_for(xuhui_commissioner)

    assert _listed_ids(client) == {xuhui_centre.id}
    assert client.get(f"/api/centres/{xuhui_centre.id}/").status_code == 200


def test_another_districts_centre_is_not_found(client_for, xuhui_commissioner, pudong_centre):
    response = client_for(xuhui_commissioner).get(f"/api/centres/{pudong_centre.id}/")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


@pytest.mark.parametrize("role", [Role.CITY_COMMISSIONER, Role.MANAGER, Role.ADMINISTRATOR])
def test_city_roles_see_every_centre(role, users_by_role, client_for, xuhui_centre, pudong_centre):
    client = client_for(users_by_role[role])

    assert _listed_ids(client) == {xuhui_centre.id, pudong_centre.id}
    assert client.get(f"/api/centres/{pudong_centre.id}/").status_code == 200


def test_bureau_staff_see_no_centre_without_a_case_routed_to_them(client_for, bureau_staff, xuhui_centre):
    client = client_for(bureau_staff)

    assert _listed_ids(client) == set()
    assert client.get(f"/api/centres/{xuhui_centre.id}/").status_code == 404


def test_a_case_routed_to_the_bureau_grants_sight_of_its_centre(
    client_for, bureau_staff, xuhui_centre, pudong_centre, xuhui_commissioner
):
    from cases.models import Assignment, Case
    from policies.models import Measure

    case = Case.objects.create(
        centre=xuhui_centre,
        district=xuhui_centre.district,
        measure=Measure.objects.get(programme="shanghai_2024", number=9),
        title="t",
        description="d",
        created_by=xuhui_commissioner,
        state="dispatched",
        lead_bureau=bureau_staff.bureau,
    )
    Assignment.objects.create(case=case, bureau=bureau_staff.bureau, is_lead=True)
    client = client_for(bureau_staff)

    assert _listed_ids(client) == {xuhui_centre.id}
    assert client.get(f"/api/centres/{pudong_centre.id}/").status_code == 404


def test_manager_cannot_write(client_for, manager, xuhui_centre):
    response = client_for(manager).patch(
        f"/api/centres/{xuhui_centre.id}/", {"total_staff": 100}, format="json"
    )

    assert response.status_code == 403
    xuhui_centre.refresh_from_db()
    assert xuhui_centre.total_staff == 60


def test_district_commissioner_cannot_change_another_districts_centre(
    client_for, xuhui_commissioner, pudong_centre
):
    response = client_for(xuhui_commissioner).patch(
        f"/api/centres/{pudong_centre.id}/", {"total_staff": 100}, format="json"
    )

    assert response.status_code == 404


def test_list_is_filtered_and_paginated(client_for, city_commissioner, xuhui_centre, pudong_centre):
    client = client_for(city_commissioner)

    by_district = client.get("/api/centres/", {"district": "pudong"}).json()
    in_ftz = client.get("/api/centres/", {"in_free_trade_zone": "true"}).json()
    first_page = client.get("/api/centres/", {"page_size": 1}).json()

    assert [row["id"] for row in by_district["results"]] == [pudong_centre.id]
    assert [row["id"] for row in in_ftz["results"]] == [pudong_centre.id]
    assert first_page["count"] == 2 and len(first_page["results"]) == 1 and first_page["next"]


def test_list_query_count_does_not_grow_with_centres(
    client_for, city_commissioner, django_assert_max_num_queries
):
    from tests.factories import CentreFactory

    CentreFactory.create_batch(30)
    client = client_for(city_commissioner)

    with django_assert_max_num_queries(8):
        response = client.get("/api/centres/", {"page_size": 50})

    assert response.json()["count"] == 30
