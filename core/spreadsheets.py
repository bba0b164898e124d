"""Tables written out as CSV or XLSX downloads."""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.http import HttpResponse
from openpyxl import Workbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# A text a spreadsheet program would run as a formula (or as DDE) when it starts with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The cell as written: a text that a spreadsheet would run as a formula made plain text by a
    leading apostrophe (OWASP's advice for CSV injection); anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass
class Table:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(*, table: Table, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    # The byte-order mark lets spreadsheet programs read the Chinese names as UTF-8.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(value) for value in table.header])
    writer.writerows(["" if value is None else safe_cell(value) for value in row] for row in table.rows)
    return _attachment(HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8"), filename)


def sheet_title(title: str) -> str:
    """Sheet names are at most 31 characters, without the characters Excel reserves."""
    return re.sub(r"[\\/?*\[\]:]", " ", title)[:31]


def xlsx_response(*, tables: Iterable[Table], filename: str) -> HttpResponse:
    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(title=sheet_title(table.title))
        sheet.append([safe_cell(value) for value in table.header])
        for row in table.rows:
            sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE), filename)
