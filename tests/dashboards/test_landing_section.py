"""The dashboard's policy landing section (measure 9): briefing coverage per measure and district and
the landing funnel per measure, each figure exact against a recount from the rows themselves and
equal to the number of centres its drill-down lists; the section's downloads; who may read it."""

import csv
import io
import random
from datetime import datetime, time, timedelta

import openpyxl
import pytest
from django.utils import timezone

from assessments.eligibility import ELIGIBILITY_RULE_CODES
from assessments.models import Assessment, AssessmentCycle, Finding
from centres.models import CentreStatus
from commissioners.models import Role
from core.time import local_today
from landing.models import Benefit, Briefing
from landing.selectors import COVERAGE_STEPS, FUNNEL_STEPS
from tests.factories import CentreFactory, UserFactory, bureau, district, shanghai_measure
from tests.pages import page_client

pytestmark = pytest.mark.django_db

NUMBERS = (3, 8, 9)  # measures of the Shanghai plan
SHANGHAI = "shanghai_2024"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _at(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


@pytest.fixture
def landed(city_commissioner):
    """Centres of two districts (one closed), eligibility findings, briefings in the period and one
    before it, benefits in every status: drawn at random, once, from a fixed seed."""
    rng = random.Random(9)
    today = local_today()
    in_period = [
        today - timedelta(days=d) for d in range(0, max(1, (today - today.replace(month=1, day=1)).days))
    ]
    before = today.replace(month=1, day=1) - timedelta(days=20)
    centres = [CentreFactory(district=district(rng.choice(["xuhui", "pudong"]))) for _ in range(14)]
    centres.append(CentreFactory(district=district("xuhui"), status=CentreStatus.CLOSED))
    cycle = AssessmentCycle.objects.create(
        name="2026",
        period_start="2026-01-01",
        period_end="2026-12-31",
        opens_on="2026-01-05",
        due_on="2026-02-27",
    )
    rules = sorted(ELIGIBILITY_RULE_CODES)
    for centre in centres:
        assessment = Assessment.objects.create(cycle=cycle, centre=centre, district=centre.district)
        found = rng.randint(0, 2)
        for rule, number in zip(rng.sample(rules, found), rng.sample(NUMBERS, found), strict=True):
            Finding.objects.create(
                assessment=assessment,
                rule=rule,
                measure=shanghai_measure(number),
                bureau=bureau("sh-commerce"),
            )
        if rng.random() < 0.3:  # a call for closer service: not an eligibility
            Finding.objects.get_or_create(
                assessment=assessment,
                rule="needs_attention",
                bureau=bureau("sh-finance"),
                defaults={"measure": shanghai_measure(9)},
            )
    for index in range(10):
        briefing = Briefing.objects.create(
            held_on=before if index == 0 else rng.choice(in_period),
            format="seminar",
            title=f"Briefing {index}",
            given_by=city_commissioner,
        )
        briefing.measures.set([shanghai_measure(n) for n in rng.sample(NUMBERS, rng.randint(1, 2))])
        briefing.centres.set(rng.sample(centres, rng.randint(1, 5)))
    for index in range(18):
        status = rng.choice(["considering", "applied", "granted", "refused"])
        Benefit.objects.create(
            centre=rng.choice(centres),
            measure=shanghai_measure(rng.choice(NUMBERS)),
            title=f"Benefit {index}",
            status=status,
            decided_on=today if status in ("granted", "refused") else None,
            entered_by=city_commissioner,
            created_at=_at(before if index < 3 else rng.choice(in_period)),
        )
    return centres


def _recount(*, district_code=None) -> dict:
    """Every figure from the rows themselves, centre by centre, in plain Python."""
    today = local_today()
    since, until = today.replace(month=1, day=1), today
    active = {
        c.pk: c.district.code
        for c in CentreFactory._meta.model.objects.filter(status="active").select_related("district")
        if district_code in (None, c.district.code)
    }
    eligible = {
        (f.assessment.centre_id, f.measure.number)
        for f in Finding.objects.select_related("assessment", "measure")
        if f.rule in ELIGIBILITY_RULE_CODES
    }
    briefed = {
        (centre.pk, measure.number)
        for b in Briefing.objects.prefetch_related("centres", "measures")
        if since <= b.held_on <= until
        for centre in b.centres.all()
        for measure in b.measures.all()
    }
    benefits = [
        (b.centre_id, b.measure.number, b.status)
        for b in Benefit.objects.select_related("measure")
        if since <= timezone.localtime(b.created_at).date() <= until
    ]
    applied = {(c, n) for c, n, status in benefits if status != "considering"}
    granted = {(c, n) for c, n, status in benefits if status == "granted"}

    def count(pairs, number, code=None):
        return sum(1 for c, n in pairs if n == number and c in active and code in (None, active[c]))

    funnel = {
        n: {
            "eligible": count(eligible, n),
            "briefed": count(briefed, n),
            "applied": count(applied, n),
            "granted": count(granted, n),
        }
        for n in NUMBERS
    }
    coverage = {
        (n, code): {
            "active_centres": sum(1 for c in active.values() if c == code),
            "briefed": count(briefed, n, code),
            "eligible": count(eligible, n, code),
            "eligible_briefed": count(eligible & briefed, n, code),
        }
        for n in NUMBERS
        for code in set(active.values())
    }
    return {"funnel": funnel, "coverage": coverage}


def _count_behind(client, link: str) -> int:
    response = client.get(link)
    assert response.status_code == 200, link
    return response.context["page"].paginator.count


@pytest.mark.parametrize("who", ["manager", "city_commissioner", "administrator"])
def test_the_section_opens_for_dashboard_readers(who, request, landed):
    response = page_client(request.getfixturevalue(who)).get("/dashboard/landing/", **HTMX)
    assert response.status_code == 200
    assert b'data-testid="section-landing"' in response.content and b"<html" not in response.content
    full = page_client(request.getfixturevalue(who)).get("/dashboard/landing/")
    assert full.status_code == 200 and b"<html" in full.content


@pytest.mark.parametrize("who", ["xuhui_commissioner", "bureau_staff"])
def test_other_roles_are_told_the_dashboards_are_not_theirs(who, request):
    user = request.getfixturevalue(who)
    for url in ("/dashboard/landing/", "/dashboard/landing/centres/?measure=1&step=briefed"):
        assert page_client(user).get(url).status_code == 403


def test_the_dashboard_loads_the_section(manager):
    page = page_client(manager).get("/dashboard/", {"from": "2026-01", "to": "2026-06"}).content.decode()
    assert 'hx-get="/dashboard/landing/?from=2026-01&amp;to=2026-06' in page


def test_every_figure_equals_a_recount_and_the_centres_its_drill_down_lists(manager, landed):
    client = page_client(manager)
    section = client.get("/dashboard/landing/", **HTMX).context
    recount = _recount()

    funnel = {row["number"]: row for row in section["section"]["funnel"] if row["programme"] == SHANGHAI}
    coverage = {
        (row["number"], row["district"]): row
        for row in section["section"]["coverage"]
        if row["programme"] == SHANGHAI
    }
    for number in NUMBERS:
        assert {step: funnel[number][step] for step in FUNNEL_STEPS} == recount["funnel"][number], number
    for key, figures in recount["coverage"].items():
        assert {step: coverage[key][step] for step in COVERAGE_STEPS} == figures, key
    assert sum(any(row[s] for s in FUNNEL_STEPS) for row in funnel.values()) > 0  # the data reach every step

    for row in section["funnel"]:
        for step in FUNNEL_STEPS:
            assert _count_behind(client, row["links"][step]) == row[step], (row["number"], step)
    for line in section["coverage"]:
        for cell in [line["total"], *line["cells"]]:
            for step in COVERAGE_STEPS:
                assert _count_behind(client, cell["links"][step]) == cell[step], (line["number"], step)
        briefed = sum(cell["briefed"] for cell in line["cells"])
        assert line["total"]["briefed"] == briefed == funnel[line["number"]]["briefed"]


def test_a_district_is_read_alone_and_a_districts_manager_reads_only_theirs(manager, landed):
    xuhui_manager = UserFactory(role=Role.MANAGER, district=district("xuhui"))
    recount = _recount(district_code="xuhui")
    for client, params in (
        (page_client(manager), {"district": "xuhui"}),
        (page_client(xuhui_manager), {"district": "pudong"}),
    ):
        section = client.get("/dashboard/landing/", params, **HTMX).context["section"]
        assert {row["district"] for row in section["coverage"]} == {"xuhui"}
        funnel = {
            row["number"]: {step: row[step] for step in FUNNEL_STEPS}
            for row in section["funnel"]
            if row["programme"] == SHANGHAI
        }
        assert {n: funnel[n] for n in NUMBERS} == recount["funnel"]
    drill = page_client(xuhui_manager).get(
        "/dashboard/landing/centres/", {"measure": shanghai_measure(8).pk, "step": "active_centres"}
    )
    assert {c.district.code for c in drill.context["page"]} == {"xuhui"}


def test_one_measure_narrows_the_section(manager, landed):
    section = page_client(manager).get("/dashboard/landing/", {"measure": shanghai_measure(8).pk}, **HTMX)
    assert {row["number"] for row in section.context["section"]["funnel"]} == {8}


@pytest.mark.parametrize(
    "params",
    [{"from": "2026-13"}, {"district": "nowhere"}, {"measure": "x"}, {"from": "2026-06", "to": "2026-01"}],
)
def test_bad_parameters_are_told_in_words(params, manager):
    response = page_client(manager).get("/dashboard/landing/", params, **HTMX)
    assert response.status_code == 400 and b'data-testid="landing-errors"' in response.content


@pytest.mark.parametrize(
    "params",
    [
        {"step": "briefed"},
        {"measure": "1", "step": "salaries"},
        {"measure": "1", "step": "briefed", "to": "x"},
    ],
)
def test_a_drill_down_must_name_a_measure_and_a_figure(params, manager):
    response = page_client(manager).get("/dashboard/landing/centres/", params)
    assert response.status_code == 400 and b'data-testid="landing-errors"' in response.content


def test_the_section_answers_in_a_fixed_number_of_queries(manager, landed, django_assert_max_num_queries):
    client = page_client(manager)
    # The coverage and funnel's queries, and one for the open policy issues with their cases counted.
    with django_assert_max_num_queries(17):
        response = client.get("/dashboard/landing/", **HTMX)
    assert response.status_code == 200


def test_the_downloads_carry_the_sections_figures(manager, landed, client_for):
    client = client_for(manager)
    section = page_client(manager).get("/dashboard/landing/", **HTMX).context["section"]
    coverage = client.get("/api/dashboard/export/landing_coverage.csv")
    assert coverage.status_code == 200 and coverage["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(coverage.content.decode("utf-8-sig"))))
    assert len(rows) == len(section["coverage"]) + 1
    funnel = list(
        csv.reader(
            io.StringIO(client.get("/api/dashboard/export/landing_funnel.csv").content.decode("utf-8-sig"))
        )
    )
    by_number = {int(row[1]): [int(v) for v in row[2:]] for row in funnel[1:] if row[0] == "shanghai_2024"}
    for row in section["funnel"]:
        if row["programme"] == "shanghai_2024":
            assert by_number[row["number"]] == [row[step] for step in FUNNEL_STEPS]
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/api/dashboard/export.xlsx").content))
    assert {"Briefing coverage", "Landing funnel"} <= set(workbook.sheetnames)
