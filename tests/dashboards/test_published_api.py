"""The published rankings API: the published ranking beside the live one, the cases behind a unit's
figures then and now, who may read them, and bad input."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases.models import Case
from commissioners.models import Role
from dashboards import services
from dashboards.models import PublishedRanking
from tests.factories import UserFactory, district

from .published_data import MAY, at, build_may

pytestmark = pytest.mark.django_db

PUBLISHED = "/api/dashboard/rankings/published/"
CASES = "/api/dashboard/rankings/cases/"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def may(xuhui_commissioner, pudong_commissioner):
    return build_may(xuhui_commissioner, pudong_commissioner)


@pytest.fixture
def published(may):
    with time_machine.travel(datetime.datetime(2026, 6, 1, 0, 40, tzinfo=SHANGHAI), tick=False):
        services.publish_month_rankings(month=MAY)
    return may


@pytest.fixture
def xuhui_manager(db):
    return UserFactory(username="xuhui-leader", role=Role.MANAGER, district=district("xuhui"))


def _changed_in_june(may) -> None:
    """B's call-back redone (resolved, satisfied); F's call-back found to be June's."""
    Case.objects.filter(pk=may.cases["B"].pk).update(
        callback_resolved=True, callback_satisfaction="satisfied"
    )
    Case.objects.filter(pk=may.cases["F"].pk).update(callback_at=at("2026-06-02T10:00"))


def _fractions(side: dict) -> tuple:
    return tuple(
        f"{side[rate]['numerator']}/{side[rate]['denominator']}"
        for rate in ("response", "resolution", "satisfaction")
    )


def test_the_published_ranking_is_shown_beside_the_live_one(client_for, manager, published):
    body = client_for(manager).get(PUBLISHED, {"month": "2026-05", "kind": "bureau"}).json()

    assert (body["month"], body["unit_kind"], body["rank_by"]) == ("2026-05", "bureau", "score")
    assert body["published"]["published_by"] is None
    assert body["published"]["published_at"].startswith("2026-06-01T00:40")
    assert "mean" in body["published"]["rule"] and body["rule"] == body["published"]["rule"]
    assert [(u["code"], u["published"]["rank"], u["live"]["rank"], u["differs"]) for u in body["units"]] == [
        ("sh-finance", 1, 1, False),
        ("sh-science-technology", 2, 2, False),
    ]
    finance = body["units"][0]
    assert finance["label"] == "Shanghai Municipal Finance Bureau"
    assert finance["published"]["response"] == {
        "numerator": 2,
        "denominator": 3,
        "rate": 0.6667,
        "display": "66.7%",
    }
    assert finance["published"] == finance["live"]


def test_in_chinese_the_published_names_and_rule_are_chinese(client_for, manager, published):
    body = client_for(manager, language="zh-hans").get(PUBLISHED, {"month": "2026-05"}).json()
    assert body["units"][0]["label"] == "市财政局"
    assert "平均" in body["published"]["rule"]


def test_after_an_old_case_changes_the_two_sides_differ_and_the_drill_down_says_where(
    client_for, manager, published
):
    _changed_in_june(published)
    client = client_for(manager)

    units = {u["code"]: u for u in client.get(PUBLISHED, {"month": "2026-05"}).json()["units"]}
    science = units["sh-science-technology"]
    assert _fractions(science["published"]) == ("1/2", "3/4", "2/3")
    assert _fractions(science["live"]) == ("1/2", "3/3", "3/3")
    assert science["differs"] is True
    assert units["sh-finance"]["differs"] is False

    body = client.get(CASES, {"month": "2026-05", "kind": "bureau", "unit": "sh-science-technology"}).json()
    assert body["unit"] == {"id": published.sci, "code": "sh-science-technology", "label": science["label"]}
    then = {case["id"]: case for case in body["published"]["results"]}
    now = {case["id"]: case for case in body["live"]["results"]}
    assert set(then) == published.ids("ABEF") and set(now) == published.ids("ABE")
    f = then[published.cases["F"].pk]
    assert (f["counted_in"], f["in_published"], f["in_live"]) == (["callback"], True, False)
    a = now[published.cases["A"].pk]
    assert (a["counted_in"], a["in_published"], a["in_live"]) == (["response", "callback"], True, True)
    assert (a["title"], a["state"], a["district"], a["lead_bureau"]) == (
        "Case A",
        "closed",
        "xuhui",
        "sh-science-technology",
    )


def test_every_kind_of_unit_is_published_districts_and_measures_too(client_for, manager, published):
    client = client_for(manager)
    districts = client.get(PUBLISHED, {"month": "2026-05", "kind": "district"}).json()["units"]
    assert [(u["code"], u["published"]["rank"]) for u in districts[:2]] == [("pudong", 1), ("xuhui", 2)]
    assert len(districts) == 16
    measures = client.get(PUBLISHED, {"month": "2026-05", "kind": "measure", "rank_by": "resolution"}).json()
    assert [u["code"] for u in measures["units"]] == ["shanghai_2024-3", "shanghai_2024-1"]
    assert "resolution rate" in measures["rule"]
    body = client.get(CASES, {"month": "2026-05", "kind": "measure", "unit": "shanghai_2024-3"}).json()
    assert {case["id"] for case in body["published"]["results"]} == published.ids("D")  # C is confidential
    assert body["published"]["counted"] == 2


def test_a_month_never_published_shows_the_live_side_and_is_a_404_when_only_published_is_asked(
    client_for, manager, may
):
    client = client_for(manager)
    body = client.get(PUBLISHED, {"month": "2026-05"}).json()
    assert body["published"] is None
    assert [(u["code"], u["published"], u["live"]["rank"], u["differs"]) for u in body["units"]] == [
        ("sh-finance", None, 1, None),
        ("sh-science-technology", None, 2, None),
    ]
    for url, extra in ((PUBLISHED, {}), (CASES, {"unit": "sh-finance"})):
        response = client.get(url, {"month": "2026-05", "source": "published", **extra})
        assert response.status_code == 404
        assert response.json()["errors"][0]["code"] == "not_found"
    live = client.get(CASES, {"month": "2026-05", "unit": "sh-finance", "source": "live"}).json()
    assert live["published"] is None and live["live"]["count"] == 2
    assert all(case["in_published"] is None for case in live["live"]["results"])


def test_one_side_only(client_for, manager, published):
    client = client_for(manager)
    body = client.get(PUBLISHED, {"month": "2026-05", "source": "published"}).json()
    assert all(u["live"] is None and u["differs"] is None for u in body["units"])
    body = client.get(PUBLISHED, {"month": "2026-05", "source": "live"}).json()
    assert body["published"] is None and all(u["published"] is None for u in body["units"])


def test_the_drill_down_lists_only_the_cases_the_reader_may_see(
    client_for, manager, city_commissioner, published
):
    query = {"month": "2026-05", "kind": "bureau", "unit": "sh-finance"}
    as_manager = client_for(manager).get(CASES, query).json()["published"]
    # C is confidential: counted in the figures, not listed for a manager.
    assert (as_manager["counted"], as_manager["count"]) == (3, 2)
    assert {case["id"] for case in as_manager["results"]} == published.ids("BD")
    as_city = client_for(city_commissioner).get(CASES, query).json()["published"]
    assert (as_city["counted"], as_city["count"]) == (3, 3)
    c = next(case for case in as_city["results"] if case["id"] == published.cases["C"].pk)
    assert c["counted_in"] == ["response", "callback"]


def test_a_districts_leadership_sees_its_own_districts_place_only(client_for, xuhui_manager, published):
    client = client_for(xuhui_manager)
    body = client.get(PUBLISHED, {"month": "2026-05"}).json()
    assert body["unit_kind"] == "district"
    assert [(u["code"], u["published"]["rank"], u["live"]["rank"]) for u in body["units"]] == [
        ("xuhui", 2, 2)
    ]
    for params in ({"kind": "bureau"}, {"kind": "measure"}):
        response = client.get(PUBLISHED, {"month": "2026-05", **params})
        assert response.status_code == 403
    assert client.get(CASES, {"month": "2026-05", "unit": "pudong"}).status_code == 403
    own = client.get(CASES, {"month": "2026-05", "unit": "xuhui"}).json()
    assert {case["id"] for case in own["published"]["results"]} == published.ids("ABEF")


@pytest.mark.parametrize("url", [PUBLISHED, CASES])
def test_district_commissioners_and_bureau_staff_are_refused(
    client_for, xuhui_commissioner, bureau_staff, url
):
    for user in (xuhui_commissioner, bureau_staff):
        response = client_for(user).get(url, {"unit": "xuhui"})
        assert response.status_code == 403
        assert response.json()["errors"][0]["code"] == "permission_denied"


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        (PUBLISHED, {"month": "2026-13"}, "month"),
        (PUBLISHED, {"month": "May"}, "month"),
        (PUBLISHED, {"month": "1999-12"}, "month"),
        (PUBLISHED, {"month": "2100-01"}, "month"),
        (PUBLISHED, {"month": "x" * 10_000}, "month"),
        (PUBLISHED, {"kind": "centre"}, "kind"),
        (PUBLISHED, {"rank_by": "luck"}, "rank_by"),
        (PUBLISHED, {"source": "rumour"}, "source"),
        (PUBLISHED, {"kind": "a\x00b"}, "kind"),
        (CASES, {}, "unit"),
        (CASES, {"unit": "nobody"}, "unit"),
        (CASES, {"unit": "shanghai_2024-99999"}, "unit"),
        (CASES, {"unit": "x" * 10_000}, "unit"),
        (CASES, {"kind": "measure", "unit": "sh-finance"}, "unit"),
        (CASES, {"unit": "sh-finance", "page": "0"}, "page"),
        (CASES, {"unit": "sh-finance", "page": "last"}, "page"),
        (CASES, {"unit": "sh-finance", "page": "²"}, "page"),
        (CASES, {"unit": "sh-finance", "page": str(2**63)}, "page"),
        (CASES, {"unit": "sh-finance", "month": "0000-01"}, "month"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(client_for, manager, url, params, field):
    response = client_for(manager, language="zh-hans").get(url, params)
    assert response.status_code == 400, response.content[:300]
    error = response.json()["errors"][0]
    assert error["attr"] == field
    assert error["detail"]


def test_the_default_month_is_the_one_just_ended(client_for, manager, published):
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=SHANGHAI), tick=False):
        body = client_for(manager).get(PUBLISHED).json()
    assert body["month"] == "2026-05" and body["published"] is not None


def test_a_page_past_the_last_is_empty_not_an_error(client_for, manager, published):
    body = client_for(manager).get(CASES, {"month": "2026-05", "unit": "sh-finance", "page": "2"}).json()
    assert body["page"] == 2 and body["published"]["results"] == [] and body["published"]["pages"] == 1


def test_reading_them_costs_the_same_queries_however_many_cases(
    client_for, manager, published, xuhui_commissioner, pudong_commissioner, django_assert_max_num_queries
):
    client = client_for(manager)
    query = {"month": "2026-05", "kind": "bureau", "unit": "sh-science-technology"}
    # The token's user, the snapshot, the live sums, the units' names; for the cases the snapshot's
    # cases, the live cases, which the reader may see, and their rows.
    with django_assert_max_num_queries(6):
        assert client.get(PUBLISHED, query).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(CASES, query).status_code == 200
    build_may(xuhui_commissioner, pudong_commissioner)
    with django_assert_max_num_queries(6):
        assert client.get(PUBLISHED, query).status_code == 200
    with django_assert_max_num_queries(8):
        body = client.get(CASES, query).json()
    assert body["live"]["counted"] == 2 * body["published"]["counted"]


def test_the_live_rankings_rank_measures_as_well(client_for, manager, may):
    body = client_for(manager).get("/api/dashboard/rankings/", {"from": "2026-05", "to": "2026-05"}).json()
    measures = {row["code"]: row for row in body["measures"]}
    assert set(measures) == {"shanghai_2024-1", "shanghai_2024-3"}
    assert _fractions(measures["shanghai_2024-1"]) == ("2/3", "3/4", "2/3")
    assert (measures["shanghai_2024-3"]["rank"], measures["shanghai_2024-1"]["rank"]) == (1, 2)
    assert measures["shanghai_2024-3"]["id"] == may.measure_3


def test_the_index_lists_them(client_for, manager):
    body = client_for(manager).get("/api/dashboard/").json()
    assert body["published_rankings"].endswith(PUBLISHED)
    assert body["ranking_cases"].endswith(CASES)


def test_the_admin_shows_published_rankings_and_changes_none(client, administrator, published):
    client.force_login(administrator)
    assert client.get("/admin/dashboards/publishedranking/").status_code == 200
    pk = PublishedRanking.objects.first().pk
    assert client.get(f"/admin/dashboards/publishedranking/{pk}/change/").status_code == 200
    assert client.get("/admin/dashboards/publishedranking/add/").status_code == 403
    assert client.post(f"/admin/dashboards/publishedranking/{pk}/delete/").status_code == 403
    assert client.get("/admin/dashboards/publishedrankingcases/").status_code == 200
