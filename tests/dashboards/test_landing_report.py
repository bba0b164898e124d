"""The year-end report on how the nine measures landed: per measure, each column exact against a
recount of the year's rows (the rates against the dashboard's own ranking of measures), bounded by
the year, scoped to a district's leadership, refused for a year the plan did not run in."""

import io
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import Case, CaseState, PolicyIssue, PolicyIssueState
from commissioners.models import Role
from core.time import local_today
from landing.models import BenefitStatus
from landing.services import benefit_record, briefing_record
from tests.factories import CentreFactory, UserFactory, bureau, district, shanghai_measure

pytestmark = pytest.mark.django_db


def _at(day: date):
    return timezone.make_aware(datetime.combine(day, time(12)))


@pytest.fixture
def year_of_landing(city_commissioner, xuhui_commissioner, pudong_commissioner):
    """This year and the one before: briefings, granted benefits, cases and policy issues of measures
    3 and 8, in Xuhui and Pudong."""
    today = local_today()
    this_year, last_year = date(today.year, 1, 2), date(today.year - 1, 6, 1)
    xuhui = [CentreFactory(district=district("xuhui"), commissioner=xuhui_commissioner) for _ in range(3)]
    pudong = [CentreFactory(district=district("pudong"), commissioner=pudong_commissioner) for _ in range(2)]
    m3, m8 = shanghai_measure(3), shanghai_measure(8)
    briefing_record(
        actor=city_commissioner,
        held_on=this_year,
        format="seminar",
        title="Customs",
        measures=[m3, m8],
        centres=xuhui + pudong[:1],
    )
    briefing_record(
        actor=city_commissioner, held_on=this_year, format="visit", title="Tax", measures=[m8], centres=pudong
    )
    briefing_record(
        actor=city_commissioner, held_on=last_year, format="visit", title="Old", measures=[m3], centres=pudong
    )
    customs = UserFactory(role=Role.BUREAU_STAFF, bureau=bureau("sh-customs"))
    for centre, measure, amount, decided in (
        (xuhui[0], m8, Decimal("120000.50"), this_year),
        (xuhui[1], m8, Decimal("30000"), this_year),
        (pudong[0], m8, Decimal("5000"), this_year),
        (pudong[1], m3, None, this_year),
        (xuhui[2], m8, Decimal("999"), last_year),
    ):
        benefit_record(
            actor=customs,
            centre=centre,
            measure=measure,
            title="Granted",
            status=BenefitStatus.GRANTED,
            applied_on=decided,
            decided_on=decided,
            amount=amount,
            quantity=None if amount else 3,
        )
    for centre, measure, day, state in (
        (xuhui[0], m3, this_year, CaseState.SUBMITTED),
        (xuhui[1], m3, this_year, CaseState.CLOSED),
        (pudong[0], m8, this_year, CaseState.CLOSED),
        (pudong[1], m3, last_year, CaseState.SUBMITTED),
    ):
        closed = state == CaseState.CLOSED
        Case.objects.create(
            centre=centre,
            district=centre.district,
            measure=measure,
            title="A difficulty",
            description="…",
            created_by=centre.commissioner,
            created_at=_at(day),
            state=state,
            lead_bureau=bureau("sh-customs") if closed else None,
            closed_at=_at(day) if closed else None,
        )
    for created, answered in ((this_year, this_year), (this_year, None), (last_year, this_year)):
        issue = PolicyIssue.objects.create(
            title="Reagents",
            description="…",
            measure=m3,
            created_by=city_commissioner,
            state=PolicyIssueState.ANSWERED if answered else PolicyIssueState.OPEN,
            lead_bureau=bureau("sh-customs") if answered else None,
            answered_at=_at(answered) if answered else None,
            closed_at=_at(answered) if answered else None,
        )
        PolicyIssue.objects.filter(pk=issue.pk).update(created_at=_at(created))
        Case.objects.filter(centre=xuhui[0]).update(policy_issue=issue)
    return {"xuhui": xuhui, "pudong": pudong}


def _rows(client, **params) -> dict[int, dict]:
    response = client.get("/api/dashboard/landing-report/", params)
    assert response.status_code == 200, response.content
    return {row["number"]: row for row in response.json()["measures"]}


def test_each_measure_of_the_year_equals_a_recount(client_for, manager, year_of_landing):
    client = client_for(manager)
    rows = _rows(client)
    assert sorted(rows) == list(range(1, 10))
    m3, m8 = rows[3], rows[8]
    assert (m3["briefings"], m8["briefings"]) == (1, 2)  # last year's briefing is not counted
    assert (m3["centres_briefed"], m8["centres_briefed"]) == (4, 5)
    assert (m8["benefits_granted"], Decimal(str(m8["amount_granted"]))) == (3, Decimal("155000.50"))
    assert (m3["benefits_granted"], m3["quantity_granted"]) == (1, 3)
    assert (m3["cases_logged"], m3["cases_closed"], m8["cases_logged"], m8["cases_closed"]) == (2, 1, 1, 1)
    assert (m3["policy_issues_raised"], m3["policy_issues_answered"], m3["policy_issues_open"]) == (2, 2, 1)
    assert rows[1]["briefings"] == rows[1]["cases_logged"] == rows[1]["benefits_granted"] == 0
    # The rates are the dashboard's own, for the same year.
    year = local_today().year
    ranked = client.get("/api/dashboard/rankings/", {"from": f"{year}-01", "to": f"{year}-12"}).json()
    by_code = {unit["code"]: unit for unit in ranked["measures"]}
    assert {"shanghai_2024-3", "shanghai_2024-8"} <= set(by_code)
    for number in (3, 8):
        for name in ("response", "resolution", "satisfaction"):
            assert rows[number][name] == {
                key: by_code[f"shanghai_2024-{number}"][name][key] for key in rows[number][name]
            }


def test_a_past_year_counts_its_own_rows(client_for, manager, year_of_landing):
    rows = _rows(client_for(manager), year=local_today().year - 1)
    assert rows[3]["briefings"] == 1 and rows[8]["briefings"] == 0
    assert rows[8]["benefits_granted"] == 1 and rows[8]["amount_granted"] == 999
    assert rows[3]["cases_logged"] == 1
    # Raised last year and answered this year: open at last year's end.
    assert (
        rows[3]["policy_issues_raised"],
        rows[3]["policy_issues_answered"],
        rows[3]["policy_issues_open"],
    ) == (
        1,
        0,
        1,
    )


def test_a_districts_leadership_reads_its_own_district(client_for, year_of_landing):
    xuhui_manager = UserFactory(role=Role.MANAGER, district=district("xuhui"))
    rows = _rows(client_for(xuhui_manager))
    assert rows[8]["benefits_granted"] == 2 and rows[8]["centres_briefed"] == 3
    assert rows[3]["cases_logged"] == 2 and rows[8]["cases_logged"] == 0


@pytest.mark.parametrize("year", ["2023", "9999", "0001", "twenty", "2026.5", "-1", "1" * 400])
def test_a_year_the_plan_did_not_run_in_is_refused_in_words(client_for, manager, year):
    response = client_for(manager).get("/api/dashboard/landing-report/", {"year": year})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "year"


def test_the_workbook_and_who_may_read_it(client_for, manager, xuhui_commissioner, year_of_landing):
    response = client_for(manager).get("/api/dashboard/landing-report.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    (sheet,) = workbook.worksheets
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 9
    assert rows[8][0] == 8 and rows[8][7] == 3  # measure 8, three benefits granted
    assert client_for(xuhui_commissioner).get("/api/dashboard/landing-report/").status_code == 403
