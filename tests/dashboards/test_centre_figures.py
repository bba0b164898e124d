"""The managers' figures on routine contact and assessments, checked against answers worked out by hand."""

import contextlib
import json
import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer

from assessments import services as assessments
from assessments.eligibility import RULES
from assessments.figures import rebuild_assessment_figures
from assessments.models import INDICATOR_FIELDS, Assessment, AssessmentCycle, AssessmentFigure, Finding
from centres.models import Centre, CentreType, ContactInterval, FollowUp, GuidanceClass
from commissioners.models import Role
from dashboards import centre_figures as figures
from dashboards.access import DashboardScope
from policies.models import Measure
from tests.factories import CentreFactory, UserFactory, bureau, district

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 20)
CITY = DashboardScope(district_id=None)
NO_DATA = {"numerator": 0, "denominator": 0, "rate": None, "display": "no data"}
S = Assessment.State
C = GuidanceClass


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def scope_of(code: str) -> DashboardScope:
    return DashboardScope(district_id=district(code).pk)


def rate(numerator: int, denominator: int, value: float, display: str) -> dict:
    return {"numerator": numerator, "denominator": denominator, "rate": value, "display": display}


# --- Routine contact -------------------------------------------------------------------------


def centre(commissioner=None, *, code="xuhui", days_ago=None, registered_days_ago=None, **fields) -> Centre:
    """A centre last contacted `days_ago`, or never contacted and registered `registered_days_ago`
    (at half past midnight in Shanghai, the evening before in UTC)."""
    made = CentreFactory(district=district(code), commissioner=commissioner, **fields)
    changes = {"last_contacted_on": None if days_ago is None else TODAY - timedelta(days=days_ago)}
    if registered_days_ago is not None:
        day = TODAY - timedelta(days=registered_days_ago)
        changes["created_at"] = datetime(day.year, day.month, day.day, 0, 30, tzinfo=SHANGHAI)
    Centre.objects.filter(pk=made.pk).update(**changes)
    return made


@pytest.fixture
def commissioners(xuhui_commissioner, pudong_commissioner):
    xuhui_commissioner.first_name, xuhui_commissioner.last_name = "Li", "Na"
    xuhui_commissioner.save()
    return xuhui_commissioner, pudong_commissioner


@pytest.fixture
def contacts(commissioners):
    """Xuhui: nine active centres, five overdue; Pudong: one, contacted. Intervals as loaded:
    90 days unclassified, 30 needing attention, 180 leading."""
    xuhui, pudong = commissioners
    centre(xuhui, days_ago=90)  # due today: covered
    centre(xuhui, days_ago=91)  # due yesterday: overdue
    centre(xuhui, days_ago=30, guidance_class=C.NEEDS_ATTENTION)  # covered
    centre(xuhui, days_ago=31, guidance_class=C.NEEDS_ATTENTION)  # overdue
    centre(xuhui, days_ago=180, guidance_class=C.LEADING)  # covered
    centre(xuhui, days_ago=181, guidance_class=C.LEADING)  # overdue
    # Never contacted: counted from registration, on Shanghai's calendar (in UTC the first
    # would have been registered 91 days ago, and so be overdue).
    centre(xuhui, registered_days_ago=90)  # covered
    centre(xuhui, registered_days_ago=91)  # overdue
    centre(None, days_ago=200)  # nobody's own centre, overdue: counted in Xuhui, on no commissioner's row
    centre(xuhui, days_ago=400, status=Centre.Status.CLOSED)  # closed: not counted at all
    centre(pudong, code="pudong", days_ago=10)  # covered


def test_contact_coverage_of_the_city(contacts, commissioners):
    xuhui, pudong = commissioners

    result = figures.contact_coverage(scope=CITY, today=TODAY)

    assert result["as_of"] == "2026-11-20"
    assert result["scope"] == {"district": None}
    assert result["coverage"] == rate(5, 10, 0.5, "50.0%")
    assert result["overdue_contacts"] == 5
    by_district = {row["code"]: row for row in result["by_district"]}
    assert len(result["by_district"]) == 16  # every district, even without centres
    assert by_district["xuhui"] == {
        "code": "xuhui",
        "label": "Xuhui",
        "coverage": rate(4, 9, 0.4444, "44.4%"),
        "overdue": 5,
    }
    assert by_district["pudong"]["coverage"] == rate(1, 1, 1.0, "100.0%")
    assert by_district["jingan"] == {"code": "jingan", "label": "Jing'an", "coverage": NO_DATA, "overdue": 0}
    assert result["by_commissioner"] == [
        {
            "id": xuhui.pk,
            "label": "Li Na",
            "district": "xuhui",
            "coverage": rate(4, 8, 0.5, "50.0%"),
            "overdue": 4,
        },
        {
            "id": pudong.pk,
            "label": "pudong",  # no name given: the username
            "district": "pudong",
            "coverage": rate(1, 1, 1.0, "100.0%"),
            "overdue": 0,
        },
    ]


def test_a_district_scope_hides_the_other_districts(contacts, commissioners):
    xuhui, _ = commissioners

    result = figures.contact_coverage(scope=scope_of("xuhui"), today=TODAY)

    assert result["scope"] == {"district": {"code": "xuhui", "label": "Xuhui"}}
    assert result["coverage"] == rate(4, 9, 0.4444, "44.4%")
    assert result["overdue_contacts"] == 5
    assert [row["code"] for row in result["by_district"]] == ["xuhui"]
    assert [row["id"] for row in result["by_commissioner"]] == [xuhui.pk]


def test_a_district_without_active_centres_has_no_data(contacts):
    centre(code="jingan", days_ago=500, status=Centre.Status.CLOSED)

    result = figures.contact_coverage(scope=scope_of("jingan"), today=TODAY)

    assert result["coverage"] == NO_DATA
    assert result["overdue_contacts"] == 0
    assert result["by_district"] == [
        {"code": "jingan", "label": "Jing'an", "coverage": NO_DATA, "overdue": 0}
    ]
    assert result["by_commissioner"] == []


def test_overdue_is_the_sweeps_rule_as_of_today_not_the_open_follow_ups(xuhui_commissioner):
    # Reclassified as needing attention (30 days) after its follow-up was opened for the
    # 90-day interval: overdue now, though its follow-up is not due for three weeks.
    reclassified = centre(xuhui_commissioner, days_ago=69, guidance_class=C.NEEDS_ATTENTION)
    FollowUp.objects.create(
        kind=FollowUp.Kind.CONTACT,
        centre=reclassified,
        assignee=xuhui_commissioner,
        due_on=TODAY + timedelta(21),
    )
    # Closed with its follow-up still open and long overdue: not a centre to contact any more.
    closed = centre(xuhui_commissioner, days_ago=300, status=Centre.Status.CLOSED)
    FollowUp.objects.create(
        kind=FollowUp.Kind.CONTACT, centre=closed, assignee=xuhui_commissioner, due_on=TODAY - timedelta(210)
    )

    result = figures.contact_coverage(scope=CITY, today=TODAY)

    assert result["overdue_contacts"] == 1
    assert result["coverage"] == rate(0, 1, 0.0, "0.0%")


def test_administrators_changing_an_interval_changes_coverage_at_once(xuhui_commissioner):
    centre(xuhui_commissioner, days_ago=100, guidance_class=C.LEADING)
    assert figures.contact_coverage(scope=CITY, today=TODAY)["overdue_contacts"] == 0

    ContactInterval.objects.filter(guidance_class=C.LEADING).update(days=99)
    assert figures.contact_coverage(scope=CITY, today=TODAY)["overdue_contacts"] == 1


def test_labels_follow_the_language_of_the_request(contacts):
    with translation.override("zh-hans"):
        result = figures.contact_coverage(scope=scope_of("xuhui"), today=TODAY)
    assert result["scope"]["district"]["label"] == "徐汇区"
    assert result["by_district"][0]["label"] == "徐汇区"


def test_contact_coverage_costs_the_same_queries_for_many_centres(
    contacts, commissioners, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        figures.contact_coverage(scope=CITY, today=TODAY)
    for code in ("huangpu", "minhang", "jiading", "songjiang"):
        commissioner = UserFactory(role=Role.DISTRICT_COMMISSIONER, district=district(code))
        for days_ago in range(0, 200, 8):
            centre(commissioner, code=code, days_ago=days_ago)
    with django_assert_max_num_queries(4):
        result = figures.contact_coverage(scope=CITY, today=TODAY)
    assert result["coverage"]["denominator"] == 10 + 4 * 25
    assert len(result["by_commissioner"]) == 6


# --- Development assessments -----------------------------------------------------------------


def cycle(name: str, start: date, end: date, *, opened: bool = True) -> AssessmentCycle:
    return AssessmentCycle.objects.create(
        name=name,
        period_start=start,
        period_end=end,
        opens_on=end + timedelta(days=5),
        due_on=end + timedelta(days=60),
        opened_at=timezone.now() if opened else None,
    )


def assessment(of: AssessmentCycle, at: Centre, state: str, guidance_class: str = "", **indicators):
    """An assessment with every indicator 1 but the ones given (none at all while open)."""
    values = {} if state == S.OPEN else dict.fromkeys(INDICATOR_FIELDS, 1)
    return Assessment.objects.create(
        cycle=of,
        centre=at,
        district=at.district,
        state=state,
        guidance_class=guidance_class,
        **{**values, **indicators},
    )


def finding(of: Assessment, rule: str, measure: int, bureau_code: str, status: str = "open") -> Finding:
    return Finding.objects.create(
        assessment=of,
        rule=rule,
        measure=Measure.objects.get(programme="shanghai_2024", number=measure),
        bureau=bureau(bureau_code),
        status=status,
    )


HQ, ATTENTION = "hq_startup_and_rent_subsidy", "needs_attention"
NONE_ELIGIBLE = {rule.code: 0 for rule in RULES}


@pytest.fixture
def results(xuhui_commissioner, pudong_commissioner):
    """2025 against 2024 (the newest cycle ending before 2025 starts; 2024 H1 ends earlier and
    the 2026 cycle is not opened yet). In 2025 Xuhui has three reviewed assessments, one
    submitted and one open; Pudong one reviewed and one returned."""
    cycles = {
        "2024h1": cycle("2024 first half", date(2024, 1, 1), date(2024, 6, 30)),
        "2024": cycle("2024 annual", date(2024, 1, 1), date(2024, 12, 31)),
        "2025": cycle("2025 annual", date(2025, 1, 1), date(2025, 12, 31)),
        "2026": cycle("2026 annual", date(2026, 1, 1), date(2026, 12, 31), opened=False),
    }
    global_type = {"centre_type": CentreType.GLOBAL_RD_CENTRE, "full_time_rd_staff": 100, "total_staff": 200}
    x1, x2, x3, x4, x5 = (CentreFactory(district=district("xuhui")) for _ in range(5))
    Centre.objects.filter(pk=x1.pk).update(**global_type)
    p1, p2 = (CentreFactory(district=district("pudong"), **global_type) for _ in range(2))
    y2025 = cycles["2025"]
    a = {
        "x1": assessment(y2025, x1, S.REVIEWED, C.LEADING, full_time_rd_staff=120, total_staff=150,
                         rd_spending_cny=Decimal("1000000.50")),
        "x2": assessment(y2025, x2, S.REVIEWED, C.GROWING, full_time_rd_staff=60, total_staff=80,
                         rd_spending_cny=Decimal("250000.25")),
        "x3": assessment(y2025, x3, S.REVIEWED, C.NEEDS_ATTENTION, full_time_rd_staff=10, total_staff=30,
                         rd_spending_cny=Decimal("0")),
        # Scored on submission but not reviewed: unclassified, and its figures are not counted yet.
        "x4": assessment(y2025, x4, S.SUBMITTED, C.LEADING, full_time_rd_staff=1000, total_staff=1000,
                         rd_spending_cny=Decimal("9999999")),
        "x5": assessment(y2025, x5, S.OPEN),
        "p1": assessment(y2025, p1, S.REVIEWED, C.LEADING, full_time_rd_staff=200, total_staff=250,
                         rd_spending_cny=Decimal("2000000")),
        "p2": assessment(y2025, p2, S.RETURNED, C.GROWING, full_time_rd_staff=1000, total_staff=1000),
    }  # fmt: skip
    y2024 = cycles["2024"]
    previous = {
        "x1": assessment(y2024, x1, S.REVIEWED, C.GROWING, full_time_rd_staff=100, total_staff=130,
                         rd_spending_cny=Decimal("900000")),
        "x2": assessment(y2024, x2, S.SUBMITTED, C.GROWING, full_time_rd_staff=999, total_staff=999),
        "p1": assessment(y2024, p1, S.REVIEWED, C.LEADING, full_time_rd_staff=180, total_staff=220,
                         rd_spending_cny=Decimal("1500000.50")),
    }  # fmt: skip
    # The findings the reviews routed, as bureaus have handled them since.
    finding(a["x3"], ATTENTION, 9, "sh-commerce", "acknowledged")
    finding(a["x3"], ATTENTION, 9, "xuhui-government", "acted_on")
    finding(a["x1"], HQ, 8, "sh-commerce", "acted_on")
    finding(a["x1"], HQ, 8, "sh-finance")
    finding(a["p1"], HQ, 8, "sh-commerce")
    finding(a["p1"], HQ, 8, "sh-finance", "acknowledged")
    finding(previous["x1"], HQ, 8, "sh-commerce", "acted_on")  # last year's: not this cycle's
    return cycles


def test_the_newest_opened_cycle_against_the_one_before_it(results):
    result = figures.assessment_results(scope=CITY)

    assert result["cycle"] == {
        "id": results["2025"].pk,
        "name": "2025 annual",
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
    }
    assert result["previous_cycle"]["id"] == results["2024"].pk
    assert result["cycles"] == [
        {"id": results["2025"].pk, "name": "2025 annual"},
        {"id": results["2024"].pk, "name": "2024 annual"},
        {"id": results["2024h1"].pk, "name": "2024 first half"},
    ]
    assert result["scope"] == {"district": None}


def test_guidance_classes_by_district_count_reviewed_classes_only(results):
    rows = figures.assessment_results(scope=CITY)["classes_by_district"]

    by_code = {row["code"]: row for row in rows}
    assert len(rows) == 16
    assert by_code["xuhui"] == {
        "code": "xuhui", "label": "Xuhui",
        "leading": 1, "growing": 1, "needs_attention": 1, "unclassified": 2, "total": 5,
    }  # fmt: skip
    assert by_code["pudong"] == {
        "code": "pudong", "label": "Pudong New Area",
        "leading": 1, "growing": 0, "needs_attention": 0, "unclassified": 1, "total": 2,
    }  # fmt: skip
    assert by_code["jingan"] == {
        "code": "jingan", "label": "Jing'an",
        "leading": 0, "growing": 0, "needs_attention": 0, "unclassified": 0, "total": 0,
    }  # fmt: skip


def test_indicator_totals_are_reviewed_figures_against_the_previous_cycle(results):
    result = figures.assessment_results(scope=CITY)
    rows = {row["indicator"]: row for row in result["indicator_totals"]}

    assert set(rows) == set(INDICATOR_FIELDS)
    assert rows["full_time_rd_staff"] == {
        "indicator": "full_time_rd_staff",
        "label": "full-time R&D staff",
        "total": 120 + 60 + 10 + 200,
        "previous": 100 + 180,
        "change": 110,
    }
    assert (rows["total_staff"]["total"], rows["total_staff"]["previous"], rows["total_staff"]["change"]) == (
        510,
        350,
        160,
    )
    assert rows["rd_spending_cny"]["total"] == Decimal("3250000.75")
    assert rows["rd_spending_cny"]["previous"] == Decimal("2400000.50")
    assert rows["rd_spending_cny"]["change"] == Decimal("850000.25")
    # Every other indicator is 1 on each assessment: four reviewed now, two then.
    assert rows["patents_filed"]["total"] == 4
    assert rows["patents_filed"]["previous"] == 2
    assert rows["patents_filed"]["change"] == 2
    # Plain data the API renders as it is: the spending a JSON number.
    rendered = json.loads(JSONRenderer().render(result))
    assert rendered["indicator_totals"][INDICATOR_FIELDS.index("rd_spending_cny")]["total"] == 3250000.75


def test_indicator_totals_of_a_district_compare_the_same_district(results):
    rows = {
        row["indicator"]: row
        for row in figures.assessment_results(scope=scope_of("xuhui"))["indicator_totals"]
    }

    assert (rows["full_time_rd_staff"]["total"], rows["full_time_rd_staff"]["previous"]) == (190, 100)
    assert rows["full_time_rd_staff"]["change"] == 90
    assert rows["rd_spending_cny"]["change"] == Decimal("1250000.75") - Decimal("900000")
    assert (rows["foreign_experts"]["total"], rows["foreign_experts"]["previous"]) == (3, 1)


def test_without_a_previous_cycle_previous_and_change_are_null(results):
    result = figures.assessment_results(scope=CITY, cycle_id=results["2024h1"].pk)

    assert result["cycle"]["name"] == "2024 first half"
    assert result["previous_cycle"] is None
    assert all(row["previous"] is None and row["change"] is None for row in result["indicator_totals"])
    assert all(row["total"] == 0 for row in result["indicator_totals"])  # nothing was assessed in it


def test_findings_by_bureau_with_what_the_bureaus_did(results):
    result = figures.assessment_results(scope=CITY)

    assert result["findings_by_bureau"] == [
        {"code": "sh-commerce", "label": "Shanghai Municipal Commission of Commerce",
         "total": 3, "acknowledged": 1, "acted_on": 1},
        {"code": "sh-finance", "label": "Shanghai Municipal Finance Bureau",
         "total": 2, "acknowledged": 1, "acted_on": 0},
        {"code": "xuhui-government", "label": bureau("xuhui-government").name_en,
         "total": 1, "acknowledged": 0, "acted_on": 1},
    ]  # fmt: skip


def test_a_district_sees_only_its_own_assessments_and_findings(results):
    result = figures.assessment_results(scope=scope_of("xuhui"))

    assert result["scope"] == {"district": {"code": "xuhui", "label": "Xuhui"}}
    assert [row["code"] for row in result["classes_by_district"]] == ["xuhui"]
    assert [
        (row["code"], row["total"], row["acknowledged"], row["acted_on"])
        for row in result["findings_by_bureau"]
    ] == [
        ("sh-commerce", 2, 1, 1),
        ("sh-finance", 1, 0, 0),
        ("xuhui-government", 1, 0, 1),
    ]
    assert {row["rule"]: row["count"] for row in result["eligible_centres"]} == {
        **NONE_ELIGIBLE,
        HQ: 1,
        ATTENTION: 1,
    }


def test_eligible_centres_per_rule_count_centres_not_findings(results):
    rows = figures.assessment_results(scope=CITY)["eligible_centres"]

    hq_measure = Measure.objects.get(programme="shanghai_2024", number=8)
    attention_measure = Measure.objects.get(programme="shanghai_2024", number=9)
    # Every rule has its row, in the rules' order; those no finding of this data set names count 0.
    assert [row["rule"] for row in rows] == [rule.code for rule in RULES]
    assert {row["rule"]: row["count"] for row in rows if row["rule"] not in (HQ, ATTENTION)} == {
        rule.code: 0 for rule in RULES if rule.code not in (HQ, ATTENTION)
    }
    assert [row for row in rows if row["rule"] in (HQ, ATTENTION)] == [
        {
            "rule": HQ,
            "label": (
                "Eligible for the regional-headquarters start-up and rent subsidies: a global R&D centre "
                "with 50 or more full-time R&D staff (Measure 8)."
            ),
            "measure": "Shanghai 2024 R&D centre upgrade plan 8: " + hq_measure.title_en,
            "count": 2,  # x1 and p1, each with a finding for two bureaus
        },
        {
            "rule": ATTENTION,
            "label": (
                "Classified as needing attention: closer service guarantees and more frequent routine "
                "contact (Measure 9)."
            ),
            "measure": "Shanghai 2024 R&D centre upgrade plan 9: " + attention_measure.title_en,
            "count": 1,
        },
    ]


def test_eligible_centres_follow_the_findings_a_real_review_routes(xuhui_commissioner, city_commissioner):
    year = cycle("2025 annual", date(2025, 1, 1), date(2025, 12, 31), opened=False)
    global_centre = CentreFactory(
        district=district("xuhui"), commissioner=xuhui_commissioner, centre_type=CentreType.GLOBAL_RD_CENTRE
    )
    assessments.open_cycle(cycle=year)
    row = Assessment.objects.get(cycle=year, centre=global_centre)
    # Full marks but for the R&D staff: 50 of 60, just enough for the subsidy; a leading centre.
    entered = {
        **dict.fromkeys(INDICATOR_FIELDS, 10),
        "full_time_rd_staff": 50,
        "total_staff": 60,
        "rd_spending_cny": Decimal("150000000"),
        "patents_filed": 40,
        "patents_granted": 20,
        "startups_incubated": 4,
        "foreign_experts": 12,
    }
    assessments.assessment_update(
        assessment=row, actor=xuhui_commissioner, centre_view_of_service="Helpful.", **entered
    )
    row = assessments.assessment_submit(assessment=row, actor=xuhui_commissioner)
    assessments.assessment_review(assessment=row, actor=city_commissioner)

    result = figures.assessment_results(scope=CITY)

    assert row.guidance_class == C.LEADING
    # The R&D spending and the foreign experts make it eligible under measures 8 and 7 as well.
    assert {r["rule"]: r["count"] for r in result["eligible_centres"]} == {
        **NONE_ELIGIBLE,
        HQ: 1,
        "rd_cost_super_deduction": 1,
        "foreign_talent_permits": 1,
    }
    assert sorted((r["code"], r["total"]) for r in result["findings_by_bureau"]) == [
        ("sh-commerce", 1),
        ("sh-exit-entry", 1),
        ("sh-finance", 1),
        ("sh-human-resources", 1),
        ("sh-tax", 1),
    ]


def test_an_unknown_or_unopened_cycle_is_not_found(results):
    for cycle_id in (results["2026"].pk, 987654):
        with pytest.raises(NotFound) as raised:
            figures.assessment_results(scope=CITY, cycle_id=cycle_id)
        assert str(raised.value.detail) == str(figures.UNKNOWN_CYCLE)


def test_no_opened_cycle_yet(db):
    result = figures.assessment_results(scope=scope_of("xuhui"))

    assert (result["cycle"], result["previous_cycle"], result["cycles"]) == (None, None, [])
    assert result["classes_by_district"][0]["total"] == 0
    assert all(row["total"] is None for row in result["indicator_totals"])
    assert result["findings_by_bureau"] == []
    assert all(row["count"] == 0 for row in result["eligible_centres"])


def test_assessment_results_cost_the_same_queries_for_many_centres(results, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        figures.assessment_results(scope=CITY)
    y2025, y2024 = results["2025"], results["2024"]
    for code in ("huangpu", "minhang", "jiading"):
        for _ in range(15):
            made = CentreFactory(district=district(code), centre_type=CentreType.GLOBAL_RD_CENTRE)
            finding(
                assessment(y2025, made, S.REVIEWED, C.NEEDS_ATTENTION), ATTENTION, 9, f"{code}-government"
            )
            assessment(y2024, made, S.REVIEWED, C.GROWING)
    with django_assert_max_num_queries(8):
        result = figures.assessment_results(scope=CITY)
    assert {r["rule"]: r["count"] for r in result["eligible_centres"]}[ATTENTION] == 1 + 45


# --- The summaries stay exact -------------------------------------------------------------------


def _assessment_summaries() -> dict[str, set]:
    """The summary tables' rows, but for those every write took back to nothing."""
    tables = {
        "centres_assessmentfigure": "assessments <> 0 OR full_time_rd_staff <> 0 OR rd_spending_cny <> 0",
        "centres_findingfigure": "findings <> 0",
        "centres_eligibilityfigure": "centres <> 0",
    }
    with connection.cursor() as cursor:
        rows = {}
        for table, kept in tables.items():
            cursor.execute(f"SELECT * FROM {table} WHERE {kept}")
            rows[table] = {row[1:] for row in cursor.fetchall()}  # without the id
    return rows


def test_the_indicator_sums_cover_every_numeric_indicator():
    kept = {field.name for field in AssessmentFigure._meta.get_fields()}
    assert set(figures._numeric_indicators()) <= kept


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summaries_equal_a_rebuild_from_scratch_after_random_writes(results, seed):
    """Single rows and whole sets written through the ORM, as the services and the admin write them;
    each kind of write the triggers see, findings moving with their assessment included."""
    rng = random.Random(seed)
    rows = list(Assessment.objects.order_by("pk"))
    states = [S.OPEN, S.SUBMITTED, S.RETURNED, S.REVIEWED]
    statuses = ["open", "acknowledged", "acted_on"]
    for _ in range(40):
        choice = rng.randrange(7)
        target = rng.choice(rows)
        if choice == 0:
            # One row rewritten (the state is protected from assignment, so by its own statement).
            Assessment.objects.filter(pk=target.pk).update(
                state=rng.choice(states),
                guidance_class=rng.choice(list(C.values)),
                full_time_rd_staff=rng.choice([None, 0, 5, 70]),
                rd_spending_cny=rng.choice([None, Decimal("12.34"), Decimal("1000")]),
            )
        elif choice == 1:
            # A set at once: the cycle's submitted assessments reviewed in one statement.
            Assessment.objects.filter(cycle_id=target.cycle_id, state=S.SUBMITTED).update(
                state=S.REVIEWED, guidance_class=rng.choice(list(C.values))
            )
        elif choice == 2:
            found = Finding.objects.filter(pk__in=Finding.objects.values("pk")[:3])
            found.update(status=rng.choice(statuses))
        elif choice == 3:
            # A finding already there is refused, and its statement rolled back with its figures.
            with contextlib.suppress(IntegrityError), transaction.atomic():
                finding(
                    target,
                    rng.choice([HQ, ATTENTION]),
                    8,
                    rng.choice(["sh-commerce", "sh-finance", "sh-tax"]),
                )
        elif choice == 4 and (doomed := Finding.objects.order_by("?").first()):
            doomed.delete()
        elif choice == 5:
            # Its findings must count in the new district from now on.
            Assessment.objects.filter(pk=target.pk).update(district=district(rng.choice(["xuhui", "pudong"])))
        else:
            with contextlib.suppress(IntegrityError), transaction.atomic():
                Assessment.objects.filter(pk=target.pk).update(cycle=rng.choice(list(results.values())))
        rows = list(Assessment.objects.order_by("pk"))

    maintained = _assessment_summaries()
    rebuild_assessment_figures()

    assert _assessment_summaries() == maintained
    assert all(maintained.values()), "the writes left figures in every table"
