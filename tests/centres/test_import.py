"""The bulk import of centres: a dry run naming every row's errors, one all-or-nothing write,
and a second import of the same file that changes nothing."""

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from centres import imports
from centres.models import Centre, CentreImport, CentreImportState
from centres.models.centre import credit_code_check_character
from tests.factories import CentreFactory, district
from tests.pages import page_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """The reports are written in the language of the moment; these tests read them in English."""
    with translation.override("en"):
        yield


HEADER = [column.key for column in imports.COLUMNS]


def code(n: int) -> str:
    body = f"91310000MA{n:07d}"
    return body + credit_code_check_character(body)


def row(n: int, **changes) -> dict:
    values = {
        "credit_code": code(n),
        "registry_key": f"SH-{n:05d}",
        "name_zh": f"导入研发中心{n}",
        "name_en": f"Imported R&D Centre {n}",
        "parent_company": f"Parent {n} GmbH",
        "parent_country": "DE",
        "district": "xuhui",
        "centre_type": "rd_centre",
        "in_free_trade_zone": "no",
        "in_lingang": "",
        "in_zhangjiang": "yes",
        "recognised_on": "2024-05-31",
        "full_time_rd_staff": 40,
        "total_staff": 60,
        "research_fields": "biomedicine; semiconductors",
        "commissioner": "",
        "status": "",
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


def check(actor, content: bytes, name="centres.xlsx") -> CentreImport:
    return imports.centre_import_check(actor=actor, file_name=name, content=content)


def errors_of(centre_import) -> list[tuple]:
    return [(e["row"], e["column"], e["message"]) for e in centre_import.report["errors"]]


# --- The dry run and the write ---------------------------------------------------------------------


def test_the_dry_run_writes_no_centre_and_the_import_writes_every_row(city_commissioner):
    before = Centre.objects.count()
    checked = check(city_commissioner, xlsx([row(1), row(2), row(3)]))

    assert checked.state == CentreImportState.CHECKED, checked.report
    assert (checked.report["create"], checked.report["update"], checked.report["unchanged"]) == (3, 0, 0)
    assert Centre.objects.count() == before

    done = imports.centre_import_apply(actor=city_commissioner, centre_import=checked)

    assert done.state == CentreImportState.IMPORTED and done.imported_by == city_commissioner
    centre = Centre.objects.get(credit_code=code(2))
    assert (centre.registry_key, centre.name_en, centre.district.code) == (
        "SH-00002",
        "Imported R&D Centre 2",
        "xuhui",
    )
    assert (centre.in_zhangjiang, centre.in_lingang, centre.recognised_on) == (True, False, date(2024, 5, 31))
    assert str(centre.parent_country) == "DE" and centre.status == "active"
    assert set(centre.research_fields.values_list("code", flat=True)) == {"biomedicine", "semiconductors"}
    assert centre.next_contact_due is not None
    assert Centre.objects.count() == before + 3


def test_importing_the_same_file_again_changes_nothing(city_commissioner):
    content = xlsx([row(1), row(2)])
    imports.centre_import_apply(actor=city_commissioner, centre_import=check(city_commissioner, content))
    stamps = dict(Centre.objects.values_list("pk", "updated_at"))

    again = check(city_commissioner, content)
    assert (again.report["create"], again.report["update"], again.report["unchanged"]) == (0, 0, 2)
    imports.centre_import_apply(actor=city_commissioner, centre_import=again)

    assert dict(Centre.objects.values_list("pk", "updated_at")) == stamps


def test_a_row_matched_by_its_key_updates_that_centre(administrator):
    centre = CentreFactory(registry_key="SH-00007", total_staff=60, full_time_rd_staff=10)
    content = xlsx([row(7, credit_code="", name_zh="改名中心", research_fields="biomedicine")])

    checked = check(administrator, content)
    assert (checked.report["create"], checked.report["update"]) == (0, 1), checked.report
    imports.centre_import_apply(actor=administrator, centre_import=checked)

    centre.refresh_from_db()
    assert (centre.name_zh, centre.full_time_rd_staff) == ("改名中心", 40)
    assert list(centre.research_fields.values_list("code", flat=True)) == ["biomedicine"]
    assert Centre.objects.filter(registry_key="SH-00007").count() == 1


def test_one_bad_row_refuses_the_file_and_names_the_row_and_column(city_commissioner):
    before = Centre.objects.count()
    checked = check(city_commissioner, xlsx([row(1), row(2, total_staff="many"), row(3)]))

    assert checked.state == CentreImportState.REFUSED
    assert errors_of(checked) == [
        (3, "total staff", str(imports.NOT_A_WHOLE_NUMBER % {"max": imports.MAX_STAFF}))
    ]
    with pytest.raises(ValidationError) as refused:
        imports.centre_import_apply(actor=city_commissioner, centre_import=checked)
    assert refused.value.messages == [str(imports.NOT_READY)]
    assert Centre.objects.count() == before


def test_the_errors_are_in_the_users_language(city_commissioner):
    with translation.override("zh-hans"):
        checked = check(city_commissioner, xlsx([row(1, district="atlantis")]))
    [(row_number, column, message)] = errors_of(checked)
    assert row_number == 2 and "atlantis" in message
    assert column != "district" and message != str(imports.UNKNOWN_DISTRICT % {"value": "atlantis"})
    assert checked.report["language"] == "zh-hans"


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"name_zh": ""}, "name (Chinese)", imports.REQUIRED),
        ({"name_en": "x" * 201}, "name (English)", lambda: imports.TOO_LONG % {"max": 200}),
        ({"credit_code": "", "registry_key": ""}, "unified social credit code", imports.NO_KEY),
        ({"credit_code": "91310000MA0000001X"}, "unified social credit code", None),
        ({"parent_country": "Narnia"}, "parent company's country or region", None),
        ({"centre_type": "lab"}, "centre type", None),
        ({"in_lingang": "perhaps"}, "in the Lingang Special Area", imports.NOT_YES_OR_NO),
        ({"recognised_on": "0001-01-01"}, "recognition date", None),
        ({"recognised_on": "9999-12-31"}, "recognition date", None),
        ({"recognised_on": "31/05/2024"}, "recognition date", imports.NOT_A_DATE),
        ({"total_staff": -1}, "total staff", None),
        ({"total_staff": 10**12}, "total staff", None),
        ({"full_time_rd_staff": 2.5}, "full-time R&D staff", None),
        ({"full_time_rd_staff": 70}, "full-time R&D staff", None),
        ({"research_fields": "alchemy"}, "fields of research", None),
        ({"commissioner": "nobody"}, "district commissioner", None),
        ({"status": "dormant"}, "status", None),
    ],
)
def test_each_bad_cell_is_named(city_commissioner, changes, column, message):
    checked = check(city_commissioner, xlsx([row(1, **changes)]))
    assert checked.state == CentreImportState.REFUSED
    [(row_number, named_column, named_message)] = errors_of(checked)
    assert (row_number, named_column) == (2, column)
    if message is not None:
        assert named_message == str(message() if callable(message) else message)


def test_a_commissioner_of_another_district_is_refused(city_commissioner, pudong_commissioner):
    checked = check(city_commissioner, xlsx([row(1, commissioner=pudong_commissioner.username)]))
    [(_, column, _message)] = errors_of(checked)
    assert column == "district commissioner"


def test_the_cells_are_read_in_the_forms_people_type(city_commissioner, xuhui_commissioner):
    content = xlsx(
        [
            row(
                1,
                district="徐汇区",
                parent_country="德国",
                centre_type="global R&D centre",
                in_free_trade_zone="是",
                recognised_on=date(2023, 1, 2),
                research_fields="生物医药、Semiconductors",
                commissioner=xuhui_commissioner.username.upper(),
                full_time_rd_staff=40.0,
            )
        ]
    )
    checked = check(city_commissioner, content)
    assert checked.state == CentreImportState.CHECKED, checked.report
    imports.centre_import_apply(actor=city_commissioner, centre_import=checked)
    centre = Centre.objects.get(credit_code=code(1))
    assert (centre.centre_type, centre.in_free_trade_zone, centre.recognised_on) == (
        "global_rd_centre",
        True,
        date(2023, 1, 2),
    )
    assert (str(centre.parent_country), centre.commissioner, centre.full_time_rd_staff) == (
        "DE",
        xuhui_commissioner,
        40,
    )
    assert centre.research_fields.count() == 2


# --- Uniqueness over the file and the registry ---------------------------------------------------


def test_a_key_repeated_in_the_file_names_the_first_row(city_commissioner):
    checked = check(city_commissioner, xlsx([row(1), row(2, credit_code=code(1))]))
    assert errors_of(checked) == [
        (3, "unified social credit code", str(imports.REPEATED_IN_FILE % {"row": 2})),
    ]


def test_a_name_registered_in_the_district_is_refused(city_commissioner):
    CentreFactory(name_zh="已登记中心", district=district("xuhui"))
    checked = check(city_commissioner, xlsx([row(1, name_zh="已登记中心")]))
    assert errors_of(checked) == [(2, "name (Chinese)", str(imports.NAME_TAKEN))]


def test_keys_of_two_registered_centres_are_refused(city_commissioner):
    CentreFactory(credit_code=code(1))
    CentreFactory(registry_key="SH-00001")
    checked = check(city_commissioner, xlsx([row(1)]))
    assert errors_of(checked) == [(2, "registry key", str(imports.KEYS_OF_TWO_CENTRES))]


def test_a_centre_registered_between_check_and_import_refuses_the_import(city_commissioner):
    checked = check(city_commissioner, xlsx([row(1), row(2)]))
    CentreFactory(
        credit_code="", registry_key="", name_en="Imported R&D Centre 2", district=district("xuhui")
    )
    before = Centre.objects.count()

    with pytest.raises(ValidationError) as refused:
        imports.centre_import_apply(actor=city_commissioner, centre_import=checked)

    assert refused.value.messages == [str(imports.CHANGED_SINCE_CHECK)]
    assert Centre.objects.count() == before
    checked.refresh_from_db()
    assert checked.state == CentreImportState.REFUSED
    assert errors_of(checked) == [(3, "name (English)", str(imports.NAME_TAKEN))]


def test_a_centre_registered_while_the_import_writes_is_refused_by_the_database(
    city_commissioner, monkeypatch
):
    """The race the re-check cannot see: a centre registered after the check inside the transaction
    and before the write. The unique constraint refuses the write; nothing of the file is kept."""
    checked = check(city_commissioner, xlsx([row(1), row(2)]))
    stale = imports.check_rows(
        actor=city_commissioner, rows=imports.read_rows(file_name="c.xlsx", content=bytes(checked.content))
    )
    CentreFactory(credit_code=code(2))
    real_check_rows = imports.check_rows
    calls = []

    def check_seen_before_the_race(**kwargs):
        calls.append(1)
        return stale if len(calls) == 1 else real_check_rows(**kwargs)

    monkeypatch.setattr(imports, "check_rows", check_seen_before_the_race)
    with pytest.raises(ValidationError) as refused:
        imports.centre_import_apply(actor=city_commissioner, centre_import=checked)

    assert refused.value.messages == [str(imports.CHECKED_AGAIN)]
    assert not Centre.objects.filter(credit_code=code(1)).exists()
    checked.refresh_from_db()
    # Checked again: the centre registered meanwhile is now one to update, and the file may go in.
    assert checked.state == CentreImportState.CHECKED
    assert (checked.report["create"], checked.report["update"], checked.report["errors"]) == (1, 1, [])
    imports.centre_import_apply(actor=city_commissioner, centre_import=checked)
    assert Centre.objects.filter(credit_code__in=[code(1), code(2)]).count() == 2


def test_an_import_is_written_once(city_commissioner):
    checked = check(city_commissioner, xlsx([row(1)]))
    imports.centre_import_apply(actor=city_commissioner, centre_import=checked)
    with pytest.raises(ValidationError) as refused:
        imports.centre_import_apply(actor=city_commissioner, centre_import=checked)
    assert refused.value.messages == [str(imports.ALREADY_IMPORTED)]
    assert Centre.objects.filter(credit_code=code(1)).count() == 1


# --- The file as a whole ------------------------------------------------------------------------


def test_csv_in_utf8_with_a_bom_and_in_gb18030_with_semicolons(city_commissioner):
    assert check(city_commissioner, csv_bytes([row(1)]), "c.csv").state == CentreImportState.CHECKED
    gb = csv_bytes([row(2, district="徐汇区")], encoding="gb18030", delimiter=";")
    checked = check(city_commissioner, gb, "c.csv")
    assert checked.state == CentreImportState.CHECKED, checked.report


def test_headers_may_be_the_labels_in_either_language(city_commissioner):
    with translation.override("zh-hans"):
        header = [f"{column.label}{' *' if column.required else ''}" for column in imports.COLUMNS]
    values = row(1)
    content = xlsx([dict(zip(header, (values[key] for key in HEADER), strict=True))], header=header)
    assert check(city_commissioner, content).state == CentreImportState.CHECKED


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("c.xlsx", b"", imports.FILE_EMPTY),
        ("c.pdf", b"%PDF-1.4", imports.FILE_NOT_A_SPREADSHEET),
        ("c.xlsx", b"PK\x03\x04 not really a zip", imports.FILE_UNREADABLE),
        ("c.csv", b"\xff\xfe\x00\x00\x00", imports.FILE_UNREADABLE),
        ("c.csv", b"name_zh,name_en\r\n", None),
        ("c.csv", ("\r\n".join([",".join(HEADER)]) + "\r\n").encode(), imports.NO_ROWS),
        (
            "c.csv",
            ("colour," + ",".join(HEADER) + "\r\n").encode(),
            lambda: imports.UNKNOWN_COLUMN % {"column": "colour"},
        ),
        ("c.csv", (",".join([*HEADER, "name_zh"]) + "\r\n").encode(), None),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_in_words(city_commissioner, name, content, message):
    checked = check(city_commissioner, content, name)
    assert checked.state == CentreImportState.REFUSED
    assert checked.report["errors"]
    assert all(error["row"] is None for error in checked.report["errors"])
    if message is not None:
        expected = str(message() if callable(message) else message)
        assert expected in [error["message"] for error in checked.report["errors"]]


def test_too_many_rows_are_refused(city_commissioner, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    checked = check(city_commissioner, csv_bytes([row(n) for n in range(4)]), "c.csv")
    assert [e["message"] for e in checked.report["errors"]] == [str(imports.TOO_MANY_ROWS % {"max": 3})]


def test_only_city_commissioners_and_administrators_import(xuhui_commissioner, bureau_staff, manager):
    for user in (xuhui_commissioner, bureau_staff, manager):
        with pytest.raises(PermissionDenied):
            check(user, xlsx([row(1)]))


def test_the_check_reads_the_registry_in_a_few_queries(city_commissioner, django_assert_max_num_queries):
    content = xlsx([row(n) for n in range(200)])
    with django_assert_max_num_queries(12):
        checked = check(city_commissioner, content)
    assert checked.report["create"] == 200
    with django_assert_max_num_queries(20):
        imports.centre_import_apply(actor=city_commissioner, centre_import=checked)
    assert Centre.objects.filter(registry_key__startswith="SH-").count() == 200


# --- The template --------------------------------------------------------------------------------


def test_the_template_imports_as_it_is(city_commissioner):
    content = imports.import_template_xlsx()
    workbook = load_workbook(io.BytesIO(content))
    assert [sheet.title for sheet in workbook.worksheets] == ["Centres", "Columns"]
    checked = check(city_commissioner, content)
    assert checked.state == CentreImportState.CHECKED, checked.report
    assert check(city_commissioner, imports.import_template_csv(), "t.csv").state == CentreImportState.CHECKED


# --- The pages -------------------------------------------------------------------------------------


def upload(client, content: bytes, name="centres.xlsx"):
    return client.post("/centres/import/", {"file": SimpleUploadedFile(name, content)})


def test_the_page_checks_then_imports(city_commissioner):
    client = page_client(city_commissioner)
    assert client.get("/centres/import/").status_code == 200

    response = upload(client, xlsx([row(1), row(2)]))
    assert response.status_code == 302
    report = client.get(response["Location"])
    assert report.status_code == 200 and 'data-testid="import-apply"' in report.content.decode()
    assert not Centre.objects.filter(credit_code=code(1)).exists()

    centre_import = CentreImport.objects.get()
    applied = client.post(f"/centres/import/{centre_import.pk}/apply/")
    assert applied.status_code == 302
    assert Centre.objects.filter(credit_code__in=[code(1), code(2)]).count() == 2
    assert "2 centre(s) registered" in client.get(applied["Location"]).content.decode()


def test_the_page_shows_a_bad_rows_error_and_no_import_button(city_commissioner):
    client = page_client(city_commissioner, "zh-hans")
    response = upload(client, xlsx([row(1, total_staff="many")]))
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-error"' in page and 'data-testid="import-apply"' not in page
    with translation.override("zh-hans"):
        assert str(imports.NOT_A_WHOLE_NUMBER % {"max": imports.MAX_STAFF}) in page
    refused = client.post(f"/centres/import/{CentreImport.objects.get().pk}/apply/")
    assert refused.status_code == 409


def test_the_page_refuses_a_file_over_the_limit_in_words(city_commissioner, monkeypatch):
    monkeypatch.setattr(imports, "MAX_FILE_BYTES", 1024)
    client = page_client(city_commissioner)
    response = upload(client, xlsx([row(n) for n in range(50)]))
    page = client.get(response["Location"]).content.decode()
    assert str(imports.FILE_TOO_LARGE % {"size": 0}) in page
    assert CentreImport.objects.get().state == CentreImportState.REFUSED


def test_the_import_is_offered_on_the_centre_list_to_importers_only(city_commissioner, xuhui_commissioner):
    assert 'data-testid="import-link"' in page_client(city_commissioner).get("/centres/").content.decode()
    assert (
        'data-testid="import-link"' not in page_client(xuhui_commissioner).get("/centres/").content.decode()
    )


def test_the_page_without_a_file_is_a_400(city_commissioner):
    assert page_client(city_commissioner).post("/centres/import/", {}).status_code == 400


def test_the_templates_download(administrator):
    client = page_client(administrator)
    xlsx_response = client.get("/centres/import/template.xlsx")
    assert xlsx_response.status_code == 200
    assert xlsx_response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get("/centres/import/template.csv").content.startswith("\ufeff".encode())
    assert client.get("/centres/import/template.pdf").status_code == 404


def test_other_roles_may_not_import(xuhui_commissioner, bureau_staff, city_commissioner):
    centre_import = check(city_commissioner, xlsx([row(1)]))
    for user in (xuhui_commissioner, bureau_staff):
        client = page_client(user)
        assert client.get("/centres/import/").status_code == 403
        assert client.post(f"/centres/import/{centre_import.pk}/apply/").status_code == 403
    assert not Centre.objects.filter(credit_code=code(1)).exists()


def test_an_unknown_import_is_a_404(city_commissioner):
    assert page_client(city_commissioner).get("/centres/import/999999/").status_code == 404


# --- The API ---------------------------------------------------------------------------------------


def test_the_api_checks_then_applies_once(client_for, city_commissioner):
    api = client_for(city_commissioner)
    response = api.post(
        "/api/centre-imports/",
        {"file": SimpleUploadedFile("c.xlsx", xlsx([row(1), row(2)]))},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["report"]["create"], body["row_count"]) == ("checked", 2, 2)
    assert not Centre.objects.filter(credit_code=code(1)).exists()

    applied = api.post(f"/api/centre-imports/{body['id']}/apply/")
    assert applied.status_code == 200 and applied.json()["state"] == "imported"
    assert Centre.objects.filter(credit_code__in=[code(1), code(2)]).count() == 2

    again = api.post(f"/api/centre-imports/{body['id']}/apply/")
    assert again.status_code == 409
    assert again.json()["errors"][0]["detail"] == str(imports.ALREADY_IMPORTED)
    assert api.get(f"/api/centre-imports/{body['id']}/").json()["imported_by"] == city_commissioner.username


def test_the_api_reports_a_bad_row_and_refuses_to_apply_it(client_for, administrator):
    api = client_for(administrator)
    body = api.post(
        "/api/centre-imports/",
        {"file": SimpleUploadedFile("c.csv", csv_bytes([row(1, district="mars")]))},
        format="multipart",
    ).json()
    assert body["state"] == "refused"
    assert [(e["row"], e["column"]) for e in body["report"]["errors"]] == [(2, "district")]
    assert api.post(f"/api/centre-imports/{body['id']}/apply/").status_code == 409


def test_the_api_wants_a_multipart_file(client_for, city_commissioner):
    api = client_for(city_commissioner)
    assert api.post("/api/centre-imports/", {"file": "x"}, format="json").status_code == 415
    assert api.post("/api/centre-imports/", {}, format="multipart").status_code == 400


def test_the_api_denies_other_roles(client_for, city_commissioner, xuhui_commissioner, bureau_staff, manager):
    centre_import = check(city_commissioner, xlsx([row(1)]))
    for user in (xuhui_commissioner, bureau_staff, manager):
        api = client_for(user)
        assert api.get("/api/centre-imports/").status_code == 403
        assert api.get(f"/api/centre-imports/{centre_import.pk}/").status_code == 403
        assert api.post(f"/api/centre-imports/{centre_import.pk}/apply/").status_code == 403
    assert not Centre.objects.filter(credit_code=code(1)).exists()
