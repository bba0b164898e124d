"""The district commissioners' field pages under gunicorn on this machine.

    .venv/bin/python bench/fieldwork_bench.py                 # build the data once, then measure
    .venv/bin/python bench/fieldwork_bench.py --requests 500  # more requests per page (default 200)

Budget (issue: field work): the centre page and its timeline answer within 100 ms at the 95th
percentile for a centre with 500 cases and 2,000 contacts; the list of 50,000 centres, paged,
within 100 ms.

Uses the case benchmark's database (bench/cases_bench.py, 100,000 cases over 2,000 centres), to
which it adds, once: "Bench timeline centre" with 500 cases and 2,000 contacts, and centres up to
50,000 in all. Serves and times the pages as bench/pages_bench.py does (its gunicorn, port,
static files, sessions and timing): one client, one request at a time after a warm-up, every
answer a 200. Prints p50/p95/max per page with the load average; exits non-zero when one is over.
"""

import argparse
import json
import random
from datetime import timedelta

import cases_bench
import pages_bench
from bench_support import django_setup, ensure_database, settle_database

TIMELINE_CENTRE = "Bench timeline centre"
CENTRES = 50_000
TIMELINE_CASES = 500
TIMELINE_CONTACTS = 2_000


def build_field_data() -> None:
    from django.db import transaction

    from centres.models import Centre

    with transaction.atomic():
        centre = _timeline_centre()
    _more_centres()
    print(f"data: {Centre.objects.count()} centres; {TIMELINE_CENTRE} #{centre.pk}", flush=True)


def _timeline_centre():
    from django.utils import timezone

    from cases.models import Case, CaseEvent
    from centres.models import Centre, ContactRecord
    from commissioners.models import District, User
    from policies.models import Measure

    rng = random.Random(17)
    xuhui = District.objects.get(code="xuhui")
    commissioner = User.objects.get(username="bench-dc-xuhui")
    centre, created = Centre.objects.get_or_create(
        name_en=TIMELINE_CENTRE,
        defaults={
            "name_zh": "基准时间线研发中心",
            "parent_company": "Bench Parent",
            "parent_country": "DE",
            "district": xuhui,
            "centre_type": "global_rd_centre",
            "full_time_rd_staff": 100,
            "total_staff": 200,
            "commissioner": commissioner,
        },
    )
    if created:
        measures = list(Measure.objects.filter(programme="shanghai_2024"))
        now = timezone.now()
        cases = Case.objects.bulk_create(
            Case(
                centre=centre,
                district=xuhui,
                measure=rng.choice(measures),
                title=f"Timeline case {i}",
                description="A difficulty of the timeline centre.",
                state="submitted",
                created_by=commissioner,
                created_at=now - timedelta(days=rng.randint(0, 1500), minutes=rng.randint(0, 1440)),
            )
            for i in range(TIMELINE_CASES)
        )
        CaseEvent.objects.bulk_create(
            CaseEvent(
                case=case,
                actor=commissioner,
                action="submit",
                to_state="submitted",
                created_at=case.created_at,
            )
            for case in cases
        )
        today = timezone.localdate()
        ContactRecord.objects.bulk_create(
            ContactRecord(
                centre=centre,
                kind=rng.choice(["visit", "call", "meeting"]),
                contacted_on=today - timedelta(days=rng.randint(0, 2000)),
                participants=f"Contact person {i}",
                summary="A routine contact, noted for the benchmark.",
                recorded_by=commissioner,
            )
            for i in range(TIMELINE_CONTACTS)
        )
    return centre


def _more_centres() -> None:
    from django.utils import timezone

    from centres.models import Centre
    from centres.scheduling import refresh_next_contact_due
    from commissioners.models import District, User

    rng = random.Random(19)
    existing = Centre.objects.count()
    if existing < CENTRES:
        districts = list(District.objects.all())
        commissioners = {u.district_id: u for u in User.objects.filter(username__startswith="bench-dc-")}
        Centre.objects.bulk_create(
            (
                Centre(
                    name_zh=f"基准外勤研发中心{i}",
                    name_en=f"Bench field centre {i}",
                    parent_company=f"Field Parent {i}",
                    parent_country="US",
                    district=districts[i % len(districts)],
                    centre_type="rd_centre",
                    full_time_rd_staff=5,
                    total_staff=10,
                    commissioner=commissioners.get(districts[i % len(districts)].id),
                    last_contacted_on=timezone.localdate() - timedelta(days=rng.randint(0, 400)),
                )
                for i in range(existing, CENTRES)
            ),
            batch_size=5000,
        )
    refresh_next_contact_due(Centre.objects.filter(next_contact_due__isnull=True))


def scenarios(requests: int) -> list[tuple[str, list[str], object]]:
    from centres.models import Centre
    from commissioners.models import User

    total = requests + pages_bench.WARM_UP
    centre = Centre.objects.get(name_en=TIMELINE_CENTRE)
    commissioner = User.objects.get(username="bench-dc-xuhui")
    city = User.objects.get(username=pages_bench.CITY)
    pages = max(1, Centre.objects.count() // 50)
    rng = random.Random(5)
    return [
        ("centre page (500 cases, 2,000 contacts)", [f"/centres/{centre.pk}/"] * total, commissioner),
        (
            "centre timeline API, a random page",
            [f"/api/centres/{centre.pk}/timeline/?page={rng.randint(1, 100)}" for _ in range(total)],
            commissioner,
        ),
        ("my centres, district commissioner", ["/centres/"] * total, commissioner),
        (
            "50,000 centres, city, a random page",
            [f"/centres/?page={rng.randint(1, pages)}" for _ in range(total)],
            city,
        ),
        (
            "50,000 centres API, city, a random page",
            [f"/api/centres/?page={rng.randint(1, pages * 2)}" for _ in range(total)],
            city,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    ensure_database(pages_bench.BENCH_DATABASE_URL)
    django_setup(pages_bench.BENCH_DATABASE_URL, DJANGO_STATIC_ROOT=str(pages_bench.STATIC_ROOT))
    cases_bench.build_data(100_000)
    build_field_data()
    settle_database()
    pages_bench.collect_static()
    server = pages_bench.start_server()
    rows = []
    try:
        for name, paths, user in scenarios(args.requests):
            rows.append(pages_bench.measure(name, paths, pages_bench.session_cookie(user), budgeted=True))
    finally:
        server.terminate()
        server.wait()
        from django.contrib.sessions.models import Session

        Session.objects.filter(session_key__in=pages_bench.SESSIONS).delete()
    print(json.dumps(rows, indent=2))
    over = [row["page"] for row in rows if not row["ok"]]
    if over:
        raise SystemExit(f"over the {pages_bench.BUDGET_MS} ms p95 budget: {', '.join(over)}")


if __name__ == "__main__":
    main()
