"""Administrators keep reference data in the admin; case history there is read-only."""

import pytest
from django.test import Client

from cases.models import CaseEvent

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
