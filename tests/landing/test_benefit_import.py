"""The import of benefits from a bureau's spreadsheet: a dry run naming every row's errors, one
all-or-nothing write that rechecks, and a second import of the same file that changes nothing."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from centres.imports import (
    DATE_OUT_OF_RANGE,
    FILE_EMPTY,
    FILE_NOT_A_SPREADSHEET,
    FILE_UNREADABLE,
    KEYS_OF_TWO_CENTRES,
    MISSING_COLUMN,
    NOT_A_DATE,
    NOT_A_WHOLE_NUMBER,
    REQUIRED,
    TOO_LONG,
    TOO_MANY_ROWS,
    UNKNOWN_COLUMN,
)
from centres.models.centre import credit_code_check_character
from commissioners.models import Role
from landing import imports, services
from landing.models import Benefit, BenefitImport, BenefitImportState, BenefitStatus
from tests.factories import CentreFactory, UserFactory, bureau, district, shanghai_measure
from tests.pages import page_client

pytestmark = pytest.mark.django_db

HEADER = [column.key for column in imports.COLUMNS]
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _in_english():
    """The reports are written in the language of the moment; these tests read them in English."""
    with translation.override("en"):
        yield


def code(n: int) -> str:
    body = f"91310000MB{n:07d}"
    return body + credit_code_check_character(body)


@pytest.fixture
def centres():
    """Three registered centres: two in Xuhui, one in Pudong."""
    return [
        CentreFactory(credit_code=code(1), registry_key="SH-1", district=district("xuhui")),
        CentreFactory(credit_code=code(2), registry_key="SH-2", district=district("xuhui")),
        CentreFactory(credit_code=code(3), registry_key="SH-3", district=district("pudong")),
    ]


@pytest.fixture
def commerce_staff():
    return UserFactory(username="commerce-staff", role=Role.BUREAU_STAFF, bureau=bureau("sh-commerce"))


@pytest.fixture
def finance_staff():
    return UserFactory(username="finance-staff", role=Role.BUREAU_STAFF, bureau=bureau("sh-finance"))


def row(n: int = 1, **changes) -> dict:
    values = {
        "credit_code": code(n),
        "registry_key": "",
        "programme": "",
        "measure": 8,
        "title": "Regional HQ rent subsidy",
        "status": "granted",
        "applied_on": "2024-03-01",
        "decided_on": "2024-05-31",
        "amount": "1200000.00",
        "quantity": "",
        "granting_bureau": "sh-commerce",
        "note": "",
    }
    return {**values, **changes}


def xlsx(rows: list[dict], header: list[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append([values.get(key) for key in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict], *, encoding="utf-8-sig", delimiter=",", header=HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows([values.get(key, "") for key in header] for values in rows)
    return buffer.getvalue().encode(encoding)


def check(actor, content: bytes, name="benefits.xlsx") -> BenefitImport:
    return imports.benefit_import_check(actor=actor, file_name=name, content=content)


def apply(actor, benefit_import) -> BenefitImport:
    return imports.benefit_import_apply(actor=actor, benefit_import=benefit_import)


def counts(benefit_import) -> tuple[int, int, int]:
    report = benefit_import.report
    return report["create"], report["update"], report["unchanged"]


def errors_of(benefit_import) -> list[tuple]:
    return [(e["row"], e["column"], e["message"]) for e in benefit_import.report["errors"]]


# --- The dry run and the write ---------------------------------------------------------------------


def test_the_dry_run_writes_nothing_and_the_import_writes_every_row(city_commissioner, centres):
    checked = check(city_commissioner, xlsx([row(1), row(2, status="applied", decided_on="", amount="")]))

    assert checked.state == BenefitImportState.CHECKED, checked.report
    assert counts(checked) == (2, 0, 0)
    assert not Benefit.objects.exists()

    done = apply(city_commissioner, checked)

    assert done.state == BenefitImportState.IMPORTED and done.imported_by == city_commissioner
    granted = Benefit.objects.get(centre=centres[0])
    assert (granted.measure, granted.status, granted.decided_on, granted.amount) == (
        shanghai_measure(8),
        BenefitStatus.GRANTED,
        date(2024, 5, 31),
        Decimal("1200000.00"),
    )
    assert (granted.granting_bureau.code, granted.entered_by) == ("sh-commerce", city_commissioner)
    applied = Benefit.objects.get(centre=centres[1])
    assert (applied.status, applied.decided_on, applied.amount) == (BenefitStatus.APPLIED, None, None)
    insert = granted.changes.get(pgh_label="insert")
    assert insert.pgh_context["reason"] == f"benefit import #{done.pk}"


def test_importing_the_same_file_again_changes_nothing(city_commissioner, centres):
    content = xlsx([row(1), row(2), row(3, measure=7, granting_bureau="", amount="", quantity=4)])
    apply(city_commissioner, check(city_commissioner, content))
    stamps = dict(Benefit.objects.values_list("pk", "updated_at"))
    history = apps.get_model("landing", "BenefitChange").objects.count()

    again = check(city_commissioner, content)
    assert counts(again) == (0, 0, 3), again.report
    apply(city_commissioner, again)

    assert dict(Benefit.objects.values_list("pk", "updated_at")) == stamps
    assert apps.get_model("landing", "BenefitChange").objects.count() == history


def test_a_second_file_moves_the_matched_benefit_on_and_the_history_says_which_import(
    commerce_staff, centres
):
    first = apply(commerce_staff, check(commerce_staff, xlsx([row(1, status="applied", decided_on="")])))
    benefit = Benefit.objects.get()

    second = check(commerce_staff, xlsx([row(1, status="已获得", amount="1,300,000")]))
    assert counts(second) == (0, 1, 0), second.report
    apply(commerce_staff, second)

    benefit.refresh_from_db()
    assert (benefit.status, benefit.amount, Benefit.objects.count()) == ("granted", Decimal("1300000"), 1)
    update = benefit.changes.filter(pgh_label="update").get()
    assert update.status == "granted"
    assert update.pgh_context["reason"] == f"benefit import #{second.pk}" != f"#{first.pk}"


def test_a_column_left_out_of_the_file_keeps_what_is_recorded(city_commissioner, centres):
    apply(city_commissioner, check(city_commissioner, xlsx([row(1, note="Paid in two parts")])))
    header = [key for key in HEADER if key not in ("note", "amount")]

    again = check(city_commissioner, xlsx([row(1, status="granted")], header=header))

    assert counts(again) == (0, 0, 1), again.report
    assert Benefit.objects.get().note == "Paid in two parts"


def test_one_bad_row_refuses_the_file_and_names_row_and_column(city_commissioner, centres):
    checked = check(city_commissioner, xlsx([row(1), row(2, status="promised"), row(3)]))

    assert checked.state == BenefitImportState.REFUSED
    [(number, column, message)] = errors_of(checked)
    assert (number, column) == (3, "status") and "promised" in message
    with pytest.raises(ValidationError) as refused:
        apply(city_commissioner, checked)
    assert refused.value.messages == [str(imports.NOT_READY)]
    assert not Benefit.objects.exists()


def test_the_errors_are_in_the_uploaders_language(city_commissioner, centres):
    with translation.override("zh-hans"):
        checked = check(city_commissioner, xlsx([row(1, decided_on="")]))
        expected = str(services.DECIDED_NEEDS_DAY)
    [(number, column, message)] = errors_of(checked)
    assert number == 2 and message == expected and column != "granted or refused on"
    assert checked.report["language"] == "zh-hans"


# --- Each rule -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"decided_on": ""}, "granted or refused on", services.DECIDED_NEEDS_DAY),
        ({"status": "applied"}, "granted or refused on", services.NOT_YET_DECIDED),
        ({"applied_on": "2024-06-01"}, "granted or refused on", services.DECIDED_BEFORE_APPLIED),
        ({"applied_on": "0001-01-01"}, "applied on", lambda: DATE_OUT_OF_RANGE % {"first": "2000-01-01"}),
        (
            {"decided_on": "9999-12-31"},
            "granted or refused on",
            lambda: DATE_OUT_OF_RANGE % {"first": "2000-01-01"},
        ),
        ({"decided_on": "31/05/2024"}, "granted or refused on", NOT_A_DATE),
        ({"status": "maybe"}, "status", None),
        ({"status": ""}, "status", REQUIRED),
        ({"title": ""}, "what was applied for", REQUIRED),
        ({"title": "x" * 201}, "what was applied for", lambda: TOO_LONG % {"max": 200}),
        ({"note": "x" * 20_001}, "note", lambda: TOO_LONG % {"max": 20_000}),
        ({"measure": 99}, "measure", lambda: imports.UNKNOWN_MEASURE % {"value": 99}),
        ({"measure": "three"}, "measure", lambda: imports.UNKNOWN_MEASURE % {"value": "three"}),
        ({"measure": ""}, "measure", REQUIRED),
        ({"programme": "atlantis"}, "programme", None),
        (
            {"granting_bureau": "ministry of magic"},
            "granting bureau",
            lambda: imports.UNKNOWN_BUREAU % {"value": "ministry of magic"},
        ),
        ({"amount": "-1"}, "amount (yuan)", imports.NOT_AN_AMOUNT),
        ({"amount": "1.234"}, "amount (yuan)", imports.NOT_AN_AMOUNT),
        ({"amount": "lots"}, "amount (yuan)", imports.NOT_AN_AMOUNT),
        ({"amount": 1e20}, "amount (yuan)", imports.NOT_AN_AMOUNT),
        ({"amount": "NaN"}, "amount (yuan)", imports.NOT_AN_AMOUNT),
        ({"quantity": -2}, "quantity", lambda: NOT_A_WHOLE_NUMBER % {"max": f"{imports.MAX_QUANTITY:,}"}),
        ({"quantity": 2**40}, "quantity", lambda: NOT_A_WHOLE_NUMBER % {"max": f"{imports.MAX_QUANTITY:,}"}),
        ({"quantity": 1.5}, "quantity", lambda: NOT_A_WHOLE_NUMBER % {"max": f"{imports.MAX_QUANTITY:,}"}),
        ({"credit_code": ""}, "unified social credit code", imports.NO_CENTRE_KEY),
        ({"credit_code": code(9)}, "unified social credit code", imports.UNKNOWN_CENTRE),
        ({"credit_code": "", "registry_key": "SH-404"}, "registry key", imports.UNKNOWN_CENTRE),
        ({"registry_key": "SH-2"}, "registry key", KEYS_OF_TWO_CENTRES),
    ],
)
def test_each_bad_cell_is_named(city_commissioner, centres, changes, column, message):
    checked = check(city_commissioner, xlsx([row(1, **changes)]))
    assert checked.state == BenefitImportState.REFUSED
    [(number, named_column, named_message)] = errors_of(checked)
    assert (number, named_column) == (2, column)
    if message is not None:
        assert named_message == str(message() if callable(message) else message)
    assert not Benefit.objects.exists()


def test_the_cells_are_read_in_the_forms_people_type(city_commissioner, centres):
    rows = [
        row(
            1, registry_key="SH-1", status="考虑中", applied_on="", decided_on="", measure="第3条", amount=""
        ),
        row(
            2,
            credit_code="",
            registry_key="SH-2",
            status="已申请",
            decided_on="",
            measure=7.0,
            granting_bureau="市商务委",
        ),
        row(
            3,
            status="未获批",
            programme="国家",
            measure="9",
            amount="￥80,000.5",
            decided_on=date(2024, 6, 1),
        ),
        row(
            1, status="Granted", granting_bureau="Shanghai Municipal Finance Bureau", measure=1, quantity=3.0
        ),
    ]
    checked = check(city_commissioner, xlsx(rows))
    assert checked.state == BenefitImportState.CHECKED, checked.report
    apply(city_commissioner, checked)
    by_status = {b.status: b for b in Benefit.objects.select_related("measure", "granting_bureau")}
    assert (by_status["considering"].measure.number, by_status["considering"].granting_bureau.code) == (
        3,
        "sh-commerce",
    )
    assert by_status["applied"].measure.number == 7
    refused = by_status["refused"]
    assert (refused.measure.programme, refused.measure.number, refused.amount) == (
        "national_2023",
        9,
        Decimal("80000.50"),
    )
    assert (by_status["granted"].granting_bureau.code, by_status["granted"].quantity) == ("sh-finance", 3)


def test_a_centre_and_measure_twice_in_the_file_are_told_apart_by_their_titles(city_commissioner, centres):
    content = xlsx([row(1, title="Start-up subsidy"), row(1, title="Rent subsidy")])
    apply(city_commissioner, check(city_commissioner, content))
    assert Benefit.objects.count() == 2
    assert counts(check(city_commissioner, content)) == (0, 0, 2)

    repeated = check(city_commissioner, xlsx([row(1), row(2), row(1, status="refused")]))
    assert errors_of(repeated) == [
        (4, "what was applied for", str(imports.SAME_BENEFIT_IN_FILE % {"row": 2}))
    ]


def test_several_recorded_benefits_are_matched_by_title_or_refused(city_commissioner, centres):
    for title in ("Start-up subsidy", "Rent subsidy"):
        services.benefit_record(
            actor=city_commissioner,
            centre=centres[0],
            measure=shanghai_measure(8),
            title=title,
            status="applied",
            granting_bureau=bureau("sh-commerce"),
        )
    matched = check(city_commissioner, xlsx([row(1, title="rent subsidy")]))
    assert counts(matched) == (0, 1, 0), matched.report
    unknown = check(city_commissioner, xlsx([row(1, title="Office subsidy")]))
    assert errors_of(unknown) == [(2, "what was applied for", str(imports.SEVERAL_RECORDED))]


# --- Who imports which benefits ------------------------------------------------------------------


def test_bureau_staff_import_their_own_bureaus_benefits_only(commerce_staff, finance_staff, centres):
    checked = check(commerce_staff, xlsx([row(1, granting_bureau=""), row(2)]))
    assert checked.state == BenefitImportState.CHECKED, checked.report
    assert checked.bureau == commerce_staff.bureau
    apply(commerce_staff, checked)
    assert set(Benefit.objects.values_list("granting_bureau__code", flat=True)) == {"sh-commerce"}

    others = check(commerce_staff, xlsx([row(3, granting_bureau="sh-finance")]))
    assert errors_of(others) == [(2, "granting bureau", str(services.OTHER_BUREAUS_BENEFIT))]

    # The finance bureau's file of the same centre and measure is its own benefit, not commerce's.
    finance = check(finance_staff, xlsx([row(1, granting_bureau="")]))
    assert counts(finance) == (1, 0, 0)
    with pytest.raises(PermissionDenied):
        apply(finance_staff, check(commerce_staff, xlsx([row(3)])))


def test_bureau_staff_name_any_registered_centre(commerce_staff, centres):
    """A bureau's grant reaches centres it has no case of (`landing.selectors.centres_to_name`)."""
    assert check(commerce_staff, xlsx([row(3)])).state == BenefitImportState.CHECKED


def test_only_bureau_staff_city_commissioners_and_administrators_import(
    xuhui_commissioner, manager, administrator, centres
):
    for user in (xuhui_commissioner, manager):
        with pytest.raises(PermissionDenied):
            check(user, xlsx([row(1)]))
    assert check(administrator, xlsx([row(1)])).state == BenefitImportState.CHECKED
    assert not BenefitImport.objects.filter(uploaded_by__in=[xuhui_commissioner, manager]).exists()


# --- The import rechecks ------------------------------------------------------------------------


def test_a_benefit_changed_since_the_dry_run_stops_the_import_and_it_is_checked_again(
    city_commissioner, centres
):
    services.benefit_record(
        actor=city_commissioner,
        centre=centres[0],
        measure=shanghai_measure(8),
        title="Regional HQ rent subsidy",
        status="applied",
        applied_on=date(2024, 3, 1),
        granting_bureau=bureau("sh-commerce"),
    )
    checked = check(city_commissioner, xlsx([row(1), row(2)]))
    assert counts(checked) == (1, 1, 0)
    benefit = Benefit.objects.get()
    services.benefit_update(
        benefit=benefit,
        actor=city_commissioner,
        status="granted",
        decided_on=date(2024, 5, 31),
        amount=Decimal("1200000"),
    )

    with pytest.raises(ValidationError) as refused:
        apply(city_commissioner, checked)

    assert refused.value.messages == [str(imports.CHECKED_AGAIN)]
    assert Benefit.objects.count() == 1
    checked.refresh_from_db()
    assert checked.state == BenefitImportState.CHECKED and counts(checked) == (1, 0, 1)
    apply(city_commissioner, checked)
    assert Benefit.objects.count() == 2


def test_rows_that_no_longer_pass_refuse_the_import(city_commissioner, centres):
    checked = check(city_commissioner, xlsx([row(1)]))
    for title in ("Start-up subsidy", "Rent subsidy"):
        services.benefit_record(
            actor=city_commissioner,
            centre=centres[0],
            measure=shanghai_measure(8),
            title=title,
            status="applied",
            granting_bureau=bureau("sh-commerce"),
        )

    with pytest.raises(ValidationError) as refused:
        apply(city_commissioner, checked)

    assert refused.value.messages == [str(imports.CHANGED_SINCE_CHECK)]
    checked.refresh_from_db()
    assert checked.state == BenefitImportState.REFUSED
    assert errors_of(checked) == [(2, "what was applied for", str(imports.SEVERAL_RECORDED))]
    assert Benefit.objects.count() == 2


def test_an_import_is_written_once(city_commissioner, centres):
    checked = check(city_commissioner, xlsx([row(1)]))
    apply(city_commissioner, checked)
    with pytest.raises(ValidationError) as refused:
        apply(city_commissioner, checked)
    assert refused.value.messages == [str(imports.ALREADY_IMPORTED)]
    assert Benefit.objects.count() == 1


# --- The file as a whole ------------------------------------------------------------------------


def test_csv_in_utf8_with_or_without_a_bom_gb18030_semicolons_and_tabs(city_commissioner, centres):
    for content in (
        csv_bytes([row(1)]),
        csv_bytes([row(1)], encoding="utf-8"),
        csv_bytes([row(1, granting_bureau="市商务委")], encoding="gb18030", delimiter=";"),
        csv_bytes([row(1)], delimiter="\t"),
    ):
        checked = check(city_commissioner, content, "b.csv")
        assert checked.state == BenefitImportState.CHECKED, checked.report


def test_headers_may_be_the_labels_in_either_language(city_commissioner, centres):
    for language in ("zh-hans", "en"):
        with translation.override(language):
            header = [f"{column.label}{' *' if column.required else ''}" for column in imports.COLUMNS]
        values = row(1)
        content = xlsx([dict(zip(header, (values[key] for key in HEADER), strict=True))], header=header)
        assert check(city_commissioner, content).state == BenefitImportState.CHECKED


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("b.xlsx", b"", FILE_EMPTY),
        ("b.pdf", b"%PDF-1.4", FILE_NOT_A_SPREADSHEET),
        ("b.xlsx", b"PK\x03\x04 not really a zip", FILE_UNREADABLE),
        ("b.xlsx", bytes(range(256)) * 64, FILE_UNREADABLE),
        ("b.csv", b"\xff\xfe\x00\x00\x00", FILE_UNREADABLE),
        ("b.csv", (",".join(HEADER) + "\r\n").encode(), imports.NO_ROWS),
        (
            "b.csv",
            ("colour," + ",".join(HEADER) + "\r\n").encode(),
            lambda: UNKNOWN_COLUMN % {"column": "colour"},
        ),
        ("b.csv", b"credit_code,title,status\r\n", lambda: MISSING_COLUMN % {"column": "measure"}),
        # A cell beyond what the CSV reader takes (131,072 characters).
        ("b.csv", (",".join(HEADER) + "\r\n" + "x" * 200_000 + "\r\n").encode(), FILE_UNREADABLE),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_in_words(city_commissioner, name, content, message):
    checked = check(city_commissioner, content, name)
    assert checked.state == BenefitImportState.REFUSED
    assert checked.report["errors"]
    assert all(error["row"] is None for error in checked.report["errors"])
    expected = str(message() if callable(message) else message)
    assert expected in [error["message"] for error in checked.report["errors"]]


def test_too_many_rows_and_too_large_a_file_are_refused(city_commissioner, centres, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    checked = check(city_commissioner, csv_bytes([row(1, title=f"t{n}") for n in range(4)]), "b.csv")
    assert [e["message"] for e in checked.report["errors"]] == [str(TOO_MANY_ROWS % {"max": 3})]
    monkeypatch.setattr(imports, "MAX_FILE_BYTES", 1024)
    big = check(city_commissioner, xlsx([row(1, note="x" * 5000)]))
    assert big.state == BenefitImportState.REFUSED and big.row_count == 0


def test_the_check_reads_the_records_in_a_few_queries(city_commissioner, django_assert_max_num_queries):
    many = [CentreFactory(credit_code=code(100 + n), registry_key=f"Q-{n}") for n in range(40)]
    rows = [
        row(100 + n, measure=1 + m, registry_key=f"Q-{n}", title=f"Benefit {m}")
        for n in range(len(many))
        for m in range(8)
    ]
    content = xlsx(rows)
    with django_assert_max_num_queries(10):
        checked = check(city_commissioner, content)
    assert counts(checked) == (320, 0, 0), checked.report["errors"][:3]
    with django_assert_max_num_queries(16):
        apply(city_commissioner, checked)
    assert Benefit.objects.count() == 320
    with django_assert_max_num_queries(10):
        again = check(city_commissioner, content)
    assert counts(again) == (0, 0, 320)


# --- The template --------------------------------------------------------------------------------


def test_the_template_documents_the_columns_and_reads_back(city_commissioner):
    CentreFactory(registry_key="SH-RD-0001")
    content = imports.import_template_xlsx()
    workbook = load_workbook(io.BytesIO(content))
    assert [sheet.title for sheet in workbook.worksheets] == ["Benefits", "Columns"]
    keys = [
        line[1]
        for line in workbook["Columns"].iter_rows(min_row=2, max_row=len(HEADER) + 1, values_only=True)
    ]
    assert keys == HEADER
    # The example row names a centre by its registry key: where it is registered, the file passes.
    checked = check(city_commissioner, content)
    assert checked.state == BenefitImportState.CHECKED, checked.report
    assert (
        check(city_commissioner, imports.import_template_csv(), "t.csv").state == BenefitImportState.CHECKED
    )


# --- The pages -------------------------------------------------------------------------------------

PAGE = "/landing/benefits/import/"


def upload(client, content: bytes, name="benefits.xlsx", **headers):
    return client.post(PAGE, {"file": SimpleUploadedFile(name, content)}, **headers)


def test_the_page_checks_then_imports(commerce_staff, centres):
    client = page_client(commerce_staff)
    page = client.get(PAGE)
    assert page.status_code == 200 and 'hx-post="/landing/benefits/import/"' in page.content.decode()

    response = upload(client, xlsx([row(1), row(2)]))
    assert response.status_code == 302
    report = client.get(response["Location"])
    assert report.status_code == 200 and 'data-testid="import-apply"' in report.content.decode()
    assert not Benefit.objects.exists()

    benefit_import = BenefitImport.objects.get()
    applied = client.post(f"{PAGE}{benefit_import.pk}/apply/", HTTP_HX_REQUEST="true")
    assert applied.status_code == 302
    assert Benefit.objects.count() == 2
    assert "2 benefit(s) recorded" in client.get(applied["Location"]).content.decode()


def test_the_page_shows_a_bad_rows_error_and_no_import_button(city_commissioner, centres):
    client = page_client(city_commissioner, "zh-hans")
    response = upload(client, xlsx([row(1, amount="lots")]))
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-error"' in page and 'data-testid="import-apply"' not in page
    with translation.override("zh-hans"):
        assert str(imports.NOT_AN_AMOUNT) in page
    refused = client.post(f"{PAGE}{BenefitImport.objects.get().pk}/apply/")
    assert refused.status_code == 409


def test_the_page_without_a_file_is_a_400_and_the_templates_download(administrator):
    client = page_client(administrator)
    assert client.post(PAGE, {}).status_code == 400
    xlsx_response = client.get(f"{PAGE}template.xlsx")
    assert xlsx_response.status_code == 200
    assert xlsx_response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(f"{PAGE}template.csv").content.startswith("\ufeff".encode())
    assert client.get(f"{PAGE}template.pdf").status_code == 404


def test_other_roles_and_other_bureaus_may_not_use_the_pages(
    xuhui_commissioner, manager, finance_staff, commerce_staff, centres
):
    benefit_import = check(commerce_staff, xlsx([row(1)]))
    for user in (xuhui_commissioner, manager):
        client = page_client(user)
        assert client.get(PAGE).status_code == 403
        assert client.post(f"{PAGE}{benefit_import.pk}/apply/").status_code == 403
    finance = page_client(finance_staff)
    assert finance.get(f"{PAGE}{benefit_import.pk}/").status_code == 404
    assert finance.post(f"{PAGE}{benefit_import.pk}/apply/").status_code == 404
    assert benefit_import.file_name not in finance.get(PAGE).content.decode()
    assert not Benefit.objects.exists()


# --- The API ---------------------------------------------------------------------------------------


def test_the_api_checks_then_applies_once(client_for, city_commissioner, centres):
    api = client_for(city_commissioner)
    response = api.post(
        "/api/benefit-imports/",
        {"file": SimpleUploadedFile("b.xlsx", xlsx([row(1), row(2)]))},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["report"]["create"], body["row_count"]) == ("checked", 2, 2)
    assert "plan" not in body["report"]
    assert not Benefit.objects.exists()

    applied = api.post(f"/api/benefit-imports/{body['id']}/apply/")
    assert applied.status_code == 200 and applied.json()["state"] == "imported"
    assert Benefit.objects.count() == 2

    again = api.post(f"/api/benefit-imports/{body['id']}/apply/")
    assert again.status_code == 409
    assert again.json()["errors"][0]["detail"] == str(imports.ALREADY_IMPORTED)
    assert api.get(f"/api/benefit-imports/{body['id']}/").json()["imported_by"] == city_commissioner.username


def test_the_api_reports_a_bad_row_and_refuses_to_apply_it(client_for, administrator, centres):
    api = client_for(administrator)
    body = api.post(
        "/api/benefit-imports/",
        {"file": SimpleUploadedFile("b.csv", csv_bytes([row(1, measure=42)]))},
        format="multipart",
    ).json()
    assert body["state"] == "refused"
    assert [(e["row"], e["column"]) for e in body["report"]["errors"]] == [(2, "measure")]
    assert api.post(f"/api/benefit-imports/{body['id']}/apply/").status_code == 409


def test_the_api_wants_a_multipart_file(client_for, city_commissioner):
    api = client_for(city_commissioner)
    assert api.post("/api/benefit-imports/", {"file": "x"}, format="json").status_code == 415
    assert api.post("/api/benefit-imports/", {}, format="multipart").status_code == 400


def test_the_api_denies_other_roles_and_hides_other_bureaus_imports(
    client_for, commerce_staff, finance_staff, xuhui_commissioner, manager, centres
):
    benefit_import = check(commerce_staff, xlsx([row(1)]))
    for user in (xuhui_commissioner, manager):
        api = client_for(user)
        assert api.get("/api/benefit-imports/").status_code == 403
        assert api.get(f"/api/benefit-imports/{benefit_import.pk}/").status_code == 403
        assert api.post(f"/api/benefit-imports/{benefit_import.pk}/apply/").status_code == 403
    finance = client_for(finance_staff)
    assert finance.get(f"/api/benefit-imports/{benefit_import.pk}/").status_code == 404
    assert finance.post(f"/api/benefit-imports/{benefit_import.pk}/apply/").status_code == 404
    assert finance.get("/api/benefit-imports/").json()["count"] == 0
    assert client_for(commerce_staff).get("/api/benefit-imports/").json()["count"] == 1
    assert not Benefit.objects.exists()


def test_dates_at_the_edges_of_the_calendar_are_row_errors_not_failures(
    client_for, city_commissioner, centres
):
    rows = [
        row(1, applied_on="0001-01-01"),
        row(2, decided_on="9999-12-31"),
        row(3, applied_on=str(TODAY() + timedelta(days=1)), decided_on=""),
    ]
    body = (
        client_for(city_commissioner)
        .post(
            "/api/benefit-imports/",
            {"file": SimpleUploadedFile("b.csv", csv_bytes(rows))},
            format="multipart",
        )
        .json()
    )
    assert [(e["row"], e["column"]) for e in body["report"]["errors"]][:3] == [
        (2, "applied on"),
        (3, "granted or refused on"),
        (4, "applied on"),
    ]


def test_the_benefits_list_links_to_the_import_for_those_who_import(city_commissioner, xuhui_commissioner):
    from tests.pages import page_client

    assert (
        'data-testid="import-benefits"'
        in page_client(city_commissioner).get("/landing/benefits/").content.decode()
    )
    assert (
        'data-testid="import-benefits"'
        not in page_client(xuhui_commissioner).get("/landing/benefits/").content.decode()
    )
