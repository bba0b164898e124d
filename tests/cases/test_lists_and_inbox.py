"""The case list and the bureau inbox: filters, ordering, and query counts that do not grow."""

from datetime import date

import pytest

from cases.models import CaseState

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_cases(case_in_state):
    cases = []
    for index in range(12):
        state = [CaseState.DISPATCHED, CaseState.IN_PROGRESS, CaseState.SUBMITTED][index % 3]
        cases.append(
            case_in_state(
                state, answer_due_on=date(2020, 1, index + 1), accept_due_on=date(2020, 1, index + 1)
            )
        )
    return cases


@pytest.mark.parametrize("page_size", [5, 50])
def test_case_list_queries_do_not_grow_with_the_page(
    page_size, many_cases, client_for, city_commissioner, django_assert_max_num_queries
):
    client = client_for(city_commissioner)

    with django_assert_max_num_queries(8):
        response = client.get("/api/cases/", {"page_size": page_size})

    assert len(response.json()["results"]) == min(page_size, 12)


@pytest.mark.parametrize("page_size", [2, 50])
def test_inbox_queries_do_not_grow_with_the_page(
    page_size, many_cases, client_for, science_staff, django_assert_max_num_queries
):
    client = client_for(science_staff)

    with django_assert_max_num_queries(6):
        response = client.get("/api/inbox/", {"page_size": page_size})

    assert len(response.json()["results"]) == min(page_size, 8)


def test_inbox_lists_what_my_bureau_must_do_soonest_first(
    case_in_state, client_for, science_staff, finance_staff
):
    to_answer = case_in_state(CaseState.IN_PROGRESS, answer_due_on=date(2030, 2, 1))
    to_accept = case_in_state(CaseState.DISPATCHED, accept_due_on=date(2030, 1, 5))
    case_in_state(CaseState.ANSWERED)  # nothing to do
    case_in_state(CaseState.SUBMITTED)  # not routed yet

    lead_inbox = client_for(science_staff).get("/api/inbox/").json()["results"]
    co_inbox = client_for(finance_staff).get("/api/inbox/").json()["results"]

    assert [(row["case"], row["action"], row["due_on"]) for row in lead_inbox] == [
        (to_accept.id, "accept", "2030-01-05"),
        (to_answer.id, "answer", "2030-02-01"),
    ]
    assert [(row["case"], row["action"]) for row in co_inbox] == [
        (to_accept.id, "accept_assignment"),
        (to_answer.id, "contribute"),
    ]


def test_inbox_is_for_bureau_staff(client_for, city_commissioner):
    assert client_for(city_commissioner).get("/api/inbox/").status_code == 403


def test_filters(many_cases, case_in_state, client_for, city_commissioner):
    confidential = case_in_state(CaseState.SUBMITTED, confidential=True)
    client = client_for(city_commissioner)

    def ids(**params):
        return {
            row["id"] for row in client.get("/api/cases/", {"page_size": 100, **params}).json()["results"]
        }

    overdue = ids(overdue="true")
    assert overdue == {c.id for c in many_cases if c.state in (CaseState.DISPATCHED, CaseState.IN_PROGRESS)}
    assert ids(state="submitted") == {c.id for c in many_cases if c.state == CaseState.SUBMITTED} | {
        confidential.id
    }
    assert ids(state=["dispatched", "in_progress"]) == overdue
    assert ids(confidential="true") == {confidential.id}
    assert ids(bureau="sh-finance") == overdue
    assert ids(district="pudong") == set()
    assert ids(measure_number=1, urgency="normal") == {c.id for c in [*many_cases, confidential]}
    assert ids(search="that is dispatched") == {c.id for c in many_cases if c.state == CaseState.DISPATCHED}
    assert ids(due_before="2020-01-03") == {c.id for c in many_cases[:3] if c.state != CaseState.SUBMITTED}


def test_list_rows_say_which_moves_the_user_may_make(case_in_state, client_for, science_staff):
    case_in_state(CaseState.DISPATCHED)

    row = client_for(science_staff).get("/api/cases/").json()["results"][0]

    assert row["allowed_moves"] == ["accept", "return"]
    assert row["is_overdue"] is False
