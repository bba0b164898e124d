"""Development assessments: opening cycles, entering, scoring, reviewing, findings and export."""

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from assessments import services as assessments
from assessments.models import (
    FIGURE_FIELDS,
    REQUIRED_TO_SUBMIT_FIELDS,
    Assessment,
    AssessmentCycle,
    AssessmentEvent,
    ClassThreshold,
    Finding,
)
from assessments.services import cycles
from cases.models import Case, CaseSource, CaseState
from centres.models import Centre, CentreType, ContactInterval, ContactRecord, GuidanceClass
from centres.scheduling import contact_intervals
from commissioners.models import Notification, NotificationKind, Role
from policies.models import Measure
from tests.concurrency import race
from tests.factories import CentreFactory, UserFactory, bureau, district

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")

# Every indicator filled in, scoring full marks everywhere: 100 points.
LEADING_FIGURES = {
    "full_time_rd_staff": 200,
    "total_staff": 250,
    "rd_spending_cny": Decimal("150000000"),
    "patents_filed": 40,
    "patents_granted": 20,
    "joint_projects_universities": 3,
    "joint_projects_institutes": 2,
    "joint_projects_firms": 2,
    "startups_incubated": 4,
    "foreign_experts": 12,
    "centre_view_of_service": "Responsive commissioners.",
}


def figures(**changes):
    return {**LEADING_FIGURES, **changes}


@pytest.fixture
def cycle(db):
    return AssessmentCycle.objects.create(
        name="2025 annual",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        opens_on=date(2026, 1, 5),
        due_on=date(2026, 2, 27),
    )


@pytest.fixture
def opened(cycle, xuhui_centre, pudong_centre):
    assessments.open_cycle(cycle=cycle)
    return cycle


@pytest.fixture
def xuhui_assessment(opened, xuhui_centre):
    return Assessment.objects.get(cycle=opened, centre=xuhui_centre)


def submitted(assessment, commissioner, **changes):
    assessments.assessment_update(assessment=assessment, actor=commissioner, **figures(**changes))
    return assessments.assessment_submit(assessment=assessment, actor=commissioner)


# --- Opening -------------------------------------------------------------------------


def test_opening_a_cycle_creates_one_assessment_per_active_centre_once(
    cycle, xuhui_centre, pudong_centre, xuhui_commissioner, django_assert_max_num_queries
):
    CentreFactory(district=district("xuhui"), status=Centre.Status.CLOSED)
    with django_assert_max_num_queries(12):
        assert assessments.open_due_cycles(today=date(2026, 1, 5)) == 2
    assert assessments.open_due_cycles(today=date(2026, 1, 6)) == 0
    assert assessments.open_cycle(cycle=cycle) == 0
    rows = Assessment.objects.filter(cycle=cycle)
    assert sorted(rows.values_list("centre_id", flat=True)) == sorted([xuhui_centre.pk, pudong_centre.pk])
    assert rows.get(centre=xuhui_centre).assignee == xuhui_commissioner
    notification = Notification.objects.get(recipient=xuhui_commissioner)
    assert notification.kind == NotificationKind.ASSESSMENTS_OPENED and notification.params["count"] == 1


def test_a_cycle_is_not_opened_before_its_day(cycle, xuhui_centre):
    assert assessments.open_due_cycles(today=date(2026, 1, 4)) == 0
    assert not Assessment.objects.exists()


def test_opening_fills_in_the_periods_case_and_contact_figures(cycle, xuhui_centre, xuhui_commissioner):
    in_2025 = datetime(2025, 6, 2, 10, tzinfo=SHANGHAI)
    common = {
        "centre": xuhui_centre,
        "district": xuhui_centre.district,
        "created_by": xuhui_commissioner,
        "lead_bureau": bureau("sh-talent"),
    }
    measure = Measure.objects.get(programme="shanghai_2024", number=7)
    # Answered on time, resolved, satisfied.
    Case.objects.create(
        **common, measure=measure, title="a", description="a", state=CaseState.CLOSED, created_at=in_2025,
        answered_at=in_2025, answer_due_on=date(2025, 6, 2), callback_at=in_2025, callback_resolved=True,
        callback_satisfaction="satisfied",
    )  # fmt: skip
    # Answered late, call-back unsatisfied.
    Case.objects.create(
        **common, measure=measure, title="b", description="b", state=CaseState.CLOSED, created_at=in_2025,
        answered_at=in_2025, answer_due_on=date(2025, 6, 1), callback_at=in_2025, callback_resolved=False,
        callback_satisfaction="unsatisfied",
    )  # fmt: skip
    # Logged just after the period ends (midnight in Shanghai): not counted.
    Case.objects.create(
        **common, measure=measure, title="c", description="c", created_at=datetime(2026, 1, 1, 0, 5, tzinfo=SHANGHAI)
    )  # fmt: skip
    for day in (date(2025, 3, 1), date(2025, 9, 1), date(2026, 1, 2)):
        ContactRecord.objects.create(
            centre=xuhui_centre, kind="visit", contacted_on=day, participants="x", summary="y",
            recorded_by=xuhui_commissioner,
        )  # fmt: skip
    assessments.open_cycle(cycle=cycle)
    assessment = Assessment.objects.get(cycle=cycle, centre=xuhui_centre)
    assert {name: getattr(assessment, name) for name in FIGURE_FIELDS} == {
        "cases_logged": 2,
        "cases_answered": 2,
        "cases_answered_on_time": 1,
        "cases_resolved": 1,
        "callbacks": 2,
        "callbacks_satisfied": 1,
        "contacts_made": 2,
    }


def test_a_centre_active_after_the_cycle_opened_gets_its_assessment_on_the_next_sweep_once(
    opened, xuhui_commissioner, pudong_commissioner, django_assert_max_num_queries
):
    new = CentreFactory(district=district("xuhui"), commissioner=xuhui_commissioner)
    # Closed when the cycle opened, reopened since; it has no commissioner of its own.
    reopened = CentreFactory(district=district("pudong"), status=Centre.Status.CLOSED)
    Centre.objects.filter(pk=reopened.pk).update(status=Centre.Status.ACTIVE)
    Case.objects.create(
        centre=new, district=new.district, created_by=xuhui_commissioner, title="a", description="a",
        measure=Measure.objects.get(programme="shanghai_2024", number=7),
        created_at=datetime(2025, 6, 2, 10, tzinfo=SHANGHAI),
    )  # fmt: skip
    sweep_day = opened.due_on - timedelta(days=10)
    with django_assert_max_num_queries(12):
        assert assessments.open_due_cycles(today=sweep_day) == 2
    with django_assert_max_num_queries(2):  # nothing lacking: the due cycles, then one check
        assert assessments.open_due_cycles(today=sweep_day) == 0
    assert assessments.open_due_cycles(today=sweep_day + timedelta(days=1)) == 0

    assert Assessment.objects.filter(cycle=opened).count() == 4
    added = Assessment.objects.get(cycle=opened, centre=new)
    assert added.state == Assessment.State.OPEN and added.assignee == xuhui_commissioner
    assert added.district == new.district and added.cases_logged == 1
    assert Assessment.objects.get(cycle=opened, centre=reopened).assignee == pudong_commissioner
    for commissioner in (xuhui_commissioner, pudong_commissioner):
        told = Notification.objects.filter(recipient=commissioner, kind=NotificationKind.ASSESSMENTS_OPENED)
        # The opening's notification, then one for the assessment added since.
        assert [n.params["count"] for n in told.order_by("id")] == [1, 1]


@pytest.mark.parametrize(
    ("sweep_day", "closed", "added"),
    [
        (date(2026, 2, 27), False, 1),  # the due date itself: still in time to submit
        (date(2026, 2, 28), False, 0),  # past it: the centre waits for the next cycle
        (date(2026, 1, 20), True, 0),
    ],
)
def test_late_centres_are_added_until_the_due_date_and_never_to_a_closed_cycle(
    opened, xuhui_commissioner, sweep_day, closed, added
):
    if closed:
        AssessmentCycle.objects.filter(pk=opened.pk).update(closed_at=datetime(2026, 1, 19, tzinfo=SHANGHAI))
    late = CentreFactory(district=district("xuhui"), commissioner=xuhui_commissioner)
    assert assessments.open_due_cycles(today=sweep_day) == added
    assert Assessment.objects.filter(centre=late).count() == added


def test_opening_reports_and_announces_only_the_assessments_it_created(
    cycle, xuhui_centre, pudong_centre, xuhui_commissioner, pudong_commissioner, monkeypatch
):
    figures_of_the_period = assessments.period_figures

    def another_writer_first(**kwargs):
        # Between finding the centres and inserting, the Xuhui centre's row appears: the
        # unique (cycle, centre) makes the insert skip it.
        Assessment.objects.create(cycle=cycle, centre=xuhui_centre, district=xuhui_centre.district)
        return figures_of_the_period(**kwargs)

    monkeypatch.setattr(cycles, "period_figures", another_writer_first)
    assert assessments.open_cycle(cycle=cycle) == 1
    assert Assessment.objects.filter(cycle=cycle).count() == 2
    assert not Notification.objects.filter(recipient=xuhui_commissioner).exists()
    assert Notification.objects.get(recipient=pudong_commissioner).params["count"] == 1


# --- Entering and submitting -----------------------------------------------------------


def test_the_district_commissioner_fills_in_and_submits(xuhui_assessment, xuhui_commissioner):
    assessment = submitted(xuhui_assessment, xuhui_commissioner)
    assert assessment.state == Assessment.State.SUBMITTED
    assert assessment.score == Decimal("100.0") and assessment.guidance_class == GuidanceClass.LEADING
    actions = list(AssessmentEvent.objects.filter(assessment=assessment).values_list("action", "actor"))
    assert actions == [("edit", xuhui_commissioner.pk), ("submit", xuhui_commissioner.pk)]


@pytest.mark.parametrize(
    ("changes", "expected_class"),
    [
        # 100 points less the weights taken away: 60 is the lowest leading score.
        ({"full_time_rd_staff": 0, "rd_spending_cny": Decimal(0)}, GuidanceClass.GROWING),  # 45 points
        (
            {"rd_spending_cny": Decimal(0), "patents_filed": 0, "patents_granted": 0},
            GuidanceClass.LEADING,
        ),  # 60
        (
            {"rd_spending_cny": Decimal(0), "patents_filed": 0, "patents_granted": 0, "foreign_experts": 9},
            GuidanceClass.GROWING,
        ),  # 59.5
        (
            {
                "full_time_rd_staff": 0,
                "rd_spending_cny": Decimal(0),
                "joint_projects_universities": 0,
                "joint_projects_institutes": 0,
                "joint_projects_firms": 0,
            },
            GuidanceClass.GROWING,
        ),  # 30: the lowest growing score
        (
            {
                "full_time_rd_staff": 0,
                "rd_spending_cny": Decimal(0),
                "joint_projects_universities": 0,
                "joint_projects_institutes": 0,
                "joint_projects_firms": 0,
                "startups_incubated": 2,
            },
            GuidanceClass.NEEDS_ATTENTION,
        ),  # 28.3
    ],
)
def test_class_boundaries(xuhui_assessment, xuhui_commissioner, changes, expected_class):
    assessment = submitted(xuhui_assessment, xuhui_commissioner, **changes)
    assert assessment.guidance_class == expected_class
    assert assessment.class_reasons[-1]["class"] == expected_class


def test_administrators_change_the_thresholds(xuhui_assessment, xuhui_commissioner):
    ClassThreshold.objects.filter(guidance_class=GuidanceClass.LEADING).update(min_score=Decimal("100.1"))
    assert submitted(xuhui_assessment, xuhui_commissioner).guidance_class == GuidanceClass.GROWING


def test_the_reasons_name_each_indicators_points(xuhui_assessment, xuhui_commissioner, client_for):
    submitted(xuhui_assessment, xuhui_commissioner, patents_filed=15)
    body = client_for(xuhui_commissioner).get(f"/api/assessments/{xuhui_assessment.pk}/").json()
    assert "patents filed: 15.0 of 30.00 for full marks → 5.0 of 10.00 points" in body["class_reasons"]
    assert body["class_reasons"][-1] == "Score 95.0 reaches the threshold 60.0 of the class: leading"


# --- Bad input -----------------------------------------------------------------------


def test_negative_numbers_are_refused(xuhui_assessment, xuhui_commissioner, client_for):
    response = client_for(xuhui_commissioner).patch(
        f"/api/assessments/{xuhui_assessment.pk}/", {"patents_filed": -1, "total_staff": 10}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "patents_filed"
    xuhui_assessment.refresh_from_db()
    assert xuhui_assessment.total_staff is None  # nothing half-written


def test_the_service_refuses_negative_numbers_and_blank_problems(xuhui_assessment, xuhui_commissioner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        assessments.assessment_update(
            assessment=xuhui_assessment, actor=xuhui_commissioner, rd_spending_cny=Decimal(-1)
        )
    assert set(refused.value.error_dict) == {"rd_spending_cny"}
    with pytest.raises(ValidationError) as refused:
        assessments.assessment_update(
            assessment=xuhui_assessment, actor=xuhui_commissioner, problems=[{"description": "  "}]
        )
    assert set(refused.value.error_dict) == {"problems"}
    assert not xuhui_assessment.problems.exists()


def test_rd_staff_above_total_staff_is_refused(xuhui_assessment, xuhui_commissioner, client_for):
    response = client_for(xuhui_commissioner, "zh-hans").patch(
        f"/api/assessments/{xuhui_assessment.pk}/",
        {"full_time_rd_staff": 11, "total_staff": 10},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["attr"] == "full_time_rd_staff" and error["detail"] == "专职研发人员数不能超过员工总数。"
    assert not AssessmentEvent.objects.filter(assessment=xuhui_assessment).exists()


def test_submitting_with_indicators_missing_names_them(xuhui_assessment, xuhui_commissioner, client_for):
    client = client_for(xuhui_commissioner)
    client.patch(f"/api/assessments/{xuhui_assessment.pk}/", {"full_time_rd_staff": 5}, format="json")
    response = client.post(f"/api/assessments/{xuhui_assessment.pk}/submit/")
    assert response.status_code == 400
    missing = {error["attr"] for error in response.json()["errors"]}
    assert missing == set(REQUIRED_TO_SUBMIT_FIELDS) - {"full_time_rd_staff"}
    xuhui_assessment.refresh_from_db()
    assert xuhui_assessment.state == Assessment.State.OPEN and xuhui_assessment.score is None


def test_a_submitted_assessment_cannot_be_edited(xuhui_assessment, xuhui_commissioner, client_for):
    submitted(xuhui_assessment, xuhui_commissioner)
    response = client_for(xuhui_commissioner).patch(
        f"/api/assessments/{xuhui_assessment.pk}/", {"patents_filed": 1}, format="json"
    )
    assert response.status_code == 409
    assert "submitted" in response.json()["errors"][0]["detail"]
    xuhui_assessment.refresh_from_db()
    assert xuhui_assessment.patents_filed == 40


def test_an_assessment_of_a_closed_cycle_cannot_be_reviewed(
    xuhui_assessment, xuhui_commissioner, city_commissioner, client_for
):
    submitted(xuhui_assessment, xuhui_commissioner)
    AssessmentCycle.objects.filter(pk=xuhui_assessment.cycle_id).update(
        closed_at=datetime(2026, 3, 1, tzinfo=SHANGHAI)
    )
    response = client_for(city_commissioner).post(
        f"/api/assessments/{xuhui_assessment.pk}/review/", {}, format="json"
    )
    assert response.status_code == 409
    assert "closed" in response.json()["errors"][0]["detail"]
    xuhui_assessment.refresh_from_db()
    assert xuhui_assessment.state == Assessment.State.SUBMITTED
    assert not Finding.objects.exists()


def test_returned_for_correction_then_resubmitted(
    xuhui_assessment, xuhui_commissioner, city_commissioner, client_for
):
    submitted(xuhui_assessment, xuhui_commissioner)
    city = client_for(city_commissioner)
    assert (
        city.post(
            f"/api/assessments/{xuhui_assessment.pk}/return/", {"reason": ""}, format="json"
        ).status_code
        == 400
    )
    response = city.post(
        f"/api/assessments/{xuhui_assessment.pk}/return/",
        {"reason": "Spending looks too high."},
        format="json",
    )
    assert response.status_code == 200 and response.json()["state"] == "returned"
    assert Notification.objects.get(recipient=xuhui_commissioner, kind=NotificationKind.ASSESSMENT_RETURNED)
    resubmitted = submitted(xuhui_assessment, xuhui_commissioner, rd_spending_cny=Decimal("50000000"))
    assert resubmitted.state == Assessment.State.SUBMITTED and resubmitted.return_reason == ""


# --- Review: class, findings, cases ----------------------------------------------------


def reviewed(assessment, commissioner, city_commissioner, **changes):
    submitted(assessment, commissioner, **changes)
    return assessments.assessment_review(assessment=assessment, actor=city_commissioner)


def test_review_sets_the_centres_class_and_so_its_contact_interval(
    xuhui_assessment, xuhui_commissioner, city_commissioner
):
    reviewed(xuhui_assessment, xuhui_commissioner, city_commissioner, full_time_rd_staff=0, rd_spending_cny=0)
    centre = Centre.objects.get(pk=xuhui_assessment.centre_id)
    assert centre.guidance_class == GuidanceClass.GROWING
    assert contact_intervals()[centre.guidance_class] == 90


def test_review_reschedules_the_centres_next_contact_by_its_new_class(
    xuhui_assessment, xuhui_commissioner, city_commissioner
):
    ContactInterval.objects.filter(guidance_class=GuidanceClass.GROWING).update(days=45)
    reviewed(xuhui_assessment, xuhui_commissioner, city_commissioner, full_time_rd_staff=0, rd_spending_cny=0)
    centre = Centre.objects.get(pk=xuhui_assessment.centre_id)
    last_contact = centre.last_contacted_on or timezone.localtime(centre.created_at).date()
    assert centre.guidance_class == GuidanceClass.GROWING
    assert centre.next_contact_due == last_contact + timedelta(days=45)


def test_a_global_centre_with_50_rd_staff_is_routed_to_the_measure_8_subsidy_units(
    cycle, xuhui_commissioner, city_commissioner
):
    centre = CentreFactory(
        district=district("xuhui"), commissioner=xuhui_commissioner, centre_type=CentreType.GLOBAL_RD_CENTRE
    )
    assessments.open_cycle(cycle=cycle)
    assessment = Assessment.objects.get(centre=centre)
    reviewed(assessment, xuhui_commissioner, city_commissioner, full_time_rd_staff=50, total_staff=60)
    findings = Finding.objects.filter(assessment=assessment, rule="hq_startup_and_rent_subsidy")
    assert sorted(findings.values_list("bureau__code", flat=True)) == ["sh-commerce", "sh-finance"]
    assert {finding.measure.number for finding in findings} == {8}


@pytest.mark.parametrize(
    ("centre_type", "rd_staff"),
    [(CentreType.GLOBAL_RD_CENTRE, 49), (CentreType.REGIONAL_RD_CENTRE, 200)],
)
def test_no_subsidy_finding_below_50_staff_or_for_other_centres(
    cycle, xuhui_commissioner, city_commissioner, centre_type, rd_staff
):
    centre = CentreFactory(
        district=district("xuhui"), commissioner=xuhui_commissioner, centre_type=centre_type
    )
    assessments.open_cycle(cycle=cycle)
    assessment = Assessment.objects.get(centre=centre)
    reviewed(assessment, xuhui_commissioner, city_commissioner, full_time_rd_staff=rd_staff)
    assert not Finding.objects.filter(rule="hq_startup_and_rent_subsidy").exists()


def test_a_centre_needing_attention_is_flagged_to_the_measure_9_units(
    xuhui_assessment, xuhui_commissioner, city_commissioner
):
    reviewed(
        xuhui_assessment, xuhui_commissioner, city_commissioner,
        full_time_rd_staff=0, rd_spending_cny=0, patents_filed=0, patents_granted=0, joint_projects_universities=0,
        joint_projects_institutes=0, joint_projects_firms=0,
    )  # fmt: skip
    findings = Finding.objects.filter(assessment=xuhui_assessment, rule="needs_attention")
    assert sorted(findings.values_list("bureau__code", flat=True)) == ["sh-commerce", "xuhui-government"]
    assert Centre.objects.get(pk=xuhui_assessment.centre_id).guidance_class == GuidanceClass.NEEDS_ATTENTION


def test_a_problem_tagged_with_a_measure_becomes_a_case_of_that_measure(
    xuhui_assessment, xuhui_commissioner, city_commissioner, client_for
):
    client = client_for(xuhui_commissioner)
    response = client.patch(
        f"/api/assessments/{xuhui_assessment.pk}/",
        {
            "problems": [
                {
                    "description": "Work permits for two researchers take months.\nDetails follow.",
                    "measure_number": 7,
                },
                {"description": "Office is far from the metro."},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    reviewed(xuhui_assessment, xuhui_commissioner, city_commissioner)
    case = Case.objects.get(centre=xuhui_assessment.centre)
    assert case.measure.number == 7 and case.source == CaseSource.ASSESSMENT
    assert case.title == "Work permits for two researchers take months."
    assert case.state == CaseState.SUBMITTED and case.created_by == xuhui_commissioner
    assert xuhui_assessment.problems.get(measure__number=7).case == case
    assert case.events.get().action == "submit"  # routed from here like any other case


def _tag_a_problem(assessment, commissioner, client_for):
    response = client_for(commissioner).patch(
        f"/api/assessments/{assessment.pk}/",
        {"problems": [{"description": "Samples held at customs.", "measure_number": 3}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    submitted(assessment, commissioner)


def test_a_tagged_problem_is_logged_by_the_districts_commissioner_of_the_day_of_review(
    xuhui_assessment, xuhui_commissioner, city_commissioner, client_for
):
    _tag_a_problem(xuhui_assessment, xuhui_commissioner, client_for)
    # The commissioner who submitted it now looks after Pudong; Xuhui has a new one.
    xuhui_commissioner.district = district("pudong")
    xuhui_commissioner.save()
    successor = UserFactory(role=Role.DISTRICT_COMMISSIONER, district=district("xuhui"))

    response = client_for(city_commissioner).post(
        f"/api/assessments/{xuhui_assessment.pk}/review/", {}, format="json"
    )

    assert response.status_code == 200, response.json()
    case = xuhui_assessment.problems.get().case
    assert case.created_by == successor and case.district_id == district("xuhui").pk


def test_the_review_of_a_centre_closed_since_stands_and_logs_no_case(
    xuhui_assessment, xuhui_commissioner, city_commissioner, client_for
):
    _tag_a_problem(xuhui_assessment, xuhui_commissioner, client_for)
    Centre.objects.filter(pk=xuhui_assessment.centre_id).update(status="closed")

    response = client_for(city_commissioner).post(
        f"/api/assessments/{xuhui_assessment.pk}/review/", {}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "reviewed"
    assert xuhui_assessment.problems.get().case is None
    assert not Case.objects.filter(centre_id=xuhui_assessment.centre_id).exists()


def test_the_addressed_bureau_acknowledges_and_acts_on_a_finding(
    xuhui_assessment, xuhui_commissioner, city_commissioner, client_for
):
    commerce = UserFactory(role=Role.BUREAU_STAFF, bureau=bureau("sh-commerce"))
    finance = UserFactory(role=Role.BUREAU_STAFF, bureau=bureau("sh-finance"))
    reviewed(xuhui_assessment, xuhui_commissioner, city_commissioner, full_time_rd_staff=0, rd_spending_cny=0,
             patents_filed=0, patents_granted=0, joint_projects_universities=0, joint_projects_institutes=0,
             joint_projects_firms=0)  # fmt: skip
    finding = Finding.objects.get(bureau__code="sh-commerce")
    assert Notification.objects.get(recipient=commerce).kind == NotificationKind.FINDING_ROUTED
    client = client_for(commerce)
    assert (
        client.post(f"/api/findings/{finding.pk}/acted-on/", {"note": ""}, format="json").status_code == 400
    )
    assert (
        client.post(f"/api/findings/{finding.pk}/acknowledge/", {}, format="json").json()["status"]
        == "acknowledged"
    )
    response = client.post(
        f"/api/findings/{finding.pk}/acted-on/", {"note": "Visited, plan agreed."}, format="json"
    )
    assert response.json()["status"] == "acted_on" and response.json()["note"] == "Visited, plan agreed."
    assert (
        client_for(finance).post(f"/api/findings/{finding.pk}/acknowledge/", {}, format="json").status_code
        == 404
    )
    logged = AssessmentEvent.objects.filter(action__startswith="finding_").values_list("action", "actor")
    assert list(logged) == [("finding_acknowledged", commerce.pk), ("finding_acted_on", commerce.pk)]


# --- Scoping -------------------------------------------------------------------------


def test_assessments_and_findings_are_scoped_per_role(
    opened, xuhui_assessment, xuhui_commissioner, pudong_commissioner, city_commissioner, manager, client_for
):
    reviewed(xuhui_assessment, xuhui_commissioner, city_commissioner, full_time_rd_staff=0, rd_spending_cny=0,
             patents_filed=0, patents_granted=0, joint_projects_universities=0, joint_projects_institutes=0,
             joint_projects_firms=0)  # fmt: skip
    commerce = UserFactory(role=Role.BUREAU_STAFF, bureau=bureau("sh-commerce"))
    customs = UserFactory(role=Role.BUREAU_STAFF, bureau=bureau("sh-customs"))
    all_ids = set(Assessment.objects.values_list("pk", flat=True))

    def listed(user, path):
        return {row["id"] for row in client_for(user).get(path).json()["results"]}

    assert listed(city_commissioner, "/api/assessments/") == all_ids
    assert listed(manager, "/api/assessments/") == all_ids
    # A district's leadership reads its own district's, like its commissioners.
    pudong_leadership = UserFactory(role=Role.MANAGER, district=district("pudong"))
    assert listed(pudong_leadership, "/api/assessments/") == all_ids - {xuhui_assessment.pk}
    assert client_for(pudong_leadership).get(f"/api/assessments/{xuhui_assessment.pk}/").status_code == 404
    assert listed(pudong_leadership, "/api/centres/") == set(
        Centre.objects.filter(district__code="pudong").values_list("pk", flat=True)
    )
    assert listed(xuhui_commissioner, "/api/assessments/") == {xuhui_assessment.pk}
    assert listed(pudong_commissioner, "/api/assessments/") == all_ids - {xuhui_assessment.pk}
    assert listed(commerce, "/api/assessments/") == {xuhui_assessment.pk}
    assert listed(customs, "/api/assessments/") == set()
    assert client_for(pudong_commissioner).get(f"/api/assessments/{xuhui_assessment.pk}/").status_code == 404
    assert client_for(customs).get(f"/api/assessments/{xuhui_assessment.pk}/").status_code == 404

    findings = set(Finding.objects.values_list("pk", flat=True))
    assert listed(commerce, "/api/findings/") == set(
        Finding.objects.filter(bureau__code="sh-commerce").values_list("pk", flat=True)
    )
    assert listed(customs, "/api/findings/") == set()
    assert listed(city_commissioner, "/api/findings/") == findings
    assert listed(xuhui_commissioner, "/api/findings/") == findings
    assert listed(pudong_commissioner, "/api/findings/") == set()
    assert listed(pudong_leadership, "/api/findings/") == set()
    assert listed(UserFactory(role=Role.MANAGER, district=district("xuhui")), "/api/findings/") == findings
    # Only the district fills in, only the city reviews.
    assert (
        client_for(pudong_commissioner)
        .patch(f"/api/assessments/{xuhui_assessment.pk}/", {"patents_filed": 1}, format="json")
        .status_code
        == 404
    )
    other = Assessment.objects.exclude(pk=xuhui_assessment.pk).get()
    assert client_for(xuhui_commissioner).post(f"/api/assessments/{other.pk}/submit/").status_code == 404
    assert (
        client_for(manager).post(f"/api/assessments/{other.pk}/review/", {}, format="json").status_code == 403
    )


def test_overdue_assessments_are_listed_and_reported_to_the_city(
    opened, xuhui_assessment, xuhui_commissioner, city_commissioner, client_for
):
    submitted(xuhui_assessment, xuhui_commissioner)
    assessments.chase_assessments(today=opened.due_on - timedelta(days=3))
    pudong = Assessment.objects.exclude(pk=xuhui_assessment.pk).get()
    assert (
        Notification.objects.get(recipient=pudong.assignee, kind=NotificationKind.ASSESSMENTS_DUE).params[
            "count"
        ]
        == 1
    )
    assert not Notification.objects.filter(
        recipient=xuhui_commissioner, kind=NotificationKind.ASSESSMENTS_DUE
    ).exists()
    assessments.chase_assessments(today=opened.due_on + timedelta(days=1))
    assessments.chase_assessments(today=opened.due_on + timedelta(days=2))
    report = Notification.objects.get(recipient=city_commissioner, kind=NotificationKind.ASSESSMENTS_OVERDUE)
    assert report.params["count"] == 1
    rows = client_for(city_commissioner).get("/api/assessments/?overdue=true").json()["results"]
    assert [row["id"] for row in rows] == [pudong.pk] and rows[0]["is_overdue"]


def test_chasing_returns_the_notifications_it_created_not_those_it_offered_again(
    opened, xuhui_commissioner, pudong_commissioner, city_commissioner
):
    remind_day = opened.due_on - timedelta(days=3)
    assert assessments.chase_assessments(today=remind_day) == 2  # one reminder per commissioner
    assert assessments.chase_assessments(today=remind_day + timedelta(days=1)) == 0
    assert assessments.chase_assessments(today=opened.due_on + timedelta(days=1)) == 1  # the city's report
    assert assessments.chase_assessments(today=opened.due_on + timedelta(days=2)) == 0
    assert Notification.objects.count() == 2 + 2 + 1  # with the opening's two


# --- Export --------------------------------------------------------------------------


def test_the_export_has_a_row_per_visible_assessment_in_csv_and_xlsx(
    opened, xuhui_assessment, xuhui_commissioner, city_commissioner, client_for
):
    reviewed(xuhui_assessment, xuhui_commissioner, city_commissioner, full_time_rd_staff=0, rd_spending_cny=0,
             patents_filed=0, patents_granted=0, joint_projects_universities=0, joint_projects_institutes=0,
             joint_projects_firms=0)  # fmt: skip
    response = client_for(city_commissioner).get(f"/api/assessment-cycles/{opened.pk}/export/csv/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, rows = table[0], table[1:]
    assert header[:6] == ["cycle", "district", "centre (Chinese)", "centre (English)", "centre type", "state"]
    assert header[-4:] == ["guidance class", "findings", "submitted at", "reviewed at"]
    assert "full-time R&D staff" in header and "contacts made" in header and "score" in header
    assert len(rows) == 2
    xuhui_row = dict(
        zip(header, next(row for row in rows if row[2] == xuhui_assessment.centre.name_zh), strict=True)
    )
    assert xuhui_row["state"] == "reviewed" and xuhui_row["guidance class"] == "needs attention"
    assert xuhui_row["score"] == "10.0" and xuhui_row["full-time R&D staff"] == "0"
    assert xuhui_row["findings"] == (
        "foreign_talent_permits→sh-exit-entry; foreign_talent_permits→sh-human-resources; "
        "needs_attention→sh-commerce; needs_attention→xuhui-government"
    )

    own = client_for(xuhui_commissioner).get(f"/api/assessment-cycles/{opened.pk}/export/xlsx/")
    assert own["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(own.content)).active
    values = list(sheet.values)
    assert list(values[0]) == header and len(values) == 2  # a district exports its own centres only
    assert values[1][2] == xuhui_assessment.centre.name_zh


# --- Concurrency and list cost ---------------------------------------------------------

NEEDS_ATTENTION_FIGURES = {
    "full_time_rd_staff": 0,
    "rd_spending_cny": Decimal(0),
    "patents_filed": 0,
    "patents_granted": 0,
    "joint_projects_universities": 0,
    "joint_projects_institutes": 0,
    "joint_projects_firms": 0,
}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviews_at_once_route_the_findings_once():
    commissioner = UserFactory(role=Role.DISTRICT_COMMISSIONER, district=district("xuhui"))
    city = UserFactory(role=Role.CITY_COMMISSIONER)
    CentreFactory(district=district("xuhui"), commissioner=commissioner)
    cycle = AssessmentCycle.objects.create(
        name="2025 annual", period_start=date(2025, 1, 1), period_end=date(2025, 12, 31),
        opens_on=date(2026, 1, 5), due_on=date(2026, 2, 27),
    )  # fmt: skip
    assessments.open_cycle(cycle=cycle)
    assessment = submitted(Assessment.objects.get(cycle=cycle), commissioner, **NEEDS_ATTENTION_FIGURES)

    def review():
        assessments.assessment_review(assessment=assessment, actor=city)

    outcomes = race(first=review, second=review)
    assert sorted(outcomes.values()) == ["conflict", "ok"]
    # Routed once: commerce and the district government (and no rule twice).
    assert Finding.objects.filter(assessment=assessment, rule="needs_attention").count() == 2
    assert Finding.objects.filter(assessment=assessment).count() == len(
        set(Finding.objects.filter(assessment=assessment).values_list("rule", "bureau"))
    )
    assert AssessmentEvent.objects.filter(assessment=assessment, action="review").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_add_a_late_centres_assessment_and_remind_once():
    commissioner = UserFactory(role=Role.DISTRICT_COMMISSIONER, district=district("xuhui"))
    CentreFactory(district=district("xuhui"), commissioner=commissioner)
    cycle = AssessmentCycle.objects.create(
        name="2025 annual", period_start=date(2025, 1, 1), period_end=date(2025, 12, 31),
        opens_on=date(2026, 1, 5), due_on=date(2026, 2, 27),
    )  # fmt: skip
    assessments.open_cycle(cycle=cycle)
    late = CentreFactory(district=district("xuhui"), commissioner=commissioner)
    remind_day = cycle.due_on - timedelta(days=3)
    created = {}

    def sweep(name):
        def run():
            created[name] = (
                assessments.open_due_cycles(today=remind_day),
                assessments.chase_assessments(today=remind_day),
            )

        return run

    assert race(first=sweep("first"), second=sweep("second")) == {"first": "ok", "second": "ok"}
    # Whichever got there first: one assessment added and one reminder between the two.
    assert [sum(counts) for counts in zip(*created.values(), strict=True)] == [1, 1]
    assert Assessment.objects.filter(cycle=cycle, centre=late).count() == 1
    told = Notification.objects.filter(recipient=commissioner).order_by("id")
    assert [(n.kind, n.params["count"]) for n in told] == [
        (NotificationKind.ASSESSMENTS_OPENED, 1),
        (NotificationKind.ASSESSMENTS_OPENED, 1),
        (NotificationKind.ASSESSMENTS_DUE, 2),
    ]


@pytest.mark.parametrize("path", ["/api/assessments/", "/api/findings/"])
def test_list_queries_do_not_grow_with_the_rows(
    path, cycle, xuhui_commissioner, city_commissioner, client_for
):
    def add_reviewed_centre():
        centre = CentreFactory(district=district("xuhui"), commissioner=xuhui_commissioner)
        assessment = Assessment.objects.create(cycle=cycle, centre=centre, district=centre.district)
        assessments.assessment_update(
            assessment=assessment, actor=xuhui_commissioner, problems=[{"description": "Slow permits."}]
        )
        reviewed(assessment, xuhui_commissioner, city_commissioner, **NEEDS_ATTENTION_FIGURES)

    AssessmentCycle.objects.filter(pk=cycle.pk).update(opened_at=datetime(2026, 1, 5, tzinfo=SHANGHAI))
    client = client_for(city_commissioner)
    add_reviewed_centre()
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(path).status_code == 200
    for _ in range(4):
        add_reviewed_centre()
    with CaptureQueriesContext(connection) as five_rows:
        body = client.get(path).json()
    assert body["count"] >= 5
    assert len(five_rows.captured_queries) == len(one_row.captured_queries)
