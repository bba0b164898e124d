"""Who sees a case, confidential ones included; everyone else gets a 404."""

import pytest

from cases.models import CaseState
from commissioners.models import Role
from tests.factories import UserFactory, district

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_xuhui_commissioner(db):
    return UserFactory(role=Role.DISTRICT_COMMISSIONER, district=district("xuhui"))


@pytest.fixture
def viewers(
    xuhui_commissioner,
    second_xuhui_commissioner,
    pudong_commissioner,
    city_commissioner,
    science_staff,
    finance_staff,
    other_bureau_staff,
    manager,
    administrator,
):
    return {
        "logging commissioner": xuhui_commissioner,
        "same district commissioner": second_xuhui_commissioner,
        "other district commissioner": pudong_commissioner,
        "city commissioner": city_commissioner,
        "lead bureau": science_staff,
        "co-handling bureau": finance_staff,
        "other bureau": other_bureau_staff,
        "manager": manager,
        "administrator": administrator,
    }


SEES_ORDINARY = {
    "logging commissioner",
    "same district commissioner",
    "city commissioner",
    "lead bureau",
    "co-handling bureau",
    "manager",
}
SEES_CONFIDENTIAL = {"logging commissioner", "city commissioner", "lead bureau"}


@pytest.mark.parametrize("confidential", [False, True])
def test_who_sees_a_dispatched_case(confidential, viewers, case_in_state, client_for):
    case = case_in_state(CaseState.DISPATCHED, confidential=confidential)
    expected = SEES_CONFIDENTIAL if confidential else SEES_ORDINARY

    for name, user in viewers.items():
        client = client_for(user)
        detail = client.get(f"/api/cases/{case.id}/")
        listed = [row["id"] for row in client.get("/api/cases/").json()["results"]]
        comments = client.get(f"/api/cases/{case.id}/comments/")

        assert detail.status_code == (200 if name in expected else 404), name
        assert listed == ([case.id] if name in expected else []), name
        assert comments.status_code == (200 if name in expected else 404), name


def test_bureaus_do_not_see_a_case_before_it_is_dispatched_to_them(case_in_state, science_staff, client_for):
    case = case_in_state(CaseState.SUBMITTED)

    assert client_for(science_staff).get(f"/api/cases/{case.id}/").status_code == 404
