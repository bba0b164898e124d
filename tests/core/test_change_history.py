"""One change history of everything the product holds (core.changes): every write of a tracked
table, whatever made it, is recorded by the database with its old and new values, who made it,
from where and why; nothing can rewrite it; administrators browse it, the API shows a centre's."""

import io
from datetime import timedelta

import pgtrigger
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone

from assessments.models import ClassThreshold, ScoringWeight
from cases.models import CalendarDay, Case, CaseState, DeadlineRule
from cases.services import case_withdraw
from centres.models import Centre, ContactInterval, ContactRecord
from centres.services import contact_record_create
from commissioners.models import Role
from core.changes import change_context, change_tables
from policies.models import ResponsibleUnit
from tests.factories import CentreFactory, UserFactory, district

pytestmark = pytest.mark.django_db


def _changes_of(obj, **filters):
    return list(obj.changes.filter(**filters).order_by("pgh_id"))


def test_a_centre_edit_through_the_api_records_old_and_new_values_its_user_and_address(
    client_for, xuhui_commissioner, xuhui_centre
):
    before = xuhui_centre.total_staff
    edited = client_for(xuhui_commissioner).patch(
        f"/api/centres/{xuhui_centre.pk}/", {"total_staff": before + 7}, format="json"
    )
    assert edited.status_code == 200, edited.content

    update = _changes_of(xuhui_centre, pgh_label="update")[-1]
    assert update.total_staff == before + 7
    assert update.pgh_context["user"] == xuhui_commissioner.pk
    assert update.pgh_context["url"] == f"/api/centres/{xuhui_centre.pk}/"

    history = client_for(xuhui_commissioner).get(f"/api/centres/{xuhui_centre.pk}/history/").json()
    newest = history["results"][0]
    assert newest["action"] == "update"
    assert newest["table"] == "centres.Centre"
    assert newest["changes"]["total_staff"] == [before, before + 7]
    assert newest["user"] == xuhui_commissioner.pk
    assert newest["user_name"]


def test_a_write_that_changes_nothing_records_nothing(
    client_for, xuhui_commissioner, xuhui_centre, case_in_state
):
    client = client_for(xuhui_commissioner)
    centre_changes = xuhui_centre.changes.count()
    same = client.patch(
        f"/api/centres/{xuhui_centre.pk}/", {"total_staff": xuhui_centre.total_staff}, format="json"
    )
    assert same.status_code == 200
    Centre.objects.filter(pk=xuhui_centre.pk).update(updated_at=timezone.now())  # only the noise column
    assert xuhui_centre.changes.count() == centre_changes

    case = case_in_state(CaseState.SUBMITTED)
    case_changes, case_events = case.changes.count(), case.events.count()
    assert client.patch(f"/api/cases/{case.pk}/", {"title": case.title}, format="json").status_code == 200
    assert (case.changes.count(), case.events.count()) == (case_changes, case_events)


def test_raw_sql_and_bulk_writes_are_recorded_too(xuhui_centre):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE centres_centre SET total_staff = 999 WHERE id = %s", [xuhui_centre.pk])
    Centre.objects.filter(pk=xuhui_centre.pk).update(parent_company="Renamed AG")

    first, second = _changes_of(xuhui_centre, pgh_label="update")[-2:]
    assert first.total_staff == 999
    assert second.parent_company == "Renamed AG"
    assert first.pgh_context is None  # no request, no task: the record says so rather than guessing


def test_every_change_table_refuses_update_and_delete_in_the_database(xuhui_centre):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE 'pgtrigger_append_only_%'"
        )
        protected = {row[0] for row in cursor.fetchall()}
    tables = {model._meta.db_table for model in change_tables()}
    assert len(tables) >= 30
    assert tables <= protected, tables - protected

    # And the refusal itself, by raw SQL from the application's own connection.
    for statement in ("UPDATE centres_centrechange SET total_staff = 0", "DELETE FROM centres_centrechange"):
        with pytest.raises(DatabaseError) as refusal, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
        assert "Cannot update or delete rows" in str(refusal.value)
    assert xuhui_centre.changes.filter(pgh_label="insert").exists()


def test_the_tables_an_auditor_asks_about_are_all_tracked():
    tracked = {model.pgh_tracked_model._meta.label for model in change_tables() if model.pgh_tracked_model}
    assert {
        "cases.Case",
        "cases.Assignment",
        "cases.Comment",
        "cases.Attachment",
        "assessments.Assessment",
        "assessments.Finding",
        "centres.Centre",
        "centres.ContactPerson",
        "centres.ContactRecord",
        "centres.FollowUp",
        "commissioners.User",
        # The reference tables administrators edit.
        "policies.Measure",
        "policies.ResponsibleUnit",
        "cases.DeadlineRule",
        "cases.CalendarDay",
        "cases.CalendarYear",
        "assessments.ScoringWeight",
        "assessments.ClassThreshold",
        "centres.ContactInterval",
    } <= tracked


@pytest.fixture
def admin_browser(administrator):
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(administrator)
    return browser


def test_a_role_change_in_the_admin_is_recorded_with_the_administrator(admin_browser, administrator):
    clerk = UserFactory(username="clerk", role=Role.DISTRICT_COMMISSIONER, district=district("xuhui"))
    form = {
        "username": "clerk",
        "role": Role.CITY_COMMISSIONER,
        "district": "",
        "bureau": "",
        "language": "zh-hans",
        "is_active": "on",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
        "email": clerk.email,
    }
    page = admin_browser.get(f"/admin/commissioners/user/{clerk.pk}/change/")
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        form.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    answer = admin_browser.post(f"/admin/commissioners/user/{clerk.pk}/change/", form)
    assert answer.status_code == 302, answer.content.decode()[:2000]

    update = _changes_of(clerk, pgh_label="update")[-1]
    assert (update.role, update.district_id) == (Role.CITY_COMMISSIONER, None)
    assert update.pgh_context["user"] == administrator.pk
    assert not hasattr(update, "password")  # a hash is never history


def test_a_password_change_is_recorded_without_the_password(xuhui_commissioner):
    xuhui_commissioner.set_password("another-long-passphrase-2026")
    xuhui_commissioner.save()
    assert _changes_of(xuhui_commissioner, pgh_label="password")
    assert not _changes_of(xuhui_commissioner, pgh_label="update")  # nothing else changed


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (DeadlineRule, "answer_working_days", 9),
        (CalendarDay, "name", "Renamed day"),
        (ScoringWeight, "weight", 3),
        (ClassThreshold, "min_score", 41),
        (ContactInterval, "days", 45),
        (ResponsibleUnit, "order", 7),
    ],
)
def test_an_edit_of_a_reference_table_is_recorded_with_who_and_why(model, field, value, administrator):
    row = model.objects.first() or _reference_row(model)
    with change_context(user=administrator.pk, reason="Annual review"):
        setattr(row, field, value)
        row.save()
    update = _changes_of(row, pgh_label="update")[-1]
    assert getattr(update, field) == value
    assert update.pgh_context == {"user": administrator.pk, "reason": "Annual review"}


def _reference_row(model):
    if model is CalendarDay:
        return CalendarDay.objects.create(date="2026-10-01", is_working_day=False, name="National Day")
    raise AssertionError(f"the reference data has no {model.__name__}")


def test_a_move_records_its_reason_with_the_case_row(xuhui_commissioner, case_in_state):
    case = case_in_state(CaseState.SUBMITTED)
    case_withdraw(case=case, actor=xuhui_commissioner, reason="Solved by the centre itself")

    update = _changes_of(case, pgh_label="update")[-1]
    assert update.state == CaseState.WITHDRAWN
    assert update.pgh_context["reason"] == "Solved by the centre itself"
    assert update.pgh_context["action"] == "withdraw"


def test_a_task_records_its_name(xuhui_centre):
    from centres.tasks import open_contact_follow_ups

    Centre.objects.filter(pk=xuhui_centre.pk).update(
        last_contacted_on=timezone.localdate() - timedelta(days=400)
    )
    opened = open_contact_follow_ups.apply().get()
    assert opened >= 1
    follow_up = apps.get_model("centres", "FollowUpChange").objects.filter(centre_id=xuhui_centre.pk).last()
    assert follow_up.pgh_context["task"] == "centres.tasks.open_contact_follow_ups"


def test_the_centre_history_follows_the_centre_and_contact_work_visibility(
    client_for, xuhui_commissioner, pudong_commissioner, bureau_staff, manager, xuhui_centre
):
    contact_record_create(
        actor=xuhui_commissioner,
        centre=xuhui_centre,
        kind="visit",
        contacted_on=timezone.localdate(),
        participants="Director",
        summary="Tea",
    )
    url = f"/api/centres/{xuhui_centre.pk}/history/"

    seen = client_for(manager).get(url).json()["results"]
    assert {"centres.Centre", "centres.ContactRecord"} <= {change["table"] for change in seen}
    assert client_for(pudong_commissioner).get(url).status_code == 404
    assert client_for(bureau_staff).get(url).status_code == 404  # no case of the centre is routed to it


def test_the_admin_browses_changes_by_object_user_and_date(admin_browser, administrator, xuhui_centre):
    other = CentreFactory(district=district("xuhui"))
    # (First: the test is one transaction, and a context's setting lasts to the transaction's end.)
    Centre.objects.filter(pk=other.pk).update(parent_company="Unseen SA")
    with change_context(user=administrator.pk):
        Centre.objects.filter(pk=xuhui_centre.pk).update(parent_company="Seen GmbH")

    by_object = admin_browser.get(
        f"/admin/core/changerecord/?obj=centres.Centre:{xuhui_centre.pk}&method=tracks"
    )
    assert by_object.status_code == 200
    assert "Seen GmbH" in by_object.content.decode() and "Unseen SA" not in by_object.content.decode()

    by_user = admin_browser.get(
        f"/admin/core/changerecord/?user__id__exact={administrator.pk}"
    ).content.decode()
    assert "Seen GmbH" in by_user and "Unseen SA" not in by_user

    # The date filter's own links carry aware times (the start of a day in Shanghai).
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    by_day = admin_browser.get(
        "/admin/core/changerecord/",
        {"pgh_created_at__gte": str(today), "pgh_created_at__lt": str(today + timedelta(days=1))},
    ).content.decode()
    assert "Seen GmbH" in by_day and "Unseen SA" in by_day
    long_ago = today.replace(year=2001)
    by_old_day = admin_browser.get(
        "/admin/core/changerecord/",
        {"pgh_created_at__gte": str(long_ago), "pgh_created_at__lt": str(long_ago + timedelta(days=1))},
    ).content.decode()
    assert "Seen GmbH" not in by_old_day


def test_the_admin_history_hides_a_confidential_case_as_the_api_does(admin_browser, case_in_state):
    case = case_in_state(CaseState.SUBMITTED)
    Case.objects.filter(pk=case.pk).update(is_confidential=True, title="Secret formula")
    open_case = case_in_state(CaseState.SUBMITTED)
    Case.objects.filter(pk=open_case.pk).update(title="Open matter")

    listing = admin_browser.get("/admin/core/changerecord/?event_model=cases.casechange").content.decode()
    assert "Open matter" in listing
    assert "Secret formula" not in listing
    assignments = admin_browser.get(
        f"/admin/core/changerecord/?obj=cases.Case:{case.pk}&method=references"
    ).content.decode()
    assert "Secret formula" not in assignments and "sh-science-technology" not in assignments


def test_purge_history_reaches_the_change_tables(xuhui_centre):
    change = xuhui_centre.changes.get(pgh_label="insert")
    with (
        transaction.atomic(),
        pgtrigger.ignore("centres.CentreChange:append_only"),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE centres_centrechange SET pgh_created_at = %s WHERE pgh_id = %s",
            [timezone.now() - timedelta(days=4000), change.pgh_id],
        )
    before = (timezone.localdate() - timedelta(days=365)).isoformat()
    out = io.StringIO()
    call_command("purge_history", before=before, history=["centres.CentreChange"], yes=True, stdout=out)
    assert "centres.CentreChange: 1 rows" in out.getvalue()
    assert not xuhui_centre.changes.filter(pgh_id=change.pgh_id).exists()
    assert ContactRecord.objects.count() == 0  # the purge removes history only


def test_each_tracked_rows_admin_page_links_to_its_changes(admin_browser, xuhui_centre):
    page = admin_browser.get(f"/admin/centres/centre/{xuhui_centre.pk}/change/").content.decode()
    assert f"/admin/core/changerecord/?method=tracks&obj=centres.Centre:{xuhui_centre.pk}&back=" in page
