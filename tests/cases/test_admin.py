"""Administrators keep reference data in the admin; case history there is read-only."""

import pytest
from django.test import Client

from cases.models import Case, CaseEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_browser(administrator):
    browser = Client()
    browser.force_login(administrator)
    return browser


def test_case_history_cannot_be_changed_or_deleted_in_the_admin(
    admin_browser, submitted_case, xuhui_commissioner
):
    event = CaseEvent.objects.create(
        case=submitted_case, actor=xuhui_commissioner, action="submit", to_state="submitted"
    )

    assert admin_browser.get(f"/admin/cases/caseevent/{event.pk}/change/").status_code == 200  # view only
    assert admin_browser.post(f"/admin/cases/caseevent/{event.pk}/change/", {"note": "x"}).status_code == 403
    assert (
        admin_browser.post(f"/admin/cases/caseevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert admin_browser.get("/admin/cases/caseevent/add/").status_code == 403
    assert (
        admin_browser.post(f"/admin/cases/case/{submitted_case.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert CaseEvent.objects.filter(pk=event.pk, note="").exists()


def test_routing_and_calendar_are_editable_in_the_admin(admin_browser):
    for page in ("policies/measure", "cases/calendarday", "cases/calendaryear", "cases/deadlinerule"):
        assert admin_browser.get(f"/admin/{page}/add/").status_code == 200, page


def test_the_admin_hides_confidential_cases_as_the_api_does(
    admin_browser, client_for, administrator, case_in_state
):
    case = case_in_state("submitted")
    Case.objects.filter(pk=case.pk).update(is_confidential=True, title="Secret formula")
    CaseEvent.record(subject=Case.objects.get(pk=case.pk), actor=None, action="note", note="secret")

    assert client_for(administrator).get(f"/api/cases/{case.pk}/").status_code == 404
    assert "Secret formula" not in admin_browser.get("/admin/cases/case/").content.decode()
    assert admin_browser.get(f"/admin/cases/case/{case.pk}/change/").status_code == 302  # "does not exist"
    assert "secret" not in admin_browser.get("/admin/cases/caseevent/").content.decode()


def test_the_contact_intervals_are_edited_in_the_admin(admin_browser):
    assert admin_browser.get("/admin/centres/contactinterval/").status_code == 200
