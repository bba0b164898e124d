"""The case figures on a data set whose answers were worked out by hand, and the summary tables
checked against a rebuild from scratch after random series of moves."""

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils import translation

from cases import services
from cases.figures import FOLDED_DUE_ON, fold_past_due_days, rebuild_case_figures
from cases.models import FIGURE_COUNTS, GRAIN_COLUMNS, Assignment, Case
from cases.services import workflow
from commissioners.models import Role
from dashboards.case_figures import case_figures, percentile, rankings
from dashboards.filters import FigureFilters
from dashboards.periods import Period
from tests.factories import UserFactory, bureau, district, shanghai_measure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


SHANGHAI = ZoneInfo("Asia/Shanghai")
JUNE_2025 = Period(first_month=date(2025, 6, 1), last_month=date(2025, 6, 1))


def on(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def people(xuhui_commissioner, city_commissioner, science_staff, finance_staff):
    return {
        "district": xuhui_commissioner,
        "city": city_commissioner,
        "lead": science_staff,
        "co": finance_staff,
    }


def _log(people, centre, *, day: date, measure_number: int = 1) -> Case:
    with on(day):
        return workflow.case_submit(
            actor=people["district"],
            centre=centre,
            measure=shanghai_measure(measure_number),
            title="Programme funding is late",
            description="The grant was approved in March and has not arrived.",
        )


def _dispatched(people, centre, *, day: date) -> Case:
    case = _log(people, centre, day=day)
    with on(day):
        return workflow.case_dispatch(
            case=case,
            actor=people["city"],
            lead_bureau=bureau("sh-science-technology"),
            co_bureaus=[bureau("sh-finance")],
        )


def _answer(people, case: Case, day: date) -> Case:
    # The co-handlers' figures are what these cases are about, not their contributions: the lead
    # answers as one may once a co-handler's contribution deadline has passed.
    Assignment.objects.filter(case=case, is_lead=False, status__in=["pending", "accepted"]).update(
        contribute_due_on=day - timedelta(days=1)
    )
    with on(day):
        return workflow.case_answer(
            case=case, actor=people["lead"], answer_text="Paid.", answer_outcome="solved"
        )


def _callback(people, case: Case, day: date, *, resolved: bool, satisfaction: str) -> Case:
    with on(day):
        return workflow.case_record_callback(
            case=case, actor=people["district"], resolved=resolved, satisfaction=satisfaction
        )


@pytest.fixture
def june(people, xuhui_centre):
    """Five Xuhui cases of June 2025 (Measure 1: 市科委 leads, 市财政局 co-handles).

    Dispatched Monday 9 June, accept by Wednesday 11 June:
    A  lead accepts 9th, co accepts 10th; answered 16th; call-back 18th resolved, satisfied → closed
    B  lead accepts 13th (late), co never; answered 20th; call-back 23rd unresolved → reopened
    C  lead returns it on the 10th as misrouted (the co-handler's assignment is released)
    D  logged, never dispatched
    E  lead accepts 9th, co never; answered 12th; call-back 13th resolved, basically satisfied → closed
    """
    monday = date(2025, 6, 9)
    a = _dispatched(people, xuhui_centre, day=monday)
    b = _dispatched(people, xuhui_centre, day=monday)
    c = _dispatched(people, xuhui_centre, day=monday)
    _log(people, xuhui_centre, day=monday)
    e = _dispatched(people, xuhui_centre, day=monday)
    with on(monday):
        workflow.case_accept(case=a, actor=people["lead"])
        workflow.case_accept(case=e, actor=people["lead"])
    with on(date(2025, 6, 10)):
        workflow.case_accept_assignment(case=a, actor=people["co"])
        workflow.case_return(case=c, actor=people["lead"], reason="This is a customs matter.")
    with on(date(2025, 6, 13)):
        workflow.case_accept(case=b, actor=people["lead"])
    _answer(people, e, date(2025, 6, 12))
    _callback(people, e, date(2025, 6, 13), resolved=True, satisfaction="basically_satisfied")
    _answer(people, a, date(2025, 6, 16))
    _callback(people, a, date(2025, 6, 18), resolved=True, satisfaction="satisfied")
    _answer(people, b, date(2025, 6, 20))
    _callback(people, b, date(2025, 6, 23), resolved=False, satisfaction="unsatisfied")


def _rate(numerator, denominator, display):
    return {
        "numerator": numerator,
        "denominator": denominator,
        "rate": round(numerator / denominator, 4),
        "display": display,
    }


def test_the_three_rates_match_the_hand_count(june):
    figures = case_figures(period=JUNE_2025, filters=FigureFilters())

    # Assignments: A lead and co on time; B lead late, B co pending; C lead returned (C's co-handler
    # was released before acting: left out); E lead on time, E co pending → 3 of 7.
    assert figures["rates"]["response"] == _rate(3, 7, "42.9%")
    # Call-backs: A resolved, B not, E resolved → 2 of 3.
    assert figures["rates"]["resolution"] == _rate(2, 3, "66.7%")
    # Satisfied (A) and basically satisfied (E) among the three asked → 2 of 3.
    assert figures["rates"]["satisfaction"] == _rate(2, 3, "66.7%")


def test_timeliness_volume_and_durations_match_the_hand_count(june):
    figures = case_figures(period=JUNE_2025, filters=FigureFilters(), today=date(2025, 6, 30))

    timeliness = figures["timeliness"]
    # B's answer was taken back by the reopening: A and E stand, both within 15 working days.
    assert timeliness["answered"] == 2
    assert timeliness["answered_on_time"] == _rate(2, 2, "100.0%")
    assert timeliness["reopen"]["numerator"] == 0
    assert timeliness["returns"] == 1
    assert timeliness["overdue_now"] == 0
    volume = figures["volume"]
    assert volume["logged"] == 5
    states = {row["state"]: row["count"] for row in volume["by_state"]}
    assert states == {
        "submitted": 2,  # C (back at triage) and D
        "dispatched": 0,
        "in_progress": 1,  # B
        "answered": 0,
        "closed": 2,  # A and E
        "referred_up": 0,
        "withdrawn": 0,
    }
    assert [(row["code"], row["count"]) for row in volume["by_district"]] == [("xuhui", 5)]
    assert [(row["id"], row["count"]) for row in volume["by_measure"]] == [(shanghai_measure(1).id, 5)]
    # Days from logging (9th) to answer: E 3, A 7; to closing: E 4, A 9.
    assert figures["durations"]["answer_days"] == {"count": 2, "median": 5.0, "p90": 6.6}
    assert figures["durations"]["close_days"] == {"count": 2, "median": 6.5, "p90": 8.5}
    assert figures["trend"][0]["month"] == "2025-06"
    assert figures["trend"][0]["logged"] == 5


def test_overdue_now_counts_open_cases_past_their_current_deadline(june):
    # B was reopened on 23 June with 15 working days to answer again.
    b_due = Case.objects.get(state="in_progress").answer_due_on
    assert (
        case_figures(period=JUNE_2025, filters=FigureFilters(), today=b_due)["timeliness"]["overdue_now"] == 0
    )
    later = date(b_due.year, b_due.month, b_due.day + 1)
    assert (
        case_figures(period=JUNE_2025, filters=FigureFilters(), today=later)["timeliness"]["overdue_now"] == 1
    )


def test_a_bureau_filter_counts_its_assignments_and_the_cases_it_leads(june):
    finance = FigureFilters(bureau_id=bureau("sh-finance").pk)
    figures = case_figures(period=JUNE_2025, filters=finance)

    # 市财政局 co-handles A (accepted on time), B and E (never accepted); it leads nothing.
    assert figures["rates"]["response"] == _rate(1, 3, "33.3%")
    assert figures["rates"]["resolution"]["rate"] is None
    assert figures["rates"]["resolution"]["display"] == "no data"
    assert figures["volume"]["logged"] == 0


def test_an_empty_period_shows_no_data_not_a_percentage(june):
    empty = Period(first_month=date(2024, 1, 1), last_month=date(2024, 2, 1))
    figures = case_figures(period=empty, filters=FigureFilters())

    for rate in figures["rates"].values():
        assert rate == {"numerator": 0, "denominator": 0, "rate": None, "display": "no data"}
    assert figures["durations"]["answer_days"] == {"count": 0, "median": None, "p90": None}
    assert [month["month"] for month in figures["trend"]] == ["2024-01", "2024-02"]


def test_the_ranking_orders_bureaus_by_the_mean_of_their_rates(june):
    ranked = rankings(period=JUNE_2025, filters=FigureFilters())

    bureaus = [(row["rank"], row["code"], row["score"]) for row in ranked["bureaus"]]
    # 市科委: response 2/4 (A, E on time; B late; C returned), resolution 2/3, satisfaction 2/3.
    # 市财政局: response 1/3 and nothing else.
    assert bureaus == [
        (1, "sh-science-technology", round((1 / 2 + 2 / 3 + 2 / 3) / 3, 4)),
        (2, "sh-finance", 0.3333),
    ]
    assert ranked["bureaus"][0]["returns"] == 1
    assert "mean" in ranked["rule"]
    xuhui = next(row for row in ranked["districts"] if row["code"] == "xuhui")
    assert xuhui["rank"] == 1
    # Districts without data are listed unranked, after the ranked ones.
    assert all(row["rank"] is None for row in ranked["districts"][1:])


def test_ranking_by_one_rate_says_so(june):
    ranked = rankings(period=JUNE_2025, filters=FigureFilters(), rank_by="response")
    assert [row["code"] for row in ranked["bureaus"]] == ["sh-science-technology", "sh-finance"]
    assert "response rate" in ranked["rule"]


def test_equal_scores_share_a_rank():
    from dashboards.case_figures import rank_units

    def unit(label, rate):
        value = {"numerator": 1, "denominator": 2, "rate": rate, "display": ""}
        return {"label": label, "score": rate, "response": value}

    ranked = rank_units([unit("b", 0.5), unit("a", 0.5), unit("c", 0.9), unit("d", None)], "score")
    assert [(row["label"], row["rank"]) for row in ranked] == [("c", 1), ("a", 2), ("b", 2), ("d", None)]


def test_percentile_interpolates_like_percentile_cont():
    assert percentile({}, 0.5) is None
    assert percentile({4: 1}, 0.9) == 4
    # Days 1, 2, 2, 10: the median lies halfway between the 2s, p90 at 0.7 of the way from 2 to 10.
    assert percentile({1: 1, 2: 2, 10: 1}, 0.5) == 2.0
    assert percentile({1: 1, 2: 2, 10: 1}, 0.9) == 7.6


def test_reading_the_figures_costs_the_same_queries_however_many_cases(
    june, people, xuhui_centre, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        case_figures(period=JUNE_2025, filters=FigureFilters())
    for _ in range(5):
        _dispatched(people, xuhui_centre, day=date(2025, 6, 9))
    with django_assert_max_num_queries(6):
        case_figures(period=JUNE_2025, filters=FigureFilters())
    with django_assert_max_num_queries(6):
        rankings(period=JUNE_2025, filters=FigureFilters())


# --- The summaries stay exact -------------------------------------------------------------------


_KEYS = ("grain", "month", "district_id", "measure_id", "bureau_id", "urgency")


def _summary_rows(cursor, sql: str) -> set:
    """Summary rows as comparable tuples, with all-zero rows and trailing empty histogram days left out."""
    cursor.execute(sql)
    columns = [column.name for column in cursor.description]
    rows = set()
    for values in cursor.fetchall():
        row = dict(zip(columns, values, strict=True))
        row.pop("id", None)
        for histogram in ("answer_days", "close_days"):
            days = list(row[histogram])
            while days and days[-1] == 0:
                days.pop()
            row[histogram] = tuple(days)
        if any(v for k, v in row.items() if k not in _KEYS):
            rows.add(tuple(sorted(row.items())))
    return rows


def _rollup_by_definition(grain: str) -> str:
    """A rollup grain computed from the monthly table: what the maintained rollup must equal."""
    kept = sorted(GRAIN_COLUMNS[grain])
    keys = [c if c in kept else f"0 AS {c}" for c in ("district_id", "measure_id", "bureau_id", "urgency")]
    sums = ", ".join(f"sum({c})::int AS {c}" for c in FIGURE_COUNTS)
    return (
        f"SELECT '{grain}' AS grain, month, {', '.join(keys)}, {sums}, "
        "cases_figure_hist_sum(answer_days) AS answer_days, cases_figure_hist_sum(close_days) AS close_days "
        f"FROM cases_casefiguremonth GROUP BY {', '.join(['month', *kept])}"
    )


def _summaries() -> tuple[set, set, set]:
    """The summary tables' content: the monthly table, its rollups, and the open cases by due date."""
    with connection.cursor() as cursor:
        months = _summary_rows(cursor, "SELECT * FROM cases_casefiguremonth")
        rollups = _summary_rows(cursor, "SELECT * FROM cases_casefigurerollup")
        cursor.execute(
            "SELECT due_on, district_id, measure_id, bureau_id, urgency, open_cases "
            "FROM cases_opencasedue WHERE open_cases <> 0"
        )
        due = set(cursor.fetchall())
    return months, rollups, due


def _rollups_by_definition() -> set:
    with connection.cursor() as cursor:
        return set().union(*(_summary_rows(cursor, _rollup_by_definition(grain)) for grain in GRAIN_COLUMNS))


def _random_move(rng: random.Random, case: Case, people, staff: dict, bureaus: list) -> None:
    """One move the case's state allows, chosen at random; every kind of write a figure reads."""
    lead = staff.get(case.lead_bureau_id)
    choice = rng.randrange(8)
    if choice == 7 and case.state in ("submitted", "dispatched", "in_progress"):
        workflow.case_withdraw(case=case, actor=people["district"], reason="Solved itself.")
    elif case.state == "submitted" and case.return_pending:
        workflow.case_rule_return(case=case, actor=people["city"], upheld=rng.random() < 0.5, reason="Ruled.")
    elif case.state == "submitted" and choice == 0:
        measure = shanghai_measure(rng.choice([1, 3, 7]))
        workflow.case_edit(case=case, actor=people["district"], measure=measure)
    elif case.state == "submitted":
        first, second = rng.sample(bureaus, 2)
        workflow.case_dispatch(
            case=case,
            actor=people["city"],
            lead_bureau=first,
            co_bureaus=[second],
            override_reason="Spread it.",
        )
    elif case.state == "dispatched" and choice == 0:
        workflow.case_return(case=case, actor=lead, reason="Misrouted.")
    elif case.state == "dispatched" and choice == 1:
        workflow.case_edit(case=case, actor=people["district"], urgency=rng.choice(["normal", "urgent"]))
    elif case.state == "dispatched":
        workflow.case_accept(case=case, actor=lead)
        co = case.assignments.filter(is_current=True, is_lead=False).first()
        if co and rng.random() < 0.5:
            workflow.case_accept_assignment(case=case, actor=staff[co.bureau_id])
    elif case.state == "in_progress" and choice == 0 and not case.has_pending_extension():
        services.case_request_extension(case=case, actor=lead, working_days=3, reason="Waiting.")
        approve = rng.random() < 0.7
        services.case_decide_extension(case=case, actor=people["city"], approve=approve, note="Decided.")
    elif case.state == "in_progress" and choice == 1 and not case.is_supervised:
        services.case_supervise(case=case, actor=people["city"], note="Watch this.")
    elif case.state == "in_progress":
        # The lead answers once every co-handler has given its part.
        for co in case.assignments.filter(is_current=True, is_lead=False):
            if co.status == "pending":
                workflow.case_accept_assignment(case=case, actor=staff[co.bureau_id])
            if co.status != "contributed":
                workflow.case_contribute(case=case, actor=staff[co.bureau_id], contribution="Our part.")
        workflow.case_answer(case=case, actor=lead, answer_text="Done.", answer_outcome="solved")
    elif case.state == "answered":
        workflow.case_record_callback(
            case=case,
            actor=people["district"],
            resolved=rng.random() < 0.7,
            satisfaction=rng.choice(["satisfied", "basically_satisfied", "unsatisfied"]),
        )


def _random_moves(rng: random.Random, people, centres, steps: int) -> None:
    bureaus = [bureau("sh-science-technology"), bureau("sh-finance"), bureau("sh-customs")]
    staff = {b.pk: UserFactory(role=Role.BUREAU_STAFF, bureau=b) for b in bureaus}
    day = date(2025, 5, 5)
    for _step in range(steps):
        day = date.fromordinal(day.toordinal() + rng.choice([0, 1, 2]))
        # 23:00 in Shanghai is another day in UTC: the figures must count Shanghai's days.
        with on(day, hour=rng.choice([9, 23])):
            open_ids = list(
                Case.objects.exclude(state__in=["closed", "withdrawn"]).values_list("pk", flat=True)
            )
            if len(open_ids) < 3 or rng.random() < 0.1:
                workflow.case_submit(
                    actor=people["district"],
                    centre=rng.choice(centres),
                    measure=shanghai_measure(rng.choice([1, 3, 7])),
                    title="A difficulty",
                    description="Described.",
                    urgency=rng.choice(["normal", "urgent"]),
                )
            else:
                _random_move(rng, Case.objects.get(pk=rng.choice(sorted(open_ids))), people, staff, bureaus)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summaries_equal_a_rebuild_from_scratch_after_random_moves(seed, people, xuhui_centre):
    from tests.factories import CentreFactory

    other = CentreFactory(district=district("xuhui"), commissioner=people["district"])
    _random_moves(random.Random(seed), people, [xuhui_centre, other], steps=100)
    assert Case.objects.exclude(state="submitted").exists()

    maintained = _summaries()
    # Each rollup is the monthly table summed over the dimensions it drops...
    assert maintained[1] == _rollups_by_definition()
    # ...and all of them equal the same figures summed from scratch.
    rebuild_case_figures()
    assert _summaries() == maintained
    assert maintained[0], "the moves produced figures"
    assert maintained[1], "the moves produced rolled-up figures"


def _overdue_everywhere(today: date) -> list:
    """Overdue now as every reader sees it: in all, per filter, and in the rankings."""
    seen = [case_figures(period=JUNE_2025, filters=FigureFilters(), today=today)["timeliness"]["overdue_now"]]
    for filters in (FigureFilters(urgency="urgent"), FigureFilters(district_id=district("xuhui").pk)):
        seen.append(case_figures(period=JUNE_2025, filters=filters, today=today)["timeliness"]["overdue_now"])
    ranked = rankings(period=JUNE_2025, filters=FigureFilters(), today=today)
    seen.append(
        sorted((unit["code"], unit["overdue_now"]) for unit in ranked["bureaus"] + ranked["districts"])
    )
    return seen


@pytest.mark.parametrize("seed", [4, 5])
def test_folding_past_days_changes_no_figure_and_moves_after_it_count(seed, people, xuhui_centre):
    from tests.factories import CentreFactory

    other = CentreFactory(district=district("xuhui"), commissioner=people["district"])
    _random_moves(random.Random(seed), people, [xuhui_centre, other], steps=60)
    today = date(2025, 7, 20)
    before = _overdue_everywhere(today)
    assert before[0] > 0, "some cases wait past their deadline"

    assert fold_past_due_days(today=today) > 0
    fold_past_due_days(today=today)  # idempotent

    assert _overdue_everywhere(today) == before
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM cases_opencasedue WHERE due_on < %s AND due_on <> %s",
            [today, FOLDED_DUE_ON],
        )
        assert cursor.fetchone()[0] == 0
    # Moves after the fold take cases off folded days and put others on: the figures stay exact.
    _random_moves(random.Random(seed + 10), people, [xuhui_centre, other], steps=40)
    later = date(2025, 9, 1)
    maintained = _overdue_everywhere(later)
    rebuild_case_figures()
    assert _overdue_everywhere(later) == maintained


def test_every_read_through_a_rollup_equals_the_same_read_of_the_monthly_table(
    people, xuhui_centre, monkeypatch
):
    """Each filter and grouping is served by a rollup only where the rollup keeps its columns: the
    figures read that way must be the ones the monthly table gives."""
    from django.test.utils import CaptureQueriesContext

    from dashboards import case_figures as figures_module
    from tests.factories import CentreFactory

    other = CentreFactory(district=district("xuhui"), commissioner=people["district"])
    _random_moves(random.Random(7), people, [xuhui_centre, other], steps=80)
    period = Period(first_month=date(2025, 5, 1), last_month=date(2025, 9, 1))
    today = date(2025, 8, 1)
    all_filters = [
        FigureFilters(),
        FigureFilters(district_id=district("xuhui").pk),
        FigureFilters(measure_id=shanghai_measure(3).pk),
        FigureFilters(urgency="urgent"),
        FigureFilters(bureau_id=bureau("sh-finance").pk),
        FigureFilters(district_id=district("xuhui").pk, measure_id=shanghai_measure(7).pk, urgency="normal"),
        FigureFilters(bureau_id=bureau("sh-customs").pk, urgency="urgent"),
    ]

    def read_all() -> list:
        return [
            (
                case_figures(period=period, filters=filters, today=today),
                rankings(period=period, filters=filters, today=today),
            )
            for filters in all_filters
        ]

    with CaptureQueriesContext(connection) as queries:
        through_rollups = read_all()
    assert any("cases_casefigurerollup" in query["sql"] for query in queries.captured_queries)
    monkeypatch.setattr(figures_module, "GRAIN_COLUMNS", {})  # no rollup serves: the monthly table
    assert read_all() == through_rollups
    assert through_rollups[0][0]["volume"]["logged"] > 0
