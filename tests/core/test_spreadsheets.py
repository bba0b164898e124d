"""No download writes a cell that a spreadsheet program would run as a formula."""

import csv
import io

import pytest
from openpyxl import load_workbook

from core.spreadsheets import Table, csv_response, safe_cell, xlsx_response

HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_formula_becomes_plain_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Pudong", "1-2", "", None, 3, -4, 2.5])
def test_anything_else_is_written_as_it_is(value):
    assert safe_cell(value) == value


def _table():
    return Table(title="t", header=["name", "=header"], rows=[[text, -1] for text in HOSTILE])


def test_the_csv_download_holds_no_formula():
    content = csv_response(table=_table(), filename="t.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == ["name", "'=header"]
    assert [row[0] for row in rows[1:]] == ["'" + text for text in HOSTILE]
    assert all(row[1] == "-1" for row in rows[1:])  # numbers stay numbers


def test_the_xlsx_download_holds_no_formula():
    content = xlsx_response(tables=[_table()], filename="t.xlsx").content
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    # (openpyxl reads a carriage return back as a line feed)
    assert [cell.replace("\n", "\r") for cell in cells] == [
        "'" + text.replace("\n", "\r") for text in HOSTILE
    ]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
