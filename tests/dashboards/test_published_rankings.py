"""Publishing a month's rankings: what is frozen, that it stays frozen, and the month-end job."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from cases.models import Assignment, Case
from config.celery import app
from dashboards import services
from dashboards.case_figures import RANK_KEYS, rankings
from dashboards.filters import FigureFilters
from dashboards.models import PublishedRanking, PublishedRankingCases, UnitKind
from dashboards.periods import Period
from dashboards.published import cases_behind
from dashboards.tasks import publish_rankings
from tests.concurrency import race
from tests.factories import bureau, shanghai_measure

from .published_data import APRIL, MAY, at, build_may

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The lock, what is done already, the sums of every kind in one query, the units' names (three),
# the cases behind them (three), two bulk inserts, and the test transaction's savepoint around it.
PUBLISH_QUERIES = 13
MAY_PERIOD = Period(first_month=MAY, last_month=MAY)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def may(xuhui_commissioner, pudong_commissioner):
    return build_may(xuhui_commissioner, pudong_commissioner)


def ranking(kind: str, rank_by: str = "score", month: datetime.date = MAY) -> PublishedRanking:
    return PublishedRanking.objects.get(month=month, unit_kind=kind, rank_by=rank_by)


def rows_by_id(kind: str, rank_by: str = "score") -> dict[int, dict]:
    return {row["id"]: row for row in ranking(kind, rank_by).rows}


def frozen_cases(kind: str, unit_id: int, rank_by: str = "score") -> tuple[set, set]:
    row = PublishedRankingCases.objects.get(ranking=ranking(kind, rank_by), unit_id=unit_id)
    return set(row.response_case_ids), set(row.callback_case_ids)


def counts(row: dict) -> tuple:
    return tuple(
        (row[rate]["numerator"], row[rate]["denominator"])
        for rate in ("response", "resolution", "satisfaction")
    )


def test_publishing_freezes_every_kind_by_every_rule_with_the_hand_counted_figures(may):
    assert services.publish_month_rankings(month=MAY) == len(UnitKind.values) * len(RANK_KEYS) == 12

    bureaus = ranking(UnitKind.BUREAU).rows
    # fin: response 2 of 3 (B, C on time; D returned), call-back C resolved and satisfied.
    # sci: response 1 of 2 (A on time, B late; D released before acting is left out);
    #      call-backs A, B, E, F: 3 resolved of 4; satisfaction asked of A, B, E: 2 of 3.
    assert [(row["rank"], row["code"], counts(row), row["score"]) for row in bureaus] == [
        (1, "sh-finance", ((2, 3), (1, 1), (1, 1)), 0.8889),
        (2, "sh-science-technology", ((1, 2), (3, 4), (2, 3)), 0.6389),
    ]
    assert bureaus[0]["returns"] == 1
    assert (
        bureaus[0]["name_zh"] == "市财政局" and bureaus[0]["name_en"] == "Shanghai Municipal Finance Bureau"
    )

    districts = rows_by_id(UnitKind.DISTRICT)
    assert len(districts) == 16  # every district, those without data unranked
    assert (districts[may.pudong]["rank"], counts(districts[may.pudong])) == (1, ((1, 2), (1, 1), (1, 1)))
    assert (districts[may.xuhui]["rank"], counts(districts[may.xuhui])) == (2, ((2, 3), (3, 4), (2, 3)))
    assert sum(row["rank"] is None for row in districts.values()) == 14

    # The three rates per measure: Measure 1 is Xuhui's cases, Measure 3 Pudong's.
    measures = rows_by_id(UnitKind.MEASURE)
    assert set(measures) == {may.measure_1, may.measure_3}
    assert counts(measures[may.measure_1]) == counts(districts[may.xuhui])
    assert counts(measures[may.measure_3]) == counts(districts[may.pudong])
    assert measures[may.measure_3]["code"] == "shanghai_2024-3"

    frozen = ranking(UnitKind.BUREAU)
    assert frozen.published_by is None
    assert "mean" in frozen.rule_en and "平均" in frozen.rule_zh
    assert "response rate" in ranking(UnitKind.BUREAU, "response").rule_en


@pytest.mark.parametrize("rank_by", RANK_KEYS)
def test_a_published_ranking_is_the_live_ranking_of_that_month_for_the_city(may, rank_by):
    services.publish_month_rankings(month=MAY)
    live = rankings(period=MAY_PERIOD, filters=FigureFilters(), rank_by=rank_by)

    for kind, key in (
        (UnitKind.BUREAU, "bureaus"),
        (UnitKind.DISTRICT, "districts"),
        (UnitKind.MEASURE, "measures"),
    ):
        published = {
            row["id"]: (row["rank"], counts(row), row["score"]) for row in ranking(kind, rank_by).rows
        }
        assert published == {row["id"]: (row["rank"], counts(row), row["score"]) for row in live[key]}, kind


def test_the_cases_behind_each_unit_are_those_its_figures_count(may):
    services.publish_month_rankings(month=MAY)

    # Response: the cases of the assignments dispatched in May; call-backs made in May, Shanghai time
    # (F at 23:30 on 31 May is May's; G at 00:10 on 1 June is June's though still 31 May in UTC).
    assert frozen_cases(UnitKind.BUREAU, may.sci) == (may.ids("AB"), may.ids("ABEF"))
    assert frozen_cases(UnitKind.BUREAU, may.fin) == (may.ids("BCD"), may.ids("C"))
    assert frozen_cases(UnitKind.DISTRICT, may.xuhui) == (may.ids("AB"), may.ids("ABEF"))
    assert frozen_cases(UnitKind.DISTRICT, may.pudong) == (may.ids("CD"), may.ids("C"))
    assert frozen_cases(UnitKind.MEASURE, may.measure_1) == (may.ids("AB"), may.ids("ABEF"))
    # Every rule of a kind keeps the same cases; a district with no data keeps none.
    assert frozen_cases(UnitKind.BUREAU, may.sci, "satisfaction") == frozen_cases(UnitKind.BUREAU, may.sci)
    huangpu = next(row["id"] for row in ranking(UnitKind.DISTRICT).rows if row["code"] == "huangpu")
    assert frozen_cases(UnitKind.DISTRICT, huangpu) == (set(), set())
    # June's call-back (G) stands behind June's figures.
    assert cases_behind(month=datetime.date(2026, 6, 1), kind=UnitKind.BUREAU)[may.sci][
        "callback"
    ] == may.ids("G")


def test_each_units_call_back_cases_are_as_many_as_its_call_backs(may):
    """The lists and the figures agree however the cases lie: one call-back a case, and a response
    case for each unit that counted one of its assignments."""
    services.publish_month_rankings(month=MAY)
    for kind in UnitKind.values:
        for row in ranking(kind).rows:
            response, callbacks = frozen_cases(kind, row["id"])
            assert len(callbacks) == row["resolution"]["denominator"], (kind, row["code"])
            assert len(response) <= row["response"]["denominator"]
            assert bool(response) == bool(row["response"]["denominator"])


def test_a_later_change_to_an_old_case_moves_the_live_ranking_but_not_the_published_one(may):
    with time_machine.travel(datetime.datetime(2026, 6, 1, 0, 40, tzinfo=SHANGHAI), tick=False):
        services.publish_month_rankings(month=MAY)
    before = {kind: ranking(kind).rows for kind in UnitKind.values}
    before_cases = frozen_cases(UnitKind.BUREAU, may.sci)

    # In June: B's call-back is redone (resolved, satisfied) and F's call-back is found to be June's.
    Case.objects.filter(pk=may.cases["B"].pk).update(
        callback_resolved=True, callback_satisfaction="satisfied"
    )
    Case.objects.filter(pk=may.cases["F"].pk).update(callback_at=at("2026-06-02T10:00"))

    live = {row["code"]: row for row in rankings(period=MAY_PERIOD, filters=FigureFilters())["bureaus"]}
    assert counts(live["sh-science-technology"]) == ((1, 2), (3, 3), (3, 3))
    assert cases_behind(month=MAY, kind=UnitKind.BUREAU)[may.sci]["callback"] == may.ids("ABE")
    # The published month is as it was, figures and cases.
    assert {kind: ranking(kind).rows for kind in UnitKind.values} == before
    assert frozen_cases(UnitKind.BUREAU, may.sci) == before_cases
    # Publishing again changes nothing either.
    assert services.publish_month_rankings(month=MAY) == 0
    assert ranking(UnitKind.BUREAU).rows == before[UnitKind.BUREAU]


def test_publishing_again_creates_nothing(may):
    assert services.publish_month_rankings(month=MAY) == 12
    assert services.publish_month_rankings(month=datetime.date(2026, 5, 17)) == 0
    assert PublishedRanking.objects.count() == 12
    assert PublishedRankingCases.objects.count() == 4 * (2 + 16 + 2)


def test_publishing_takes_the_same_few_queries_however_many_cases_and_units(
    may, xuhui_commissioner, pudong_commissioner, django_assert_max_num_queries
):
    # April: one case (E). Bounded, not one query per unit or per ranking.
    with django_assert_max_num_queries(PUBLISH_QUERIES):
        assert services.publish_month_rankings(month=APRIL) == 12
    # May with twice the cases, over more measures and another bureau: the same queries.
    more = build_may(xuhui_commissioner, pudong_commissioner)
    Case.objects.filter(pk__in=more.ids("ABF")).update(measure=shanghai_measure(5))
    Assignment.objects.filter(case_id__in=more.ids("C")).update(bureau=bureau("sh-commerce"))
    with django_assert_max_num_queries(PUBLISH_QUERIES):
        assert services.publish_month_rankings(month=MAY) == 12
    assert len(ranking(UnitKind.MEASURE).rows) == 3 and len(ranking(UnitKind.BUREAU).rows) == 3
    # A month published already: the lock and one look.
    with django_assert_max_num_queries(4):
        assert services.publish_month_rankings(month=MAY) == 0


def _refused(statement: str) -> None:
    with pytest.raises(DatabaseError) as refusal, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert "Cannot update or delete rows" in str(refusal.value)


@pytest.mark.parametrize("table", ["dashboards_publishedranking", "dashboards_publishedrankingcases"])
def test_the_database_refuses_to_change_or_remove_a_published_ranking(may, table):
    services.publish_month_rankings(month=MAY)
    column = "rows = '[]'" if table == "dashboards_publishedranking" else "callback_case_ids = '{}'"
    _refused(f"UPDATE {table} SET {column}")
    _refused(f"DELETE FROM {table}")
    assert PublishedRankingCases.objects.count() == 80


def test_the_application_refuses_too(may):
    services.publish_month_rankings(month=MAY)
    frozen = ranking(UnitKind.BUREAU)
    with pytest.raises(ValueError, match="frozen"):
        frozen.save()
    with pytest.raises(ValueError, match="frozen"):
        frozen.delete()
    with pytest.raises(ValueError, match="append-only"):
        PublishedRanking.objects.filter(pk=frozen.pk).update(rows=[])
    with pytest.raises(ValueError, match="append-only"):
        PublishedRankingCases.objects.all().delete()


# --- The month-end job --------------------------------------------------------------------------


def test_the_job_is_a_registered_task_on_the_daily_beat():
    entry = app.conf.beat_schedule["publish-rankings"]
    assert entry["task"] == "dashboards.tasks.publish_rankings"
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {0} and entry["schedule"].day_of_month == set(range(1, 32))


def _run_job_at(moment: datetime.datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return publish_rankings()


def test_on_the_first_the_job_freezes_the_month_just_ended_in_shanghai(may):
    # 23:59 on 31 May in Shanghai: May has not ended; April (E's assignment) is caught up.
    assert _run_job_at(datetime.datetime(2026, 5, 31, 23, 59, tzinfo=SHANGHAI)) == 12
    assert set(PublishedRanking.objects.values_list("month", flat=True)) == {APRIL}

    # 00:40 on 1 June in Shanghai, still 31 May in UTC: May has ended.
    moment = datetime.datetime(2026, 6, 1, 0, 40, tzinfo=SHANGHAI)
    assert moment.astimezone(datetime.UTC).day == 31
    assert _run_job_at(moment) == 12
    assert set(PublishedRanking.objects.values_list("month", flat=True)) == {APRIL, MAY}
    assert frozen_cases(UnitKind.BUREAU, may.sci)[1] == may.ids("ABEF")

    # Every later day of June: nothing to do.
    assert _run_job_at(datetime.datetime(2026, 6, 2, 0, 40, tzinfo=SHANGHAI)) == 0


def test_the_job_publishes_the_month_just_ended_even_without_cases_and_catches_up_a_year(may):
    # An outage: the job first runs on 1 May 2027. May and June 2026 (G's call-back) are among the
    # twelve months up to April 2027: caught up; the months without cases are not, except April
    # 2027, the month just ended. April 2026 is thirteen months back: outside the window.
    _run_job_at(datetime.datetime(2027, 5, 1, 0, 40, tzinfo=SHANGHAI))
    published = set(PublishedRanking.objects.values_list("month", flat=True))
    assert published == {MAY, datetime.date(2026, 6, 1), datetime.date(2027, 4, 1)}
    assert ranking(UnitKind.DISTRICT, month=datetime.date(2027, 4, 1)).rows[0]["rank"] is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_publishers_at_once_freeze_the_month_once(xuhui_commissioner, pudong_commissioner):
    build_may(xuhui_commissioner, pudong_commissioner)
    frozen = {}

    def publish(name):
        def move():
            frozen[name] = services.publish_month_rankings(month=MAY)

        return move

    outcomes = race(first=publish("first"), second=publish("second"), third=publish("third"))

    assert set(outcomes.values()) == {"ok"}, outcomes
    assert sorted(frozen.values()) == [0, 0, 12]
    assert PublishedRanking.objects.filter(month=MAY).count() == 12
    assert PublishedRankingCases.objects.count() == 80
