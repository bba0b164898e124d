"""A bureau's whole case list is counted from its assignments and lists the very cases it may see."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import selectors
from cases.models import Case


def _listed(client, query: str = "") -> tuple[int, list[int]]:
    body = client.get(f"/api/cases/?page_size=200{query}").json()
    return body["count"], [row["id"] for row in body["results"]]


def test_a_bureaus_whole_list_is_the_cases_it_may_see(
    case_in_state, science_staff, finance_staff, other_bureau_staff, client_for
):
    cases = [
        case_in_state("dispatched"),
        case_in_state("in_progress", confidential=True),  # the lead sees it, the co-handler does not
        case_in_state("answered"),
        case_in_state("referred_up"),  # assignments no longer current: neither sees it
        case_in_state("submitted"),
    ]
    Case.objects.filter(pk=cases[0].pk).update(created_at=cases[2].created_at)  # a tie, broken by id

    for staff in (science_staff, finance_staff, other_bureau_staff):
        expected = list(
            selectors.case_list_visible_to(user=staff)
            .order_by("-created_at", "-id")
            .values_list("pk", flat=True)
        )
        client = client_for(staff)

        assert _listed(client) == (len(expected), expected)
        # The filtered path (any filter reads the case table) agrees.
        assert _listed(client, "&ordering=-created_at")[1] == sorted(
            expected, key=lambda pk: (-Case.objects.get(pk=pk).created_at.timestamp(), pk)
        )
    assert _listed(client_for(science_staff))[0] == 3
    assert _listed(client_for(finance_staff))[0] == 2


def test_a_bureaus_whole_list_counts_without_the_case_table(case_in_state, science_staff, client_for):
    case_in_state("dispatched")
    client = client_for(science_staff)

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/cases/").status_code == 200

    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert len(counts) == 1 and "cases_case" not in counts[0]
