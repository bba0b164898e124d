"""The managers' dashboard in a real Chromium: what a manager sees is what the API says."""

import csv
import io
import json
import math
import re

import openpyxl
import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from commissioners.models import District
from tests.factories import PASSWORD

from .data_set import DataSet, build_data_set

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def data(transactional_db) -> DataSet:
    return build_data_set()


CJK = re.compile("[\u4e00-\u9fff]")


def translated(text: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def log_in(page: Page, base_url: str, username: str, path: str = "/dashboard/") -> None:
    page.goto(base_url + path)
    expect(page.get_by_test_id("login-form")).to_be_visible()
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_load_state()


def wait_until_loaded(page: Page) -> None:
    page.wait_for_selector("body[data-loaded=true]")


def api(page: Page, base_url: str, path: str) -> dict:
    """The API as the page's user sees it: the same browser session."""
    response = page.request.get(
        base_url + path, headers={"Accept-Language": page.evaluate("document.documentElement.lang")}
    )
    assert response.ok, (path, response.status, response.text())
    return response.json()


def chart(page: Page, testid: str) -> tuple[list, list | dict]:
    canvas = page.get_by_test_id(testid)
    expect(canvas).to_have_attribute("data-rendered", "true")
    return json.loads(canvas.get_attribute("data-labels")), json.loads(canvas.get_attribute("data-values"))


def test_a_visitor_is_sent_to_the_login_page(live_server, data, new_page):
    page = new_page()

    page.goto(f"{live_server.url}/dashboard/cases/?state=closed")

    assert "/login/" in page.url
    expect(page.get_by_test_id("login-form")).to_be_visible()


def test_manager_sees_the_figures_the_api_returns(live_server, data, new_page, artifacts):
    page = new_page("zh-CN")
    log_in(page, live_server.url, "manager", f"/dashboard/?{data.query}")
    wait_until_loaded(page)
    figures = api(page, live_server.url, f"/api/dashboard/cases/?{data.query}")

    # The API counts the hand-built cases as they were moved.
    assert figures["volume"]["logged"] == data.expected_logged
    assert {row["state"]: row["count"] for row in figures["volume"]["by_state"] if row["count"]} == (
        data.expected_by_state
    )
    assert {row["code"]: row["count"] for row in figures["volume"]["by_district"] if row["count"]} == (
        data.expected_by_district
    )
    assert figures["timeliness"]["overdue_now"] >= 1

    # The page shows the rates with the counts behind them, exactly as the API gives them.
    for key in ("response", "resolution", "satisfaction"):
        rate = figures["rates"][key]
        expect(page.get_by_test_id(f"rate-{key}-display")).to_have_text(rate["display"])
        expect(page.get_by_test_id(f"rate-{key}-numerator")).to_have_text(str(rate["numerator"]))
        expect(page.get_by_test_id(f"rate-{key}-denominator")).to_have_text(str(rate["denominator"]))
        expect(page.get_by_test_id(f"rate-{key}-definition")).to_have_text(figures["definitions"][key])
    expect(page.get_by_test_id("volume-logged")).to_have_text(str(data.expected_logged))
    expect(page.get_by_test_id("overdue-now")).to_have_text(str(figures["timeliness"]["overdue_now"]))

    # The charts draw the API's numbers.
    by_state = figures["volume"]["by_state"]
    assert chart(page, "chart-by-state") == ([r["label"] for r in by_state], [r["count"] for r in by_state])
    by_district = figures["volume"]["by_district"]
    assert chart(page, "chart-by-district") == (
        [r["label"] for r in by_district],
        [r["count"] for r in by_district],
    )
    by_measure = figures["volume"]["by_measure"]
    assert chart(page, "chart-by-measure") == (
        [r["label"] for r in by_measure],
        [r["count"] for r in by_measure],
    )
    trend = figures["trend"]
    assert chart(page, "chart-trend") == (
        [row["month"] for row in trend],
        {key: [row[key] for row in trend] for key in ("logged", "answered", "closed")},
    )
    _, rates_drawn = chart(page, "chart-trend-rates")
    assert rates_drawn == {
        key: [
            None if row[key]["rate"] is None else math.floor(row[key]["rate"] * 1000 + 0.5) / 10
            for row in trend
        ]
        for key in ("response", "resolution", "satisfaction")
    }

    # Rankings and the ranking rule come from the rankings API.
    rankings = api(page, live_server.url, f"/api/dashboard/rankings/?{data.query}")
    expect(page.get_by_test_id("ranking-rule")).to_have_text(rankings["rule"])
    expect(page.get_by_test_id("table-ranking-bureaus").locator("tbody tr")).to_have_count(
        max(1, len(rankings["bureaus"]))
    )
    expect(page.get_by_test_id("status")).to_have_text("")

    page.screenshot(path=str(artifacts / "dashboard-zh.png"), full_page=True)


def test_language_switch_changes_the_page_text(live_server, data, new_page):
    xuhui = District.objects.get(code="xuhui")
    page = new_page("zh-CN")
    log_in(page, live_server.url, "manager", f"/dashboard/?{data.query}")
    wait_until_loaded(page)

    in_chinese = {
        "page-title": translated("Managers' dashboard", "zh-hans"),
        "logout": translated("Log out", "zh-hans"),
    }
    assert all(CJK.search(text) for text in in_chinese.values()), in_chinese
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    for testid, text in in_chinese.items():
        expect(page.get_by_test_id(testid)).to_have_text(text)
    expect(page.get_by_test_id("section-volume")).to_contain_text(translated("cases logged", "zh-hans"))
    expect(page.get_by_test_id("table-by-district")).to_contain_text(xuhui.name_zh)

    page.get_by_test_id("language-en").click()
    wait_until_loaded(page)

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("page-title")).to_have_text("Managers' dashboard")
    expect(page.get_by_test_id("logout")).to_have_text("Log out")
    expect(page.get_by_test_id("section-volume")).to_contain_text("Cases logged")
    expect(page.get_by_test_id("table-by-district")).to_contain_text(xuhui.name_en)
    assert f"from={data.period_from}" in page.url  # the switch keeps the period

    page.get_by_test_id("language-zh-hans").click()
    wait_until_loaded(page)

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("page-title")).to_have_text(in_chinese["page-title"])


@pytest.mark.parametrize(
    ("figure_testid", "expected_cases"),
    [
        ("by-state-submitted", {"xuhui_submitted", "xuhui_returned"}),
        ("by-district-pudong", {"pudong_reopened", "pudong_dispatched", "pudong_withdrawn"}),
        ("overdue-now", {"xuhui_overdue"}),
        ("rate-resolution-numerator", {"xuhui_closed"}),
        ("rate-resolution-denominator", {"xuhui_closed", "pudong_reopened"}),
        ("rate-satisfaction-numerator", {"xuhui_closed"}),
        ("rate-satisfaction-denominator", {"xuhui_closed", "pudong_reopened"}),
    ],
)
def test_a_figure_opens_the_list_of_its_cases(live_server, data, new_page, figure_testid, expected_cases):
    page = new_page("zh-CN")
    log_in(page, live_server.url, "manager", f"/dashboard/?{data.query}")
    wait_until_loaded(page)
    link = page.get_by_test_id(figure_testid)
    figure = int(link.get_attribute("data-count"))

    link.click()
    page.wait_for_url("**/dashboard/cases/?**")
    wait_until_loaded(page)

    expect(page.get_by_test_id("case-count")).to_have_text(str(figure))
    rows = page.get_by_test_id("case-row")
    expect(rows).to_have_count(figure)
    assert {int(rows.nth(i).get_attribute("data-case-id")) for i in range(figure)} == data.ids(
        *expected_cases
    )
    expect(page.get_by_test_id("status")).to_have_text("")

    # Each case opens its page in the workbench, read-only for a manager.
    first = int(rows.first.get_attribute("data-case-id"))
    rows.first.get_by_test_id("case-page-link").click()
    page.wait_for_url(f"**/cases/{first}/")
    expect(page.get_by_test_id("case")).to_have_attribute("data-case-id", str(first))
    expect(page.get_by_test_id("no-moves")).to_be_visible()


def test_a_table_downloads_as_csv_with_the_rows_shown(live_server, data, new_page):
    page = new_page("en-US")
    log_in(page, live_server.url, "manager", f"/dashboard/?{data.query}")
    wait_until_loaded(page)
    by_state = api(page, live_server.url, f"/api/dashboard/cases/?{data.query}")["volume"]["by_state"]

    with page.expect_download() as download_info:
        page.get_by_test_id("csv-states").click()
    download = download_info.value

    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    body = [row for row in rows[1:] if any(cell.strip() for cell in row)]
    assert len(body) == len(by_state)
    for expected in by_state:
        assert any(
            str(expected["count"]) in row and (expected["label"] in row or expected["state"] in row)
            for row in body
        ), (expected, body)


def test_every_table_downloads_as_one_workbook(live_server, data, new_page):
    page = new_page("en-US")
    log_in(page, live_server.url, "manager", f"/dashboard/?{data.query}")
    wait_until_loaded(page)

    with page.expect_download() as download_info:
        page.get_by_test_id("download-xlsx").click()
    download = download_info.value

    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as file:
        workbook = openpyxl.load_workbook(io.BytesIO(file.read()), read_only=True)
    assert len(workbook.sheetnames) == 13  # one sheet per table of docs/dashboards.md


@pytest.mark.parametrize("username", ["xuhui-dc", "staff-sh-commerce"])
def test_who_may_not_open_the_dashboards_gets_a_403_page(live_server, data, new_page, username):
    page = new_page("en-US")
    log_in(page, live_server.url, username)

    response = page.goto(f"{live_server.url}/dashboard/")

    assert response.status == 403
    expect(page.get_by_test_id("forbidden")).to_be_visible()
    expect(page.get_by_test_id("forbidden")).to_contain_text("cannot open")
    assert page.goto(f"{live_server.url}/dashboard/cases/").status == 403
    assert page.request.get(f"{live_server.url}/api/dashboard/cases/").status == 403


def test_a_district_manager_sees_only_their_district(live_server, data, new_page):
    page = new_page("zh-CN")
    # Asking for another district changes nothing: the district's leadership sees its own.
    log_in(page, live_server.url, "xuhui-manager", f"/dashboard/?{data.query}&district=pudong")
    wait_until_loaded(page)
    xuhui = District.objects.get(code="xuhui")

    expect(page.get_by_test_id("filter-district")).to_have_count(0)
    expect(page.get_by_test_id("filter-district-locked")).to_have_value(xuhui.name_zh)
    expect(page.get_by_test_id("scope-district")).to_have_text(xuhui.name_zh)
    expect(page.get_by_test_id("volume-logged")).to_have_text(str(data.expected_by_district["xuhui"]))
    labels, values = chart(page, "chart-by-district")
    assert (labels, values) == ([xuhui.name_zh], [data.expected_by_district["xuhui"]])

    page.get_by_test_id("logged-count").click()
    wait_until_loaded(page)

    assert "district=xuhui" in page.url
    expect(page.get_by_test_id("case-count")).to_have_text(str(data.expected_by_district["xuhui"]))
    shown = page.get_by_test_id("case-row")
    expect(shown).to_have_count(data.expected_by_district["xuhui"])
    assert {int(shown.nth(i).get_attribute("data-case-id")) for i in range(4)} == data.ids(
        "xuhui_overdue", "xuhui_submitted", "xuhui_closed", "xuhui_returned"
    )


def test_the_printed_page_hides_the_controls_and_keeps_the_figures(live_server, data, new_page):
    page = new_page("zh-CN")
    log_in(page, live_server.url, "manager", f"/dashboard/?{data.query}")
    wait_until_loaded(page)

    page.emulate_media(media="print")

    expect(page.get_by_test_id("filters")).to_be_hidden()
    expect(page.get_by_test_id("downloads")).to_be_hidden()
    expect(page.get_by_test_id("language-switch")).to_be_hidden()
    expect(page.get_by_test_id("chart-by-state")).to_be_visible()
    expect(page.get_by_test_id("rate-response")).to_be_visible()
