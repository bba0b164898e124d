"""A district commissioner records, on a phone in a real Chromium, one briefing given to three of the
district's centres at once: from a centre's page, whose landing panel htmx loads, to the briefing's
page; and the panel of another centre that attended then shows the measures it was briefed on."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from commissioners.models import Role
from core.time import local_today
from landing.models import Briefing
from tests.factories import CentreFactory, UserFactory, district, shanghai_measure

from .test_workbench import expect_no_horizontal_overflow, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_a_briefing_of_three_centres_is_recorded_on_a_phone(
    live_server, transactional_db, new_page, artifacts, locale
):
    commissioner = UserFactory(
        username="xuhui-dc", role=Role.DISTRICT_COMMISSIONER, district=district("xuhui")
    )
    centres = [
        CentreFactory(
            district=district("xuhui"), commissioner=commissioner, name_en=f"Lab {n}", name_zh=f"实验室{n}"
        )
        for n in (1, 2, 3)
    ]
    elsewhere = CentreFactory(district=district("pudong"), name_en="Pudong Lab", name_zh="浦东实验室")
    language = "zh" if locale.startswith("zh") else "en"
    page = new_page(locale, phone=True)
    sign_in(page, live_server.url, commissioner.username, path=f"/centres/{centres[0].pk}/")

    panel = page.get_by_test_id("landing-panel")
    expect(panel).to_be_visible()
    expect(panel.get_by_test_id("briefed-measure")).to_have_count(0)
    panel.get_by_test_id("panel-record-briefing").click()

    expect(page.get_by_test_id("briefing-form")).to_be_visible()
    expect(page.get_by_test_id(f"centre-choice-{centres[0].pk}")).to_be_checked()
    expect(page.get_by_test_id(f"centre-choice-{elsewhere.pk}")).to_have_count(0)
    page.locator("#id_held_on").fill((local_today() - timedelta(days=1)).isoformat())
    page.locator("#id_format").select_option("seminar")
    page.locator("#id_title").fill("Measures 3 and 8 for the district's labs")
    for number in (3, 8):
        page.locator(f'input[name="measures"][value="{shanghai_measure(number).pk}"]').check()
    for centre in centres[1:]:
        page.get_by_test_id(f"centre-choice-{centre.pk}").check()
    page.locator("#id_notes").fill("Twelve people came from the three labs.")
    expect_no_horizontal_overflow(page)
    page.screenshot(path=str(artifacts / f"landing-briefing-form-{language}-phone.png"), full_page=True)
    page.get_by_test_id("briefing-submit").click()

    expect(page.get_by_test_id("briefing-title")).to_have_text("Measures 3 and 8 for the district's labs")
    expect(page.get_by_test_id("briefing-centre")).to_have_count(3)
    expect(page.get_by_test_id("briefing-measure")).to_have_count(2)
    expect(page.get_by_test_id("messages")).to_be_visible()
    expect_no_horizontal_overflow(page)
    page.screenshot(path=str(artifacts / f"landing-briefing-{language}-phone.png"), full_page=True)
    briefing = Briefing.objects.get()
    assert set(briefing.centres.values_list("pk", flat=True)) == {c.pk for c in centres}
    assert briefing.district_id == commissioner.district_id

    page.goto(f"{live_server.url}/centres/{centres[2].pk}/")
    expect(page.get_by_test_id("landing-panel").get_by_test_id("briefed-measure")).to_have_count(2)


def test_a_manager_opens_the_centres_behind_a_landing_figure(
    live_server, transactional_db, new_page, artifacts
):
    UserFactory(username="manager", role=Role.MANAGER)
    city = UserFactory(role=Role.CITY_COMMISSIONER)
    centres = [CentreFactory(district=district(code)) for code in ("xuhui", "xuhui", "pudong")]
    briefing = Briefing.objects.create(
        held_on=local_today(), format="seminar", title="Measure 8", given_by=city
    )
    briefing.measures.set([shanghai_measure(8)])
    briefing.centres.set(centres[:2])
    page = new_page("en-GB")
    sign_in(page, live_server.url, "manager", path="/dashboard/")

    section = page.get_by_test_id("section-landing")
    row = section.locator(f'[data-testid="funnel-row"][data-measure-id="{shanghai_measure(8).pk}"]')
    expect(row.get_by_test_id("funnel-briefed")).to_have_text("2")
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "dashboard-landing-en.png"), full_page=True)
    row.get_by_test_id("funnel-briefed").click()

    expect(page.get_by_test_id("drill-count")).to_have_text("2")
    expect(page.get_by_test_id("drill-centre")).to_have_count(2)
    page.screenshot(path=str(artifacts / "dashboard-landing-centres-en.png"), full_page=True)
