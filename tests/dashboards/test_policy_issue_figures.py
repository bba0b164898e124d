"""Open policy issues (共性问题) on the dashboard's landing section: per state, past their answer day,
their age, each linking to its page; exact against a recount from the rows; narrowed by measure and
district; downloaded as a table."""

import csv
import io
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Case, PolicyIssue, PolicyIssueState
from core.time import local_today
from tests.factories import CentreFactory, bureau, district, shanghai_measure
from tests.pages import page_client

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
STATES = list(PolicyIssueState.values)


@pytest.fixture
def issues(city_commissioner, xuhui_commissioner, pudong_commissioner):
    """Issues in every state, of two measures, raised on random days, some past their answer day,
    each holding cases of one or both districts: drawn once from a fixed seed."""
    rng = random.Random(21)
    today = local_today()
    commissioners = {"xuhui": xuhui_commissioner, "pudong": pudong_commissioner}
    made = []
    for i in range(14):
        state = rng.choice(STATES)
        measure = shanghai_measure(rng.choice([3, 7]))
        routed = state not in (PolicyIssueState.OPEN, PolicyIssueState.WITHDRAWN)
        issue = PolicyIssue.objects.create(
            title=f"Issue {i}",
            description="…",
            measure=measure,
            state=state,
            created_by=city_commissioner,
            lead_bureau=bureau("sh-customs") if routed else None,
            answer_due_on=today + timedelta(days=rng.randint(-10, 10)) if routed else None,
        )
        PolicyIssue.objects.filter(pk=issue.pk).update(
            created_at=timezone.now() - timedelta(days=rng.randint(0, 90))
        )
        for where in rng.sample(["xuhui", "pudong"], rng.randint(1, 2)):
            centre = CentreFactory(district=district(where), commissioner=commissioners[where])
            Case.objects.create(
                centre=centre,
                district=centre.district,
                measure=measure,
                title=f"Case of issue {i}",
                description="…",
                created_by=commissioners[where],
                policy_issue=issue,
            )
        made.append(issue)
    return made


def _recount(*, measure=None, district_code=None) -> dict:
    today = local_today()
    rows = []
    for issue in PolicyIssue.objects.all():
        if issue.state not in (
            PolicyIssueState.OPEN,
            PolicyIssueState.DISPATCHED,
            PolicyIssueState.IN_PROGRESS,
        ):
            continue
        if measure is not None and issue.measure.number != measure:
            continue
        cases = list(Case.objects.filter(policy_issue=issue))
        if district_code is not None and not any(c.district.code == district_code for c in cases):
            continue
        rows.append(
            {
                "id": issue.pk,
                "state": issue.state,
                "cases": len(cases),
                "age_days": (today - timezone.localdate(issue.created_at)).days,
                "is_overdue": issue.answer_due_on is not None and issue.answer_due_on < today,
            }
        )
    return {
        "count": len(rows),
        "overdue": sum(r["is_overdue"] for r in rows),
        "by_state": {s: sum(r["state"] == s for r in rows) for s in ("open", "dispatched", "in_progress")},
        "rows": sorted(rows, key=lambda r: r["id"]),
    }


def _section(user, **params):
    response = page_client(user).get("/dashboard/landing/", params, **HTMX)
    assert response.status_code == 200
    return response.context["section"]["policy_issues"]


@pytest.mark.parametrize(
    ("measure", "district_code"), [(None, None), (3, None), (None, "pudong"), (7, "xuhui")]
)
def test_the_open_policy_issues_equal_a_recount(manager, issues, measure, district_code):
    params = {}
    if measure is not None:
        params["measure"] = shanghai_measure(measure).pk
    if district_code is not None:
        params["district"] = district_code
    figures = _section(manager, **params)
    expected = _recount(measure=measure, district_code=district_code)
    assert figures["count"] == expected["count"] > 0
    assert figures["overdue"] == expected["overdue"]
    assert figures["by_state"] == expected["by_state"]
    shown = sorted(
        (
            {
                "id": i["id"],
                "state": i["state"],
                "cases": i["cases"],
                "age_days": i["age_days"],
                "is_overdue": i["is_overdue"],
            }
            for i in figures["issues"]
        ),
        key=lambda r: r["id"],
    )
    assert shown == expected["rows"]
    ages = [i["age_days"] for i in figures["issues"]]
    assert ages == sorted(ages, reverse=True)  # the oldest first
    assert figures["oldest_age_days"] == max(ages)


def test_each_issue_links_to_its_page_and_the_download_lists_them(manager, issues, client_for):
    page = page_client(manager).get("/dashboard/landing/", **HTMX).content.decode()
    expected = _recount()
    for row in expected["rows"]:
        assert f'href="/policy-issues/{row["id"]}/"' in page
        assert page_client(manager).get(f"/policy-issues/{row['id']}/").status_code == 200
    download = client_for(manager).get("/api/dashboard/export/policy_issues.csv")
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert sorted(int(row[0]) for row in rows[1:]) == [r["id"] for r in expected["rows"]]


def test_a_districts_manager_counts_only_the_issues_of_its_cases(issues, db):
    from commissioners.models import Role
    from tests.factories import UserFactory

    xuhui_manager = UserFactory(role=Role.MANAGER, district=district("xuhui"))
    figures = _section(xuhui_manager)
    assert figures["count"] == _recount(district_code="xuhui")["count"]
