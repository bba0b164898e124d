"""The fair figures on the managers' dashboard, in a real Chromium: a bureau's rates with every case
and without the one excluded on its appeal, its returns as ruled and the excluded case listed.
(The browser fixtures are the browser tests', imported in this folder's conftest.)"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from cases import services
from commissioners.models import Role
from tests.factories import PASSWORD, CentreFactory, UserFactory, bureau, district, shanghai_measure

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def june(transactional_db):
    UserFactory(username="manager", role=Role.MANAGER)
    commissioner = UserFactory(role=Role.DISTRICT_COMMISSIONER, district=district("xuhui"))
    city = UserFactory(role=Role.CITY_COMMISSIONER)
    lead = UserFactory(role=Role.BUREAU_STAFF, bureau=bureau("sh-science-technology"))
    centre = CentreFactory(district=district("xuhui"), commissioner=commissioner)

    def dispatched():
        case = services.case_submit(
            actor=commissioner,
            centre=centre,
            measure=shanghai_measure(1),
            title="Funding",
            description="Late.",
        )
        return services.case_dispatch(
            case=case, actor=city, lead_bureau=bureau("sh-science-technology"), override_reason="Lead alone."
        )

    with time_machine.travel(datetime.datetime(2025, 6, 9, 10, tzinfo=SHANGHAI), tick=False):
        kept = services.case_accept(case=dispatched(), actor=lead)
        excluded = services.case_accept(case=dispatched(), actor=lead)
        excluded = services.case_appeal(case=excluded, actor=lead, reason="It asks for a change in the law.")
        services.case_decide_appeal(
            case=excluded, actor=city, appeal_id=excluded.appeals.get().pk, upheld=True, reason="Agreed."
        )
        returned = services.case_return(case=dispatched(), actor=lead, reason="Not ours.")
        services.case_rule_return(case=returned, actor=city, upheld=False, reason="It is yours.")
    return {"kept": kept, "excluded": excluded}


def log_in(page: Page, base_url: str, path: str) -> None:
    page.goto(base_url + path)
    page.get_by_test_id("login-username").fill("manager")
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_selector("body[data-loaded=true]")


def test_the_fair_figures_show_the_rates_without_the_excluded_case(live_server, june, new_page, artifacts):
    page = new_page("en-US")
    log_in(page, live_server.url, "/dashboard/?from=2025-06&to=2025-06")

    row = page.get_by_test_id("table-fairness").locator('tr[data-code="sh-science-technology"]')
    expect(row).to_have_count(1)
    # Two accepted on time; the returned part and its part since, not accepted.
    expect(page.get_by_test_id("fair-all-response-sh-science-technology")).to_have_text("50.0% (2/4)")
    expect(page.get_by_test_id("fair-without-response-sh-science-technology")).to_have_text("33.3% (1/3)")
    excluded = page.get_by_test_id("table-excluded").locator("tbody tr")
    expect(excluded).to_have_count(1)
    expect(excluded).to_contain_text(f"#{june['excluded'].pk}")
    expect(excluded).to_contain_text("It asks for a change in the law.")
    page.get_by_test_id("section-fairness").screenshot(path=str(artifacts / "dashboard-fairness-en.png"))


def test_the_section_reads_in_chinese(live_server, june, new_page):
    page = new_page("zh-CN")
    log_in(page, live_server.url, "/dashboard/?from=2025-06&to=2025-06")
    expect(page.get_by_test_id("section-fairness").locator("h2")).to_have_text("公平考核")
