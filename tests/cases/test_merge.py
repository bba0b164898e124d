"""Duplicate cases of one centre are merged into one: the duplicate is withdrawn into the other,
both histories stay, and only what the withdraw rule allows is merged."""

import pytest

from cases.models import Case, CaseEvent, CaseState
from commissioners.models import Role
from tests.factories import CentreFactory, UserFactory, district

pytestmark = pytest.mark.django_db


def test_a_duplicate_is_withdrawn_into_the_case_it_repeats_and_both_histories_stay(
    case_in_state, client_for, xuhui_commissioner
):
    kept = case_in_state(CaseState.IN_PROGRESS)
    duplicate = case_in_state(CaseState.SUBMITTED)
    CaseEvent.record(subject=duplicate, actor=xuhui_commissioner, action="submit")
    before = list(CaseEvent.objects.filter(case=duplicate).values_list("pk", flat=True))

    answer = client_for(xuhui_commissioner).post(
        f"/api/cases/{duplicate.pk}/merge/",
        {"into": kept.pk, "reason": "Logged twice after one visit."},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["id"] == kept.pk
    assert answer.json()["history"][-1]["action"] == "merge"
    assert answer.json()["history"][-1]["changes"] == {"merged": duplicate.pk}

    duplicate.refresh_from_db()
    assert (duplicate.state, duplicate.merged_into_id) == (CaseState.WITHDRAWN, kept.pk)
    withdrawal = CaseEvent.objects.filter(case=duplicate).last()
    assert (withdrawal.action, withdrawal.reason) == ("withdraw", "Logged twice after one visit.")
    assert withdrawal.changes == {"merged_into": [None, kept.pk]}
    assert set(before) <= set(CaseEvent.objects.filter(case=duplicate).values_list("pk", flat=True))
    assert client_for(xuhui_commissioner).get(f"/api/cases/{duplicate.pk}/").json()["merged_into"] == kept.pk


def test_cases_of_two_centres_are_not_merged(case_in_state, client_for, xuhui_commissioner):
    duplicate = case_in_state(CaseState.SUBMITTED)
    other_centre = CentreFactory(district=district("xuhui"), commissioner=xuhui_commissioner)
    elsewhere = Case.objects.create(
        centre=other_centre,
        district=other_centre.district,
        measure=duplicate.measure,
        title="The same trouble elsewhere",
        description="…",
        created_by=xuhui_commissioner,
    )
    answer = client_for(xuhui_commissioner).post(
        f"/api/cases/{duplicate.pk}/merge/", {"into": elsewhere.pk, "reason": "Same"}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["attr"] == "into"
    assert Case.objects.get(pk=duplicate.pk).state == CaseState.SUBMITTED


@pytest.mark.parametrize(
    ("target", "body"),
    [
        ("itself", {"reason": "x"}),
        ("closed", {"reason": "x"}),
        ("missing", {"reason": "x"}),
        ("open", {"reason": ""}),
        ("open", {}),
    ],
)
def test_a_merge_that_cannot_be_is_a_400_and_changes_nothing(
    target, body, case_in_state, client_for, xuhui_commissioner
):
    duplicate = case_in_state(CaseState.SUBMITTED)
    into = {
        "itself": duplicate.pk,
        "closed": case_in_state(CaseState.CLOSED).pk,
        "missing": 10**9,
        "open": case_in_state(CaseState.IN_PROGRESS).pk,
    }[target]
    events = CaseEvent.objects.count()
    answer = client_for(xuhui_commissioner).post(
        f"/api/cases/{duplicate.pk}/merge/", {"into": into, **body}, format="json"
    )
    assert answer.status_code == 400, answer.content
    assert Case.objects.get(pk=duplicate.pk).state == CaseState.SUBMITTED
    assert CaseEvent.objects.count() == events


def test_only_the_districts_commissioner_merges_and_not_into_a_case_they_may_not_see(
    case_in_state, client_for, city_commissioner, xuhui_commissioner
):
    duplicate = case_in_state(CaseState.SUBMITTED)
    kept = case_in_state(CaseState.IN_PROGRESS)
    assert (
        client_for(city_commissioner)
        .post(f"/api/cases/{duplicate.pk}/merge/", {"into": kept.pk, "reason": "x"}, format="json")
        .status_code
        == 403
    )
    colleague = UserFactory(role=Role.DISTRICT_COMMISSIONER, district=district("xuhui"))
    secret = case_in_state(CaseState.IN_PROGRESS, confidential=True)
    answer = client_for(colleague).post(
        f"/api/cases/{duplicate.pk}/merge/", {"into": secret.pk, "reason": "x"}, format="json"
    )
    assert answer.status_code == 400
    assert (
        "Secret" not in answer.content.decode() and Case.objects.get(pk=duplicate.pk).merged_into_id is None
    )
