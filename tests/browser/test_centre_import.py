"""A city commissioner imports centres in a real Chromium: a spreadsheet with one bad row is refused
with the row and the reason named and nothing written; fixed, it is imported; imported again, it
changes nothing."""

import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from centres.imports import COLUMNS
from centres.models import Centre
from centres.models.centre import credit_code_check_character

from .test_workbench import expect_no_horizontal_overflow, sign_in
from .workbench_data import Workbench, build_workbench

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def wb(transactional_db) -> Workbench:
    return build_workbench()


def credit_code(n: int) -> str:
    body = f"91310000MA{n:07d}"
    return body + credit_code_check_character(body)


def spreadsheet(path, *, bad_total_staff) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([column.key for column in COLUMNS])
    for n, total_staff in ((1, 60), (2, bad_total_staff), (3, 80)):
        values = {
            "credit_code": credit_code(n),
            "name_zh": f"浏览器导入中心{n}",
            "name_en": f"Browser import centre {n}",
            "parent_company": "Siemens AG",
            "parent_country": "DE",
            "district": "徐汇区",
            "centre_type": "rd_centre",
            "full_time_rd_staff": 40,
            "total_staff": total_staff,
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
    sign_in(page, live_server.url, wb.city.username, path="/centres/")
    page.get_by_test_id("import-link").click()
    expect(page.get_by_test_id("import-form")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("template-xlsx").click()
    assert download.value.suggested_filename == "centres-import-template.xlsx"

    bad = tmp_path / "centres.xlsx"
    spreadsheet(bad, bad_total_staff="sixty")
    page.get_by_test_id("import-file").set_input_files(str(bad))
    page.get_by_test_id("import-check").click()
    expect(page.get_by_test_id("import-report")).to_have_attribute("data-state", "refused")
    errors = page.get_by_test_id("import-error")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("3")
    expect(errors.first).to_contain_text("员工总数" if language == "zh" else "total staff")
    expect(page.get_by_test_id("import-apply")).to_have_count(0)
    page.screenshot(path=str(artifacts / f"import-refused-{language}.png"), full_page=True)
    assert not Centre.objects.filter(name_en__startswith="Browser import centre").exists()

    page.goto(f"{live_server.url}/centres/import/")
    spreadsheet(bad, bad_total_staff=70)
    page.get_by_test_id("import-file").set_input_files(str(bad))
    page.get_by_test_id("import-check").click()
    expect(page.get_by_test_id("import-report")).to_have_attribute("data-state", "checked")
    expect(page.get_by_test_id("count-create")).to_have_text("3")
    page.screenshot(path=str(artifacts / f"import-checked-{language}.png"), full_page=True)
    page.get_by_test_id("import-apply").click()
    expect(page.get_by_test_id("import-report")).to_have_attribute("data-state", "imported")
    expect(page.get_by_test_id("messages")).to_be_visible()
    page.screenshot(path=str(artifacts / f"import-done-{language}.png"), full_page=True)
    assert Centre.objects.filter(name_en__startswith="Browser import centre").count() == 3

    page.goto(f"{live_server.url}/centres/import/")
    page.get_by_test_id("import-file").set_input_files(str(bad))
    page.get_by_test_id("import-check").click()
    expect(page.get_by_test_id("count-unchanged")).to_have_text("3")
    expect(page.get_by_test_id("count-create")).to_have_text("0")
    expect(page.get_by_test_id("count-update")).to_have_text("0")


def test_the_import_page_fits_a_phone(live_server, wb, new_page, artifacts):
    page = new_page("zh-CN", phone=True)
    sign_in(page, live_server.url, wb.city.username, path="/centres/import/")
    expect(page.get_by_test_id("import-form")).to_be_visible()
    expect_no_horizontal_overflow(page)
    page.screenshot(path=str(artifacts / "import-page-zh-phone.png"), full_page=True)
