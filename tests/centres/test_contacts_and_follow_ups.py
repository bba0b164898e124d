"""Routine contact: recording contacts, the daily follow-up sweep and who sees what."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from centres import tasks
from centres.models import Centre, ContactInterval, FollowUp, GuidanceClass
from commissioners.models import Notification, NotificationKind
from tests.factories import CentreFactory, district

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime(2026, 11, 20, 7, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield TODAY


def last_contacted(centre: Centre, days_ago: int) -> Centre:
    Centre.objects.filter(pk=centre.pk).update(last_contacted_on=TODAY - timedelta(days=days_ago))
    return centre


def record(client, centre, **overrides):
    body = {
        "centre": centre.pk,
        "kind": "visit",
        "contacted_on": "2026-11-19",
        "participants": "Dr. Weber (site head), Ms. Li (commissioner)",
        "summary": "Discussed the talent visa renewal and the new lab lease.",
        **overrides,
    }
    return client.post("/api/contact-records/", body, format="json")


def test_a_centre_due_within_the_lead_time_gets_one_follow_up_for_its_commissioner(
    xuhui_centre, xuhui_commissioner
):
    last_contacted(xuhui_centre, 85)  # due in 5 days (90-day interval), inside the 7-day lead time
    tasks.open_contact_follow_ups()
    tasks.open_contact_follow_ups()
    follow_up = FollowUp.objects.get(centre=xuhui_centre)
    assert (follow_up.kind, follow_up.assignee, follow_up.due_on) == (
        "contact",
        xuhui_commissioner,
        TODAY + timedelta(days=5),
    )
    notification = Notification.objects.get(recipient=xuhui_commissioner)
    assert notification.kind == NotificationKind.CONTACT_DUE


def test_not_yet_due_centres_and_closed_ones_are_left_alone(xuhui_centre):
    last_contacted(xuhui_centre, 80)  # due in 10 days
    closed = last_contacted(CentreFactory(status="closed"), 200)
    tasks.open_contact_follow_ups()
    assert not FollowUp.objects.filter(centre__in=[xuhui_centre, closed]).exists()


def test_the_guidance_class_sets_the_interval_and_administrators_can_change_it(xuhui_centre):
    Centre.objects.filter(pk=xuhui_centre.pk).update(guidance_class=GuidanceClass.NEEDS_ATTENTION)
    last_contacted(xuhui_centre, 25)  # needs attention: every 30 days
    leading = last_contacted(CentreFactory(guidance_class=GuidanceClass.LEADING), 100)  # leading: 180 days
    tasks.open_contact_follow_ups()
    assert FollowUp.objects.get(centre=xuhui_centre).due_on == TODAY + timedelta(days=5)
    assert not FollowUp.objects.filter(centre=leading).exists()

    ContactInterval.objects.filter(guidance_class=GuidanceClass.LEADING).update(days=105)
    tasks.open_contact_follow_ups()
    assert FollowUp.objects.get(centre=leading).due_on == TODAY + timedelta(days=5)


def test_a_centre_without_its_own_commissioner_is_followed_up_by_its_district(xuhui_commissioner):
    centre = last_contacted(CentreFactory(district=district("xuhui"), commissioner=None), 120)
    tasks.open_contact_follow_ups()
    follow_up = FollowUp.objects.get(centre=centre)
    assert follow_up.assignee is None and follow_up.due_on < TODAY  # already overdue
    assert Notification.objects.filter(recipient=xuhui_commissioner, kind="contact_due").exists()


def test_a_centre_in_a_district_without_commissioners_is_the_citys_to_follow_up(city_commissioner):
    centre = last_contacted(CentreFactory(district=district("chongming"), commissioner=None), 120)
    tasks.open_contact_follow_ups()
    assert FollowUp.objects.filter(centre=centre).exists()
    assert Notification.objects.filter(recipient=city_commissioner, kind="contact_due").exists()


def test_an_old_contact_entered_late_does_not_settle_the_follow_up(
    client_for, xuhui_centre, xuhui_commissioner
):
    last_contacted(xuhui_centre, 95)
    tasks.open_contact_follow_ups()
    response = record(client_for(xuhui_commissioner), xuhui_centre, contacted_on="2026-06-01")
    assert response.status_code == 201
    assert FollowUp.objects.get(centre=xuhui_centre).closed_at is None


def test_the_sweep_issues_the_same_number_of_queries_for_more_centres(xuhui_commissioner):
    def sweep_new(count: int) -> int:
        for _ in range(count):
            last_contacted(CentreFactory(commissioner=xuhui_commissioner), 100)
        with CaptureQueriesContext(connection) as queries:
            tasks.open_contact_follow_ups()
        return len(queries)

    assert sweep_new(2) == sweep_new(12)


def test_recording_a_contact_closes_the_follow_up(client_for, xuhui_centre, xuhui_commissioner):
    last_contacted(xuhui_centre, 95)
    tasks.open_contact_follow_ups()

    response = record(client_for(xuhui_commissioner), xuhui_centre)

    assert response.status_code == 201, response.json()
    follow_up = FollowUp.objects.get(centre=xuhui_centre)
    assert follow_up.closed_at is not None and follow_up.contact_record_id == response.json()["id"]
    xuhui_centre.refresh_from_db()
    assert xuhui_centre.last_contacted_on == date(2026, 11, 19)
    tasks.open_contact_follow_ups()  # next contact is 90 days away now
    assert FollowUp.objects.filter(centre=xuhui_centre, closed_at__isnull=True).count() == 0


def test_bad_contacts_are_refused_with_the_field_named(client_for, xuhui_centre, xuhui_commissioner):
    client = client_for(xuhui_commissioner)
    future = record(client, xuhui_centre, contacted_on="2026-11-21")
    assert future.status_code == 400
    assert future.json()["errors"][0]["attr"] == "contacted_on"
    empty = record(client, xuhui_centre, summary="  ")
    assert empty.status_code == 400 and empty.json()["errors"][0]["attr"] == "summary"
    assert not xuhui_centre.contact_records.exists()


def test_a_contact_with_a_centre_of_another_district_is_refused(
    client_for, pudong_centre, xuhui_commissioner
):
    response = record(client_for(xuhui_commissioner), pudong_centre)
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "centre"
    assert not pudong_centre.contact_records.exists()


def test_contact_records_of_another_district_are_out_of_sight(client_for, pudong_centre, xuhui_commissioner):
    contact = record(client_for(pudong_centre.commissioner), pudong_centre).json()["id"]
    client = client_for(xuhui_commissioner)
    assert client.get(f"/api/contact-records/{contact}/").status_code == 404
    assert client.get("/api/contact-records/").json()["count"] == 0


def test_bureaus_do_not_see_the_commissioners_contact_work(client_for, bureau_staff):
    client = client_for(bureau_staff)
    assert client.get("/api/contact-records/").status_code == 403
    assert client.get("/api/follow-ups/").status_code == 403


def test_follow_ups_are_scoped_to_the_district(
    client_for, xuhui_centre, pudong_centre, xuhui_commissioner, city_commissioner
):
    last_contacted(xuhui_centre, 100)
    last_contacted(pudong_centre, 100)
    tasks.open_contact_follow_ups()
    mine = client_for(xuhui_commissioner).get("/api/follow-ups/?open=true").json()["results"]
    assert [row["centre"] for row in mine] == [xuhui_centre.pk]
    assert mine[0]["is_overdue"] is True
    everyone = client_for(city_commissioner).get("/api/follow-ups/").json()["results"]
    assert {row["centre"] for row in everyone} == {xuhui_centre.pk, pudong_centre.pk}


def test_a_case_is_logged_straight_from_a_contact(
    client_for, xuhui_centre, pudong_centre, xuhui_commissioner
):
    from policies.models import Measure

    client = client_for(xuhui_commissioner)
    contact_id = record(client, xuhui_centre).json()["id"]
    measure = Measure.objects.get(programme="shanghai_2024", number=3)
    case = {"centre": xuhui_centre.pk, "measure": measure.pk, "title": "Visa renewal", "description": "Slow."}

    created = client.post("/api/cases/", {**case, "contact_record": contact_id}, format="json")

    assert created.status_code == 201, created.json()
    assert client.get(f"/api/contact-records/{contact_id}/").json()["cases_raised"] == [created.json()["id"]]
    other = client_for(pudong_centre.commissioner)
    pudong_contact = record(other, pudong_centre).json()["id"]
    wrong = client.post("/api/cases/", {**case, "contact_record": pudong_contact}, format="json")
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["attr"] == "contact_record"
