"""The development assessment in a real Chromium on a phone: the district commissioner fills it in
and submits it, the city returns it with a reason, the commissioner sees the reason."""

from datetime import date

import pytest
from django.utils import translation
from playwright.sync_api import expect

from assessments import services as assessments
from assessments.models import Assessment, AssessmentCycle, AssessmentState
from assessments.pages.views import RETURNED, SUBMITTED

from .test_workbench import expect_no_horizontal_overflow, sign_in
from .workbench_data import build_workbench

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FIGURES = {
    "full_time_rd_staff": "60",
    "total_staff": "80",
    "rd_spending_cny": "25000000",
    "patents_filed": "12",
    "patents_granted": "5",
    "joint_projects_universities": "2",
    "joint_projects_institutes": "1",
    "joint_projects_firms": "0",
    "startups_incubated": "1",
    "foreign_experts": "4",
    "centre_view_of_service": "Quick answers from the district.",
}


@pytest.fixture
def assessment(transactional_db):
    workbench = build_workbench()
    cycle = AssessmentCycle.objects.create(
        name="2025 annual",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        opens_on=date(2026, 1, 5),
        due_on=date(2099, 2, 27),
    )
    assessments.open_cycle(cycle=cycle)
    return Assessment.objects.get(cycle=cycle, centre=workbench.centre)


def said(message, language: str) -> str:
    with translation.override(language):
        return str(message)


@pytest.mark.parametrize(("locale", "language", "tag"), [("zh-CN", "zh-hans", "zh"), ("en-GB", "en", "en")])
def test_the_commissioner_submits_on_a_phone_the_city_returns_it_and_the_reason_is_seen(
    live_server, assessment, new_page, artifacts, locale, language, tag
):
    page = new_page(locale, phone=True)
    sign_in(page, live_server.url, "xuhui-dc", path="/assessments/")
    row = page.locator(f'[data-testid="assessment-row"][data-assessment-id="{assessment.pk}"]')
    expect(row).to_be_visible()
    row.get_by_test_id("assessment-link").click()
    form = page.get_by_test_id("entry-form")
    expect(form).to_be_visible()
    for name, value in FIGURES.items():
        page.get_by_test_id(f"entry-{name}").fill(value)
    page.get_by_test_id("problem-description").first.fill("Reagents wait weeks at customs.")
    page.get_by_test_id("problem-measure").first.select_option("3")
    expect_no_horizontal_overflow(page)
    page.screenshot(path=str(artifacts / f"assessment-form-{tag}-phone.png"), full_page=True)
    page.get_by_test_id("entry-submit").click()
    expect(page.get_by_test_id("messages")).to_contain_text(said(SUBMITTED, language))
    expect(page.get_by_test_id("assessment")).to_have_attribute("data-state", AssessmentState.SUBMITTED)
    expect(page.get_by_test_id("entry-form")).to_have_count(0)

    city = new_page(locale, phone=True)
    sign_in(city, live_server.url, "city", path="/assessments/")
    city.locator(f'[data-testid="assessment-row"][data-assessment-id="{assessment.pk}"]').get_by_test_id(
        "assessment-link"
    ).click()
    city.get_by_test_id("return-reason-input").fill("The spending looks like thousands of CNY.")
    city.get_by_test_id("do-return").click()
    expect(city.get_by_test_id("messages")).to_contain_text(said(RETURNED, language))
    expect(city.get_by_test_id("assessment")).to_have_attribute("data-state", AssessmentState.RETURNED)
    city.screenshot(path=str(artifacts / f"assessment-returned-city-{tag}-phone.png"), full_page=True)

    page.goto(f"{live_server.url}/assessments/")
    expect(page.get_by_test_id("row-return-reason")).to_contain_text(
        "The spending looks like thousands of CNY."
    )
    page.get_by_test_id("assessment-link").first.click()
    expect(page.get_by_test_id("return-reason")).to_contain_text("The spending looks like thousands of CNY.")
    expect(page.get_by_test_id("entry-form")).to_be_visible()
    expect(page.get_by_test_id("entry-full_time_rd_staff")).to_have_value("60")
    expect_no_horizontal_overflow(page)
    page.screenshot(path=str(artifacts / f"assessment-return-reason-{tag}-phone.png"), full_page=True)
