"""The published ranking on the managers' dashboard, in a real Chromium: beside the live one for the
chosen month, and the cases behind both. (The browser fixtures are the browser tests', imported in
this folder's conftest.)"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation
from playwright.sync_api import Page, expect

from cases.models import Case
from commissioners.models import Role
from dashboards import services
from tests.factories import PASSWORD, UserFactory, district

from .published_data import MAY, at, build_may

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def may(transactional_db):
    UserFactory(username="manager", role=Role.MANAGER)
    data = build_may(
        UserFactory(username="xuhui-dc", role=Role.DISTRICT_COMMISSIONER, district=district("xuhui")),
        UserFactory(username="pudong-dc", role=Role.DISTRICT_COMMISSIONER, district=district("pudong")),
    )
    with time_machine.travel(datetime.datetime(2026, 6, 1, 0, 40, tzinfo=SHANGHAI), tick=False):
        services.publish_month_rankings(month=MAY)
    # In June: B's call-back is redone, resolved; F's call-back turns out to be June's.
    Case.objects.filter(pk=data.cases["B"].pk).update(
        callback_resolved=True, callback_satisfaction="satisfied"
    )
    Case.objects.filter(pk=data.cases["F"].pk).update(callback_at=at("2026-06-02T10:00"))
    return data


def log_in(page: Page, base_url: str, path: str) -> None:
    page.goto(base_url + path)
    page.get_by_test_id("login-username").fill("manager")
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_selector("body[data-loaded=true]")


def test_the_published_ranking_stands_beside_the_live_one_and_opens_its_cases(
    live_server, may, new_page, artifacts
):
    page = new_page("en-US")
    log_in(page, live_server.url, "/dashboard/?from=2026-05&to=2026-05")

    expect(page.get_by_test_id("published-month")).to_have_value("2026-05")
    expect(page.get_by_test_id("published-status")).to_have_text(
        "Published 2026-06-01 00:40 by the month-end job."
    )
    table = page.get_by_test_id("table-published")
    expect(table.locator("tbody tr")).to_have_count(2)
    science = table.locator('tr[data-code="sh-science-technology"]')
    expect(science).to_have_attribute("data-differs", "true")
    expect(page.get_by_test_id("published-sh-science-technology-resolution")).to_have_text("75.0% (3/4)")
    expect(page.get_by_test_id("live-sh-science-technology-resolution")).to_have_text("100.0% (3/3)")
    expect(table.locator('tr[data-code="sh-finance"]')).to_have_attribute("data-differs", "false")
    # The live rankings rank the measures too.
    expect(page.get_by_test_id("table-ranking-measures").locator("tbody tr")).to_have_count(2)
    page.get_by_test_id("section-published").screenshot(path=str(artifacts / "dashboard-published-en.png"))

    page.get_by_test_id("published-cases-sh-science-technology").click()
    page.wait_for_selector("body[data-loaded=true]")

    assert "/dashboard/rankings/cases/" in page.url
    expect(page.get_by_test_id("ranking-unit")).to_have_text(
        "Shanghai Municipal Science and Technology Commission"
    )
    then = page.get_by_test_id("published-case")
    expect(then).to_have_count(4)
    assert {int(then.nth(i).get_attribute("data-case-id")) for i in range(4)} == may.ids("ABEF")
    expect(page.get_by_test_id("live-case")).to_have_count(3)
    f = page.locator(f'[data-testid="published-case"][data-case-id="{may.cases["F"].pk}"]')
    expect(f).to_have_attribute("data-other", "false")
    expect(page.get_by_test_id("status")).to_have_text("")


def test_in_chinese_a_month_not_yet_published_says_so_and_shows_the_live_figures(live_server, may, new_page):
    page = new_page("zh-CN")
    log_in(page, live_server.url, "/dashboard/?from=2026-06&to=2026-06&ranking_kind=district")

    with translation.override("zh-hans"):
        not_published = translation.gettext(
            "Not published yet: a month's ranking is frozen the night after the month ends. "
            "The live figures are shown."
        )
    assert not_published != "" and "月" in not_published
    expect(page.get_by_test_id("published-status")).to_have_text(not_published)
    expect(page.get_by_test_id("published-kind")).to_have_value("district")
    expect(page.get_by_test_id("table-published").locator("tbody tr")).to_have_count(16)
