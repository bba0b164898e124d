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
        # A move nobody may make here: a case worker who sees the case is refused it, one who does
        # not gets a 404 (the lock reads the case with the user's sight, one statement shared by
        # every user alike); managers and administrators make no moves at all (403 first).
        move = client.post(f"/api/cases/{case.id}/decide-extension/", {"approve": True}, format="json")
        makes_moves = user.role in (Role.DISTRICT_COMMISSIONER, Role.CITY_COMMISSIONER, Role.BUREAU_STAFF)

        assert detail.status_code == (200 if name in expected else 404), name
        if not makes_moves:
            assert move.status_code == 403, name
        elif name in expected:
            assert move.status_code in (403, 409), (name, move.status_code)  # seen, and refused
        else:
            assert move.status_code == 404, name
        assert listed == ([case.id] if name in expected else []), name
        assert comments.status_code == (200 if name in expected else 404), name


def test_bureaus_do_not_see_a_case_before_it_is_dispatched_to_them(case_in_state, science_staff, client_for):
    case = case_in_state(CaseState.SUBMITTED)

    assert client_for(science_staff).get(f"/api/cases/{case.id}/").status_code == 404
