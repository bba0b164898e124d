"""The dashboards' figures API: who may read it, over which district, bad input, and the downloads."""

import csv
import io

import pytest
from openpyxl import load_workbook

from cases.models import Case
from commissioners.models import Role
from core.time import local_today
from tests.factories import CentreFactory, UserFactory, district, shanghai_measure

pytestmark = pytest.mark.django_db

JUNE = {"from": "2025-06", "to": "2025-06"}


@pytest.fixture
def logged_cases(xuhui_commissioner, xuhui_centre, pudong_commissioner):
    """Three Xuhui cases and two Pudong cases logged in June 2025 (written straight, as a load would)."""
    pudong_centre = CentreFactory(district=district("pudong"), commissioner=pudong_commissioner)
    for centre, author, count in (
        (xuhui_centre, xuhui_commissioner, 3),
        (pudong_centre, pudong_commissioner, 2),
    ):
        for number in range(count):
            Case.objects.create(
                centre=centre,
                district=centre.district,
                measure=shanghai_measure(1 + number),
                title="A difficulty",
                description="Described.",
                created_by=author,
                created_at="2025-06-10T10:00+08:00",
            )


@pytest.fixture
def xuhui_manager(db):
    """The district's leadership: a manager bound to Xuhui."""
    return UserFactory(username="xuhui-leader", role=Role.MANAGER, district=district("xuhui"))


@pytest.mark.parametrize(
    "path",
    [
        "/api/dashboard/cases/",
        "/api/dashboard/rankings/",
        "/api/dashboard/contacts/",
        "/api/dashboard/assessments/",
        "/api/dashboard/export/bureaus.csv",
        "/api/dashboard/export.xlsx",
    ],
)
def test_district_commissioners_and_bureau_staff_are_refused(
    client_for, xuhui_commissioner, bureau_staff, path
):
    for user in (xuhui_commissioner, bureau_staff):
        response = client_for(user).get(path)
        assert response.status_code == 403, (user.role, path)
        assert response.json()["errors"][0]["code"] == "permission_denied"


def test_managers_city_commissioners_and_administrators_read_the_city(
    client_for, manager, city_commissioner, administrator, logged_cases
):
    for user in (manager, city_commissioner, administrator):
        body = client_for(user).get("/api/dashboard/cases/", JUNE).json()
        assert body["volume"]["logged"] == 5, user.role
        assert body["scope"] == {"district": None}


def test_a_city_manager_may_pick_a_district(client_for, manager, logged_cases):
    body = client_for(manager).get("/api/dashboard/cases/", {**JUNE, "district": "pudong"}).json()
    assert body["volume"]["logged"] == 2
    assert body["scope"]["district"]["code"] == "pudong"


def test_a_districts_leadership_sees_only_its_district_whatever_it_asks(
    client_for, xuhui_manager, logged_cases
):
    client = client_for(xuhui_manager)
    for params in (JUNE, {**JUNE, "district": "pudong"}):
        body = client.get("/api/dashboard/cases/", params).json()
        assert body["volume"]["logged"] == 3
        assert body["scope"]["district"]["code"] == "xuhui"
        assert [row["code"] for row in body["volume"]["by_district"]] == ["xuhui"]
    ranked = client.get("/api/dashboard/rankings/", JUNE).json()
    assert [row["code"] for row in ranked["districts"]] == ["xuhui"]
    rows = list(
        csv.reader(
            io.StringIO(client.get("/api/dashboard/export/measures.csv", JUNE).content.decode("utf-8-sig"))
        )
    )
    assert sum(int(row[1]) for row in rows[1:]) == 3
    # Its case list is its district's too, so a drill-down shows what the figure counted.
    listed = client.get("/api/cases/", {"created_after": "2025-06-01", "created_before": "2025-06-30"}).json()
    assert listed["count"] == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2025-13"}, "from"),
        ({"from": "June"}, "from"),
        ({"from": "2025-06", "to": "2025-01"}, "to"),
        ({"from": "2010-01", "to": "2025-01"}, "from"),
        ({"district": "atlantis"}, "district"),
        ({"bureau": "nobody"}, "bureau"),
        ({"measure": "x"}, "measure"),
        ({"measure": "999999"}, "measure"),
        ({"urgency": "whenever"}, "urgency"),
    ],
)
def test_bad_parameters_are_a_clear_400_naming_the_field(client_for, manager, params, field):
    response = client_for(manager, language="zh-hans").get("/api/dashboard/cases/", params)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["attr"] == field
    assert error["detail"]


def test_a_rate_with_nothing_to_count_reads_no_data_in_chinese_too(client_for, manager):
    body = client_for(manager, language="zh-hans").get("/api/dashboard/cases/", JUNE).json()
    assert body["rates"]["response"] == {
        "numerator": 0,
        "denominator": 0,
        "rate": None,
        "display": "暂无数据",
    }


def test_ranking_by_an_unknown_key_is_refused(client_for, manager):
    response = client_for(manager).get("/api/dashboard/rankings/", {"rank_by": "luck"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "rank_by"


def test_an_unknown_table_is_a_404(client_for, manager):
    assert client_for(manager).get("/api/dashboard/export/salaries.csv").status_code == 404


def test_the_csv_of_cases_by_district_has_a_row_per_district_with_cases(client_for, manager, logged_cases):
    response = client_for(manager).get("/api/dashboard/export/districts.csv", JUNE)
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="dashboard-districts.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["rank", "code", "district"]
    assert len(rows) == 1 + 16  # every district is listed; those without data unranked
    assert {row[1] for row in rows[1:]} >= {"xuhui", "pudong"}


def test_the_workbook_has_every_table_as_a_sheet_with_the_api_figures(client_for, manager, logged_cases):
    client = client_for(manager)
    response = client.get("/api/dashboard/export.xlsx", JUNE)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert len(workbook.sheetnames) == 13  # the ten of the case and centre figures, three of policy landing
    measures = list(workbook["Cases by measure"].iter_rows(values_only=True))
    api = client.get("/api/dashboard/cases/", JUNE).json()["volume"]["by_measure"]
    assert measures[0] == ("measure", "cases logged")
    assert [tuple(row) for row in measures[1:]] == [(row["label"], row["count"]) for row in api]
    trend = list(workbook["Monthly trend"].iter_rows(values_only=True))
    assert trend[1][:2] == ("2025-06", 5)


def test_the_default_period_is_this_year_to_this_month(client_for, manager):
    body = client_for(manager).get("/api/dashboard/cases/").json()
    today = local_today()
    assert body["period"]["from"] == f"{today.year}-01"
    assert body["period"]["to"] == f"{today:%Y-%m}"


@pytest.mark.parametrize("name", ["from", "district", "bureau", "measure", "urgency", "rank_by"])
def test_a_null_character_in_a_parameter_is_a_400(client_for, manager, name):
    response = client_for(manager).get("/api/dashboard/rankings/", {name: "a\x00b"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == name


def test_the_index_lists_the_figures_and_tables(client_for, manager):
    body = client_for(manager).get("/api/dashboard/").json()
    assert body["cases"].endswith("/api/dashboard/cases/")
    assert "bureaus" in body["tables"]
