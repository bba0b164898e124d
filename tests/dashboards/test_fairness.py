"""Fair figures on a month worked out by hand: returns as ruled, rates with and without the cases
excluded on appeal, the call-backs' reach and the supervisions per bureau."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from cases import services
from commissioners.models import Role
from dashboards.fairness import fairness
from dashboards.filters import FigureFilters
from dashboards.periods import Period
from tests.factories import UserFactory, bureau, shanghai_measure

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
JUNE_2025 = Period(first_month=date(2025, 6, 1), last_month=date(2025, 6, 1))
MONDAY = date(2025, 6, 9)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(xuhui_commissioner, city_commissioner, science_staff, finance_staff):
    return {
        "district": xuhui_commissioner,
        "city": city_commissioner,
        "lead": science_staff,
        "co": finance_staff,
        "manager": UserFactory(role=Role.MANAGER),
    }


def _dispatched(people, centre, *, co: bool = False, confidential: bool = False):
    case = services.case_submit(
        actor=people["district"],
        centre=centre,
        measure=shanghai_measure(1),
        title="Programme funding is late",
        description="The grant was approved in March and has not arrived.",
        is_confidential=confidential,
    )
    return services.case_dispatch(
        case=case,
        actor=people["city"],
        lead_bureau=bureau("sh-science-technology"),
        co_bureaus=[bureau("sh-finance")] if co else [],
        override_reason="As the city decided.",
    )


@pytest.fixture
def june(people, xuhui_centre):
    """Four cases of 市科委 in June 2025:
    A: with 市财政局, supervised and replied on time, answered, reached and closed;
    B: returned, the return upheld; C: returned, the return rejected (not accepted since);
    D: accepted on time, excluded on the bureau's appeal, answered, one try that did not reach."""
    with time_machine.travel(datetime(2025, 6, 9, 10, tzinfo=SHANGHAI), tick=False):
        a = _dispatched(people, xuhui_centre, co=True)
        a = services.case_accept(case=a, actor=people["lead"])
        a = services.case_accept_assignment(case=a, actor=people["co"])
        a = services.case_supervise(case=a, actor=people["city"], note="The ministry asks.")
        a = services.case_reply_supervision(case=a, actor=people["lead"], reply="Paid on Friday.")
        a = services.case_contribute(case=a, actor=people["co"], contribution="Funds released.")
        a = services.case_answer(case=a, actor=people["lead"], answer_text="Paid.", answer_outcome="solved")
        services.case_record_callback(
            case=a, actor=people["district"], resolved=True, satisfaction="satisfied"
        )

        b = services.case_return(case=_dispatched(people, xuhui_centre), actor=people["lead"], reason="Tax.")
        services.case_rule_return(case=b, actor=people["city"], upheld=True, reason="A tax matter.")
        c = services.case_return(case=_dispatched(people, xuhui_centre), actor=people["lead"], reason="No.")
        services.case_rule_return(case=c, actor=people["city"], upheld=False, reason="Measure 1 is yours.")

        d = services.case_accept(case=_dispatched(people, xuhui_centre), actor=people["lead"])
        d = services.case_appeal(case=d, actor=people["lead"], reason="It asks for a change in the law.")
        d = services.case_decide_appeal(
            case=d, actor=people["city"], appeal_id=d.appeals.get().pk, upheld=True, reason="Agreed."
        )
        d = services.case_answer(
            case=d, actor=people["lead"], answer_text="Explained.", answer_outcome="explained"
        )
        services.case_record_callback(case=d, actor=people["district"], reached=False)
    return {"a": a, "b": b, "c": c, "d": d}


def _bureau(figures, code):
    return next(row for row in figures["bureaus"] if row["code"] == code)


def test_returns_are_counted_as_the_city_ruled(people, june):
    figures = fairness(user=people["manager"], period=JUNE_2025, filters=FigureFilters())
    science = _bureau(figures, "sh-science-technology")
    assert science["returns"] == {"returned": 2, "justified": 1, "unjustified": 1, "awaiting": 0}


def test_an_upheld_return_leaves_the_response_rate_and_an_excluded_case_is_left_out_when_asked(people, june):
    figures = fairness(user=people["manager"], period=JUNE_2025, filters=FigureFilters())
    science = _bureau(figures, "sh-science-technology")
    # A and D accepted on time; C's returned part and its part since (not accepted) count; B does not.
    assert (science["rates"]["response"]["numerator"], science["rates"]["response"]["denominator"]) == (2, 4)
    # Without D, excluded on appeal.
    without = science["rates_with_exclusions"]["response"]
    assert (without["numerator"], without["denominator"]) == (1, 3)
    assert science["excluded_assignments"] == 1
    # A was resolved and satisfied; D's try did not reach the centre, so no call-back counts for it.
    assert science["rates"]["resolution"]["numerator"] == 1
    assert figures["rates_with_exclusions"]["response"]["denominator"] == 4  # 3 of 市科委 and A's co-handler
    assert [row["case"] for row in figures["excluded_cases"]] == [june["d"].pk]
    assert figures["excluded_cases"][0]["reason"] == "It asks for a change in the law."


def test_the_reach_of_call_backs_and_the_supervisions_per_bureau(people, june):
    figures = fairness(user=people["manager"], period=JUNE_2025, filters=FigureFilters())
    assert (figures["callbacks_reached"]["numerator"], figures["callbacks_reached"]["denominator"]) == (1, 2)
    science = _bureau(figures, "sh-science-technology")
    assert science["supervisions"] == {"opened": 1, "replied": 1, "replied_on_time": 1, "escalated": 0}


def test_filters_narrow_every_figure(people, june):
    finance = fairness(
        user=people["manager"], period=JUNE_2025, filters=FigureFilters(bureau_id=bureau("sh-finance").pk)
    )
    assert [row["code"] for row in finance["bureaus"]] == ["sh-finance"]
    assert finance["excluded_cases"] == []
    july = fairness(
        user=people["manager"],
        period=Period(first_month=date(2025, 7, 1), last_month=date(2025, 7, 1)),
        filters=FigureFilters(),
    )
    assert july["bureaus"] == [] and july["callbacks_reached"]["denominator"] == 0


def test_the_figures_take_a_fixed_number_of_queries(people, june, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        fairness(user=people["manager"], period=JUNE_2025, filters=FigureFilters())


def test_the_api_gives_the_fair_figures_to_managers_only(people, june, client_for):
    url = "/api/dashboard/fairness/"
    body = client_for(people["manager"]).get(url, {"from": "2025-06", "to": "2025-06"})
    assert body.status_code == 200, body.content
    figures = body.json()
    assert (figures["period"]["from"], figures["period"]["to"]) == ("2025-06", "2025-06")
    assert [row["case"] for row in figures["excluded_cases"]] == [june["d"].pk]
    assert client_for(people["lead"]).get(url).status_code == 403
    bad = client_for(people["manager"]).get(url, {"from": "2025-13"})
    assert bad.status_code == 400
    assert client_for(people["manager"]).get(url, {"bureau": "no-such-bureau"}).status_code == 400


def test_a_districts_leadership_reads_its_own_district_only(people, june, client_for, pudong_centre):
    from tests.factories import district

    pudong_manager = UserFactory(role=Role.MANAGER, district=district("pudong"))
    figures = client_for(pudong_manager).get("/api/dashboard/fairness/", {"from": "2025-06", "to": "2025-06"})
    assert figures.status_code == 200
    body = figures.json()
    assert body["bureaus"] == [] and body["excluded_cases"] == []
