"""The case list and the bureau inbox: filters, ordering, and query counts that do not grow."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, CaseState
from tests.factories import bureau, shanghai_measure

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


@pytest.mark.parametrize("role", ["city", "district", "bureau"])
def test_case_list_queries_do_not_grow_with_the_page(
    role, many_cases, client_for, city_commissioner, xuhui_commissioner, science_staff
):
    client = client_for(
        {"city": city_commissioner, "district": xuhui_commissioner, "bureau": science_staff}[role]
    )

    def queries_for(page_size: int) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/cases/", {"page_size": page_size})
        return len(queries), len(response.json()["results"])

    small, large = queries_for(2), queries_for(50)
    visible = 12 if role != "bureau" else 8  # the bureau sees the cases routed to it
    assert (small[1], large[1]) == (2, visible)
    # The token, the count, the page's ids, its rows (and a bureau's current assignments).
    assert small[0] == large[0] <= 5


@pytest.mark.parametrize("page_size", [2, 50])
def test_inbox_queries_do_not_grow_with_the_page(
    page_size, many_cases, client_for, science_staff, django_assert_max_num_queries
):
    client = client_for(science_staff)

    with django_assert_max_num_queries(5):
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


def test_the_inbox_kept_per_bureau_reads_the_work_as_it_is_now(case_in_state, client_for, science_staff):
    # The inbox's query is built once per bureau and kind of work: each read still reads the rows.
    client = client_for(science_staff)
    to_accept = case_in_state(CaseState.DISPATCHED)
    assert [row["case"] for row in client.get("/api/inbox/").json()["results"]] == [to_accept.id]

    accepted = client.post(f"/api/cases/{to_accept.id}/accept/", {}, format="json")
    assert accepted.status_code == 200
    later = case_in_state(CaseState.DISPATCHED, accept_due_on=date(2031, 1, 1))

    rows = client.get("/api/inbox/").json()["results"]
    assert [(row["case"], row["action"]) for row in rows] == [(to_accept.id, "answer"), (later.id, "accept")]


def test_inbox_is_for_bureau_staff(client_for, city_commissioner):
    assert client_for(city_commissioner).get("/api/inbox/").status_code == 403


def test_filters(many_cases, case_in_state, client_for, city_commissioner, pudong_centre):
    confidential = case_in_state(CaseState.SUBMITTED, confidential=True)
    # One case different in every filtered column: logged just after midnight on 1 March in
    # Shanghai (still 28 February in UTC), Measure 3, urgent, led by the commerce commission.
    odd = case_in_state(
        CaseState.IN_PROGRESS,
        measure=shanghai_measure(3),
        urgency="urgent",
        lead_bureau=bureau("sh-commerce"),
        created_at=datetime(2026, 3, 1, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
        answer_due_on=date(2031, 1, 1),
    )
    Case.objects.filter(pk=odd.pk).update(centre=pudong_centre)
    client = client_for(city_commissioner)

    def ids(**params):
        return {
            row["id"] for row in client.get("/api/cases/", {"page_size": 100, **params}).json()["results"]
        }

    routed = {c.id for c in many_cases if c.state in (CaseState.DISPATCHED, CaseState.IN_PROGRESS)}
    submitted = {c.id for c in many_cases if c.state == CaseState.SUBMITTED}
    everything = {c.id for c in many_cases} | {confidential.id, odd.id}
    assert ids(overdue="true") == routed
    assert ids(overdue="false") == everything - routed
    assert ids(state="submitted") == submitted | {confidential.id}
    assert ids(state=["dispatched", "in_progress"]) == routed | {odd.id}
    assert ids(confidential="true") == {confidential.id}
    assert ids(bureau="sh-finance") == routed | {odd.id}
    assert ids(lead_bureau="sh-commerce") == {odd.id}
    assert ids(district="pudong") == set()  # the district a case was logged in, not its centre's
    assert ids(centre=pudong_centre.pk) == {odd.id}
    assert ids(measure_number=3) == {odd.id}
    assert ids(urgency="urgent") == {odd.id}
    assert ids(urgency="normal") == everything - {odd.id}
    assert ids(created_after="2026-03-01", created_before="2026-03-01") == {odd.id}
    assert odd.id not in ids(created_before="2026-02-28")
    assert ids(due_after="2031-01-01") == {odd.id}
    assert ids(search="that is dispatched") == {c.id for c in many_cases if c.state == CaseState.DISPATCHED}
    assert ids(due_before="2020-01-03") == {c.id for c in many_cases[:3] if c.state != CaseState.SUBMITTED}


def test_list_rows_say_which_moves_the_user_may_make(case_in_state, client_for, science_staff):
    case_in_state(CaseState.DISPATCHED)

    row = client_for(science_staff).get("/api/cases/").json()["results"][0]

    assert row["allowed_moves"] == ["accept", "return", "appeal"]
    assert row["is_overdue"] is False
