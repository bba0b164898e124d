"""The bulk import of centres at its budgeted size: a 5,000-row spreadsheet checked and written.

    .venv/bin/python bench/import_bench.py               # 5,000 rows, XLSX
    .venv/bin/python bench/import_bench.py --rows 10000 --format csv

Budget (issue: field work): a 5,000-row import validated and written within 30 s.

Uses its own PostgreSQL database (BENCH_IMPORT_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/commissioners_import_bench), rebuilt on every run so that each
run measures the same work: migrated (reference data included), 2,000 centres already registered
(the last 500 rows of the file match them, most with a change: a staff figure or the fields of research), and a city commissioner. Then, called
directly as the page and the API call them:

1. the dry run (`centre_import_check`): read the file, check every row, keep the report;
2. the import (`centre_import_apply`): check again inside the transaction and write;
3. the same file once more, dry run and import: nothing is left to change.

Prints the wall time and SQL queries of each step and exits non-zero when the check plus the write
of step 1 and 2 together take more than 30 s, or when step 3 finds anything to change.
"""

import argparse
import csv
import io
import os
import sys
import time

from bench_support import django_setup, ensure_database, settle_database

BENCH_IMPORT_DATABASE_URL = os.environ.get(
    "BENCH_IMPORT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/commissioners_import_bench"
)
MAX_SECONDS = 30
REGISTERED = 2_000
MATCHED = 500


def credit_code(n: int) -> str:
    from centres.models.centre import credit_code_check_character

    body = f"91310000MA{n:07d}"
    return body + credit_code_check_character(body)


def build_registry() -> None:
    from centres.models import Centre
    from centres.scheduling import refresh_next_contact_due
    from commissioners.models import District, Role, User

    districts = list(District.objects.order_by("id"))
    User.objects.create_user(username="import-bench-city", password="x", role=Role.CITY_COMMISSIONER)
    Centre.objects.bulk_create(
        Centre(
            credit_code=credit_code(n),
            registry_key=f"REG-{n:06d}",
            name_zh=f"导入基准中心{n}",
            name_en=f"Import bench centre {n}",
            parent_company=f"Parent {n}",
            parent_country="US",
            district=districts[n % len(districts)],
            centre_type="rd_centre",
            full_time_rd_staff=10,
            total_staff=20,
        )
        for n in range(REGISTERED)
    )
    refresh_next_contact_due(Centre.objects.all())


def spreadsheet(rows: int, file_format: str) -> bytes:
    """`rows` rows: new centres first, then MATCHED rows of registered centres, every other one changed."""
    from openpyxl import Workbook

    from centres.imports import COLUMNS
    from commissioners.models import District

    districts = list(District.objects.order_by("id"))
    header = [column.key for column in COLUMNS]
    lines = []
    for i in range(rows):
        n = REGISTERED - (rows - i) if i >= rows - MATCHED else REGISTERED + i
        values = {
            "credit_code": credit_code(n),
            "registry_key": f"REG-{n:06d}",
            "name_zh": f"导入基准中心{n}",
            "name_en": f"Import bench centre {n}",
            "parent_company": f"Parent {n}",
            "parent_country": "US",
            "district": districts[n % len(districts)].code,
            "centre_type": "rd_centre",
            "in_free_trade_zone": "no",
            "in_lingang": "no",
            "in_zhangjiang": "no",
            "recognised_on": "",
            "full_time_rd_staff": 10,
            "total_staff": 20 + (n % 2 if n < REGISTERED else 0),
            "research_fields": "biomedicine; semiconductors" if n % 3 else "",
            "commissioner": "",
            "status": "active",
        }
        lines.append([values[key] for key in header])
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(lines)
        return buffer.getvalue().encode("utf-8-sig")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for line in lines:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed(label: str, step):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        result = step()
    seconds = time.monotonic() - started
    print(f"{label:<42} {seconds:6.2f} s  {len(queries):4d} queries", flush=True)
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    args = parser.parse_args()
    ensure_database(BENCH_IMPORT_DATABASE_URL, rebuild=True)
    django_setup(BENCH_IMPORT_DATABASE_URL, CELERY_BROKER_URL="memory://")
    from django.core.management import call_command
    from django.utils import translation

    from centres import imports
    from centres.models import Centre
    from commissioners.models import User

    call_command("migrate", verbosity=0)
    build_registry()
    settle_database()
    translation.activate("zh-hans")
    city = User.objects.get(username="import-bench-city")
    content = spreadsheet(args.rows, args.format)
    name = f"bench.{args.format}"
    print(
        f"{args.rows} rows, {args.format}, {len(content) / 1024:.0f} KiB; {Centre.objects.count()} registered"
    )

    checked, check_seconds = timed(
        "1. dry run", lambda: imports.centre_import_check(actor=city, file_name=name, content=content)
    )
    print(
        f"   {checked.state}: {checked.report['create']} to register, {checked.report['update']} to update, "
        f"{checked.report['unchanged']} unchanged, {len(checked.report['errors'])} errors"
    )
    if checked.report["errors"]:
        print(checked.report["errors"][:5])
        sys.exit(1)
    _, write_seconds = timed(
        "2. import", lambda: imports.centre_import_apply(actor=city, centre_import=checked)
    )
    again, _ = timed(
        "3. the same file, dry run",
        lambda: imports.centre_import_check(actor=city, file_name=name, content=content),
    )
    _, _ = timed("   and import", lambda: imports.centre_import_apply(actor=city, centre_import=again))
    print(
        f"   {again.report['unchanged']} unchanged, {again.report['create']} to register, {again.report['update']} to update"
    )
    total = check_seconds + write_seconds
    ok = total <= MAX_SECONDS and again.report["create"] == again.report["update"] == 0
    print(f"dry run + import: {total:.2f} s (budget {MAX_SECONDS} s) {'OK' if ok else 'OVER'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
