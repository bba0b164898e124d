"""What became of an eligibility (政策落地): each finding gets an outcome that closes it, and its
clock (the outcome due a number of working days after routing) is chased like any other."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments import services as assessments
from assessments.models import Assessment, AssessmentEvent, Finding
from assessments.tasks import sweep_assessments
from cases.deadlines import due_after
from centres.models import CentreType
from commissioners.models import Notification, NotificationKind, Role
from tests.assessments.test_assessments import cycle, reviewed  # noqa: F401 (a fixture)
from tests.factories import CentreFactory, UserFactory, bureau, district

pytestmark = pytest.mark.django_db


@pytest.fixture
def eligible(cycle, xuhui_commissioner, city_commissioner, settings):  # noqa: F811 (the imported fixture)
    settings.SCHEDULING = {**settings.SCHEDULING, "FINDING_OUTCOME_WORKING_DAYS": 10}
    centre = CentreFactory(
        district=district("xuhui"), commissioner=xuhui_commissioner, centre_type=CentreType.GLOBAL_RD_CENTRE
    )
    assessments.open_cycle(cycle=cycle)
    assessment = Assessment.objects.get(centre=centre)
    reviewed(assessment, xuhui_commissioner, city_commissioner, full_time_rd_staff=80, total_staff=90)
    return Finding.objects.get(
        assessment=assessment, rule="hq_startup_and_rent_subsidy", bureau__code="sh-commerce"
    )


def test_an_eligibility_is_due_its_outcome_in_working_days(eligible):
    assert eligible.follow_up_due_on == due_after(start=timezone.localdate(), working_days=10).due_on
    assert eligible.outcome == ""


def test_the_outcome_closes_the_finding_once_and_the_history_keeps_it(eligible, client_for):
    commerce = UserFactory(role=Role.BUREAU_STAFF, bureau=bureau("sh-commerce"))
    url = f"/api/findings/{eligible.pk}/outcome/"
    recorded = client_for(commerce).post(
        url, {"outcome": "applied", "note": "Filed on 3 Dec."}, format="json"
    )
    assert recorded.status_code == 200, recorded.content
    assert (recorded.json()["outcome"], recorded.json()["status"]) == ("applied", "acted_on")

    again = client_for(commerce).post(url, {"outcome": "granted"}, format="json")
    assert again.status_code == 409
    assert Finding.objects.get(pk=eligible.pk).outcome == "applied"
    event = AssessmentEvent.objects.get(action="finding_outcome")
    assert (event.actor_id, event.changes["outcome"], event.note) == (
        commerce.pk,
        "applied",
        "Filed on 3 Dec.",
    )


@pytest.mark.parametrize("who", ["xuhui_commissioner", "city_commissioner"])
def test_the_centres_district_and_the_city_record_an_outcome_too(who, eligible, client_for, request):
    answer = client_for(request.getfixturevalue(who)).post(
        f"/api/findings/{eligible.pk}/outcome/", {"outcome": "briefed"}, format="json"
    )
    assert answer.status_code == 200, answer.content


def test_an_unknown_outcome_is_a_400_and_others_may_not_record_one(eligible, client_for, manager):
    commerce = UserFactory(role=Role.BUREAU_STAFF, bureau=bureau("sh-commerce"))
    unknown = client_for(commerce).post(
        f"/api/findings/{eligible.pk}/outcome/", {"outcome": "maybe"}, format="json"
    )
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["attr"] == "outcome"
    assert (
        client_for(manager)
        .post(f"/api/findings/{eligible.pk}/outcome/", {"outcome": "briefed"}, format="json")
        .status_code
        == 403
    )
    science = UserFactory(role=Role.BUREAU_STAFF, bureau=bureau("sh-science-technology"))
    assert (
        client_for(science)
        .post(f"/api/findings/{eligible.pk}/outcome/", {"outcome": "briefed"}, format="json")
        .status_code
        == 404
    )
    assert Finding.objects.get(pk=eligible.pk).outcome == ""


def test_an_overdue_outcome_is_chased_once_per_finding_by_the_daily_sweep(eligible):
    commerce = UserFactory(role=Role.BUREAU_STAFF, bureau=bureau("sh-commerce"))
    Finding.objects.filter(pk=eligible.pk).update(follow_up_due_on=timezone.localdate() - timedelta(days=1))
    others = Finding.objects.exclude(pk=eligible.pk)
    others.update(follow_up_due_on=timezone.localdate() + timedelta(days=30))

    sweep_assessments.apply()
    sweep_assessments.apply()
    chased = Notification.objects.filter(kind=NotificationKind.FINDING_OUTCOME_DUE)
    assert list(chased.values_list("recipient", flat=True)) == [commerce.pk]
    assert chased.get().params["finding"] == eligible.pk

    assessments.finding_record_outcome(finding=eligible, actor=commerce, outcome="not_interested")
    Notification.objects.filter(kind=NotificationKind.FINDING_OUTCOME_DUE).delete()
    sweep_assessments.apply()
    assert not Notification.objects.filter(kind=NotificationKind.FINDING_OUTCOME_DUE).exists()


def test_the_outcome_sweep_reads_a_fixed_number_of_queries(eligible, django_assert_max_num_queries):
    Finding.objects.update(follow_up_due_on=timezone.localdate() - timedelta(days=1))
    for code in ("sh-commerce", "sh-finance"):
        UserFactory(role=Role.BUREAU_STAFF, bureau=bureau(code))
    with django_assert_max_num_queries(6):
        offered = assessments.chase_finding_outcomes(today=timezone.localdate())
    assert offered == 2
