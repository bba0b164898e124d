"""A bureau's staff imports its benefits in a real Chromium, the page swapped by htmx: a file with
one bad row is refused with the row and the reason named and nothing written; fixed, it is
imported; imported again, it changes nothing."""

import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from centres.models import Centre
from landing.imports import COLUMNS
from landing.models import Benefit
from tests.factories import CentreFactory

from .test_workbench import expect_no_horizontal_overflow, sign_in
from .workbench_data import Workbench, build_workbench

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def wb(transactional_db) -> Workbench:
    workbench = build_workbench()
    Centre.objects.filter(pk=workbench.centre.pk).update(registry_key="BROWSER-1")
    CentreFactory(registry_key="BROWSER-2")
    return workbench


def spreadsheet(path, *, second_decided_on) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([column.key for column in COLUMNS])
    for key, decided_on in (("BROWSER-1", "2024-05-31"), ("BROWSER-2", second_decided_on)):
        values = {
            "registry_key": key,
            "measure": 1,
            "title": "R&D investment subsidy",
            "status": "已获得",
            "applied_on": "2024-03-01",
            "decided_on": decided_on,
            "amount": 300000,
        }
        sheet.append([values.get(column.key) for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())


@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_a_bad_row_is_named_and_nothing_written_then_the_fixed_file_imports_once(
    live_server, wb, new_page, artifacts, tmp_path, locale
):
    language = "zh" if locale.startswith("zh") else "en"
    page = new_page(locale)
    sign_in(page, live_server.url, "finance", path="/landing/benefits/import/")
    expect(page.get_by_test_id("own-bureau")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("template-xlsx").click()
    assert download.value.suggested_filename == "benefits-import-template.xlsx"

    bad = tmp_path / "benefits.xlsx"
    spreadsheet(bad, second_decided_on=None)
    page.get_by_test_id("import-file").set_input_files(str(bad))
    page.get_by_test_id("import-check").click()
    expect(page.get_by_test_id("import-report")).to_have_attribute("data-state", "refused")
    errors = page.get_by_test_id("import-error")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("3")
    page.screenshot(path=str(artifacts / f"benefit-import-refused-{language}.png"), full_page=True)
    expect(page.get_by_test_id("import-apply")).to_have_count(0)
    assert not Benefit.objects.exists()

    page.goto(f"{live_server.url}/landing/benefits/import/")
    spreadsheet(bad, second_decided_on="2024-06-30")
    page.get_by_test_id("import-file").set_input_files(str(bad))
    page.get_by_test_id("import-check").click()
    expect(page.get_by_test_id("import-report")).to_have_attribute("data-state", "checked")
    expect(page.get_by_test_id("count-create")).to_have_text("2")
    page.get_by_test_id("import-apply").click()
    expect(page.get_by_test_id("import-report")).to_have_attribute("data-state", "imported")
    expect(page.get_by_test_id("messages")).to_be_visible()
    page.screenshot(path=str(artifacts / f"benefit-import-done-{language}.png"), full_page=True)
    assert set(Benefit.objects.values_list("granting_bureau__code", flat=True)) == {"sh-finance"}
    assert Benefit.objects.count() == 2

    page.goto(f"{live_server.url}/landing/benefits/import/")
    page.get_by_test_id("import-file").set_input_files(str(bad))
    page.get_by_test_id("import-check").click()
    expect(page.get_by_test_id("count-unchanged")).to_have_text("2")
    expect(page.get_by_test_id("count-create")).to_have_text("0")


def test_the_import_page_fits_a_phone(live_server, wb, new_page, artifacts):
    page = new_page("zh-CN", phone=True)
    sign_in(page, live_server.url, wb.city.username, path="/landing/benefits/import/")
    expect(page.get_by_test_id("import-form")).to_be_visible()
    expect_no_horizontal_overflow(page)
    page.screenshot(path=str(artifacts / "benefit-import-page-zh-phone.png"), full_page=True)
