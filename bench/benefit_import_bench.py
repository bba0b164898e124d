"""The import of benefits from a bureau's spreadsheet at the size of the centres import's budget:
5,000 rows checked and written.

    .venv/bin/python bench/benefit_import_bench.py               # 5,000 rows, XLSX
    .venv/bin/python bench/benefit_import_bench.py --rows 10000 --format csv

Uses its own PostgreSQL database (BENCH_BENEFIT_IMPORT_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/commissioners_benefit_import_bench), rebuilt on every run:
migrated (reference data included), 2,000 centres, a commerce bureau's staff member (the importer:
the rules of a bureau's import are the stricter ones) and 1,000 benefits already recorded, which
the file's last 1,000 rows match (half of them move from applied to granted). Then, called directly
as the page and the API call them:

1. the dry run (`benefit_import_check`);
2. the import (`benefit_import_apply`): checked again inside the transaction, then written;
3. the same file once more, dry run and import: nothing is left to change.

Prints the wall time, SQL queries and rows per second of each step; exits non-zero when steps 1
and 2 together take more than 30 s or when step 3 finds anything to change.
"""

import argparse
import csv
import io
import os
import sys
import time

from bench_support import django_setup, ensure_database, settle_database

DATABASE_URL = os.environ.get(
    "BENCH_BENEFIT_IMPORT_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/commissioners_benefit_import_bench",
)
MAX_SECONDS = 30
CENTRES = 2_000
RECORDED = 1_000


def registry_key(n: int) -> str:
    return f"BEN-{n:06d}"


def build(rows: int) -> None:
    from datetime import date

    from centres.models import Centre
    from commissioners.models import Bureau, District, Role, User
    from landing.models import Benefit
    from policies.models import Measure

    districts = list(District.objects.order_by("id"))
    staff = User.objects.create_user(
        username="benefit-bench-commerce",
        password="x",
        role=Role.BUREAU_STAFF,
        bureau=Bureau.objects.get(code="sh-commerce"),
    )
    Centre.objects.bulk_create(
        Centre(
            registry_key=registry_key(n),
            name_zh=f"政策落地基准中心{n}",
            name_en=f"Benefit bench centre {n}",
            parent_company=f"Parent {n}",
            parent_country="US",
            district=districts[n % len(districts)],
            centre_type="rd_centre",
            full_time_rd_staff=10,
            total_staff=20,
        )
        for n in range(CENTRES)
    )
    centres = dict(Centre.objects.values_list("registry_key", "pk"))
    measures = {m.number: m.pk for m in Measure.objects.filter(programme="shanghai_2024")}
    Benefit.objects.bulk_create(
        Benefit(
            centre_id=centres[registry_key(i % CENTRES)],
            measure_id=measures[1 + i // CENTRES],
            title=f"Benefit {i}",
            status="applied",
            applied_on=date(2024, 3, 1),
            granting_bureau=staff.bureau,
            entered_by=staff,
        )
        for i in range(rows - RECORDED, rows)
    )


def spreadsheet(rows: int, file_format: str) -> bytes:
    """Row i: centre i mod 2,000, measure 1 + i div 2,000; of the last 1,000 (recorded), every
    other one granted now."""
    from openpyxl import Workbook

    from landing.imports import COLUMNS

    header = [column.key for column in COLUMNS]
    lines = []
    for i in range(rows):
        granted = i % 2 == 0 if i >= rows - RECORDED else i % 3 == 0
        values = {
            "credit_code": "",
            "registry_key": registry_key(i % CENTRES),
            "programme": "shanghai_2024",
            "measure": 1 + i // CENTRES,
            "title": f"Benefit {i}",
            "status": "granted" if granted else "applied",
            "applied_on": "2024-03-01",
            "decided_on": "2024-05-31" if granted else "",
            "amount": "250000.00" if granted else "",
            "quantity": "",
            "granting_bureau": "",
            "note": "",
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


def timed(label: str, rows: int, step):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        result = step()
    seconds = time.monotonic() - started
    print(
        f"{label:<30} {seconds:6.2f} s  {len(queries):4d} queries  {rows / seconds:8.0f} rows/s", flush=True
    )
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    args = parser.parse_args()
    if not RECORDED <= args.rows <= CENTRES * 9:
        parser.error(f"--rows between {RECORDED} and {CENTRES * 9}")
    ensure_database(DATABASE_URL, rebuild=True)
    django_setup(DATABASE_URL, CELERY_BROKER_URL="memory://")
    from django.core.management import call_command
    from django.utils import translation

    from commissioners.models import User
    from landing import imports

    call_command("migrate", verbosity=0)
    build(args.rows)
    settle_database()
    translation.activate("zh-hans")
    staff = User.objects.get(username="benefit-bench-commerce")
    content = spreadsheet(args.rows, args.format)
    name = f"bench.{args.format}"
    print(f"{args.rows} rows, {args.format}, {len(content) / 1024:.0f} KiB; {RECORDED} benefits recorded")

    checked, check_seconds = timed(
        "1. dry run",
        args.rows,
        lambda: imports.benefit_import_check(actor=staff, file_name=name, content=content),
    )
    report = checked.report
    print(
        f"   {checked.state}: {report['create']} to record, {report['update']} to update, "
        f"{report['unchanged']} unchanged, {len(report['errors'])} errors"
    )
    if report["errors"]:
        print(report["errors"][:5])
        sys.exit(1)
    _, write_seconds = timed(
        "2. import", args.rows, lambda: imports.benefit_import_apply(actor=staff, benefit_import=checked)
    )
    again, _ = timed(
        "3. the same file, dry run",
        args.rows,
        lambda: imports.benefit_import_check(actor=staff, file_name=name, content=content),
    )
    timed("   and import", args.rows, lambda: imports.benefit_import_apply(actor=staff, benefit_import=again))
    print(
        f"   {again.report['unchanged']} unchanged, {again.report['create']} to record, {again.report['update']} to update"
    )
    total = check_seconds + write_seconds
    ok = total <= MAX_SECONDS and again.report["create"] == again.report["update"] == 0
    print(
        f"dry run + import: {total:.2f} s, {args.rows / total:.0f} rows/s (budget {MAX_SECONDS} s) "
        f"{'OK' if ok else 'OVER'}"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
