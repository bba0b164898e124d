"""Case API latency with 100,000 cases, under gunicorn on this machine.

    .venv/bin/python bench/cases_bench.py            # build the data once, then measure
    .venv/bin/python bench/cases_bench.py --cases 20000 --requests 100

Uses its own PostgreSQL database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/commissioners_bench), fills it once, starts
gunicorn on 127.0.0.1 and times requests from one client, one at a time.
Budgets (issue 3): list, inbox and detail p95 < 50 ms; a move p95 < 100 ms.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from datetime import date, timedelta

from bench_support import django_setup, ensure_database, settle_database, start_gunicorn

BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/commissioners_bench"
)
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BUDGET_MS = {"read": 50, "move": 100}


def build_data(case_count: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from cases.models import Assignment, Case, CaseEvent
    from centres.models import Centre
    from commissioners.models import Bureau, District, Role, User
    from policies.models import Measure

    call_command("migrate", verbosity=0)
    existing = Case.objects.count()
    if existing >= case_count:
        print(f"data: {existing} cases already there")
        return
    started = time.monotonic()
    rng = random.Random(2026)
    districts = list(District.objects.all())
    city_bureaus = list(Bureau.objects.filter(level="city"))
    governments = {b.district_id: b for b in Bureau.objects.filter(level="district_government")}
    measures = list(Measure.objects.filter(programme="shanghai_2024"))

    commissioners = {}
    for district in districts:
        commissioners[district.id], _ = User.objects.get_or_create(
            username=f"bench-dc-{district.code}",
            defaults={"role": Role.DISTRICT_COMMISSIONER, "district": district},
        )
    User.objects.get_or_create(username="bench-city", defaults={"role": Role.CITY_COMMISSIONER})
    for bureau in city_bureaus:
        User.objects.get_or_create(
            username=f"bench-{bureau.code}", defaults={"role": Role.BUREAU_STAFF, "bureau": bureau}
        )

    centres = list(Centre.objects.filter(name_en__startswith="Bench centre"))
    if len(centres) < 2000:
        Centre.objects.bulk_create(
            Centre(
                name_zh=f"基准研发中心{i}",
                name_en=f"Bench centre {i}",
                parent_company=f"Bench Parent {i}",
                parent_country="DE",
                district=districts[i % len(districts)],
                centre_type="rd_centre",
                full_time_rd_staff=10,
                total_staff=20,
                commissioner=commissioners[districts[i % len(districts)].id],
            )
            for i in range(len(centres), 2000)
        )
        centres = list(Centre.objects.filter(name_en__startswith="Bench centre"))

    states = (
        ["submitted"] * 10 + ["dispatched"] * 15 + ["in_progress"] * 25 + ["answered"] * 10 + ["closed"] * 35
    )
    states += ["referred_up", "withdrawn", "withdrawn", "referred_up", "closed"]
    today = timezone.localdate()
    batch = 5000
    for offset in range(existing, case_count, batch):
        cases = []
        for i in range(offset, min(offset + batch, case_count)):
            centre = rng.choice(centres)
            state = rng.choice(states)
            routed = state not in ("submitted", "withdrawn", "referred_up")
            measure = rng.choice(measures)
            created = timezone.now() - timedelta(days=rng.randint(0, 700), minutes=rng.randint(0, 1440))
            lead = rng.choice(city_bureaus) if routed else None
            cases.append(
                Case(
                    centre=centre,
                    district_id=centre.district_id,
                    measure=measure,
                    title=f"Bench case {i}: {rng.choice(['customs', 'talent', 'tax', 'data', 'funding', 'patent'])} question",
                    description="A difficulty the centre met, described at some length for the benchmark. "
                    * 3,
                    urgency=rng.choice(["normal"] * 4 + ["urgent"]),
                    is_confidential=rng.random() < 0.05,
                    state=state,
                    created_by=commissioners[centre.district_id],
                    created_at=created,
                    lead_bureau=lead,
                    accept_due_on=(today + timedelta(days=rng.randint(-30, 10))) if routed else None,
                    answer_due_on=(today + timedelta(days=rng.randint(-30, 30))) if routed else None,
                    referred_to=Bureau.objects.get(code="most") if state == "referred_up" else None,
                )
            )
        Case.objects.bulk_create(cases, batch_size=batch)
        assignments, events = [], []
        for case in cases:
            events.append(
                CaseEvent(
                    case=case,
                    actor=case.created_by,
                    action="submit",
                    to_state="submitted",
                    created_at=case.created_at,
                )
            )
            if case.lead_bureau_id:
                assignments.append(
                    Assignment(
                        case=case,
                        bureau_id=case.lead_bureau_id,
                        is_lead=True,
                        status="accepted" if case.state != "dispatched" else "pending",
                        accept_due_on=case.accept_due_on,
                    )
                )
                co = governments[case.district_id] if case.measure.number == 9 else rng.choice(city_bureaus)
                if co.pk != case.lead_bureau_id:
                    assignments.append(
                        Assignment(
                            case=case,
                            bureau=co,
                            is_lead=False,
                            status="pending",
                            accept_due_on=case.accept_due_on,
                        )
                    )
                events.append(
                    CaseEvent(
                        case=case,
                        action="dispatch",
                        from_state="submitted",
                        to_state="dispatched",
                        created_at=case.created_at,
                    )
                )
        for assignment in assignments:
            assignment.case_state = assignment.case.state
            assignment.case_is_confidential = assignment.case.is_confidential
            assignment.case_answer_due_on = assignment.case.answer_due_on
        Assignment.objects.bulk_create(assignments, batch_size=batch)
        CaseEvent.objects.bulk_create(events, batch_size=batch)
        print(f"data: {offset + len(cases)} cases", flush=True)
    print(f"data: built in {time.monotonic() - started:.0f} s")


def tokens() -> dict[str, str]:
    from knox.models import AuthToken

    from commissioners.models import User

    names = {"city": "bench-city", "district": "bench-dc-pudong", "bureau": "bench-sh-science-technology"}
    return {
        key: AuthToken.objects.create(User.objects.get(username=username))[1]
        for key, username in names.items()
    }


def start_server() -> subprocess.Popen:
    return start_gunicorn(database_url=BENCH_DATABASE_URL, port=PORT)


def timed(method: str, path: str, token: str, body: dict | None = None) -> tuple[float, int]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}{path}",
        data=data,
        method=method,
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Accept-Language": "en",
        },
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    return (time.perf_counter() - started) * 1000, status


def measure(name: str, kind: str, calls) -> dict:
    latencies, statuses = [], set()
    for method, path, token, body in calls:
        elapsed, status = timed(method, path, token, body)
        latencies.append(elapsed)
        statuses.add(status)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    row = {
        "scenario": name,
        "n": len(latencies),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(p95, 1),
        "budget_ms": BUDGET_MS[kind],
        "ok": p95 < BUDGET_MS[kind] and statuses <= {200, 201},
        "statuses": sorted(statuses),
    }
    print(
        f"{name:<44} n={row['n']:<4} p50={row['p50_ms']:>6} ms  p95={row['p95_ms']:>6} ms  "
        f"budget {row['budget_ms']} ms  {'OK' if row['ok'] else 'OVER'}  {row['statuses']}",
        flush=True,
    )
    return row


def run(requests: int) -> list[dict]:
    from knox.models import AuthToken

    from cases.models import Case
    from commissioners.models import User

    token = tokens()
    case_ids = list(Case.objects.filter(is_confidential=False).values_list("id", flat=True)[:50_000])
    # Each run moves fresh cases: dispatched ones not yet supervised, accepted by their own lead bureau.
    dispatched = list(
        Case.objects.filter(state="dispatched", is_supervised=False)
        .order_by("?")
        .values_list("id", "lead_bureau__code")[:requests]
    )
    staff_tokens = {
        user.bureau.code: AuthToken.objects.create(user)[1]
        for user in User.objects.filter(username__startswith="bench-", role="bureau_staff").select_related(
            "bureau"
        )
    }
    rng = random.Random(7)
    today = date.today().isoformat()
    filters = [
        "",
        "?state=in_progress",
        "?measure_number=3",
        "?bureau=sh-customs",
        "?district=pudong",
        "?urgency=urgent",
        "?overdue=true",
        "?confidential=true",
        "?created_after=2026-01-01&created_before=2026-06-30",
        f"?due_after={today}",
        "?state=dispatched&district=xuhui&urgency=normal",
        "?ordering=answer_due_on",
        "?supervised=true",
        f"?centre={Case.objects.values_list('centre_id', flat=True).first()}",
    ]
    rows = []
    for role in ("city", "district", "bureau"):
        calls = [("GET", f"/api/cases/{rng.choice(filters)}", token[role], None) for _ in range(requests)]
        rows.append(measure(f"list as {role} (25 a page, any filter)", "read", calls))
    rows.append(measure("bureau inbox", "read", [("GET", "/api/inbox/", token["bureau"], None)] * requests))
    detail_calls = [
        ("GET", f"/api/cases/{rng.choice(case_ids)}/", token["city"], None) for _ in range(requests)
    ]
    rows.append(measure("case detail as city commissioner", "read", detail_calls))
    move_calls = [("POST", f"/api/cases/{pk}/accept/", staff_tokens[lead], {}) for pk, lead in dispatched]
    rows.append(measure("move: lead bureau accepts", "move", move_calls))
    supervise = [
        ("POST", f"/api/cases/{pk}/supervise/", token["city"], {"note": "bench"}) for pk, _lead in dispatched
    ]
    rows.append(measure("move: city commissioner supervises", "move", supervise))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    ensure_database(BENCH_DATABASE_URL)
    django_setup(BENCH_DATABASE_URL)
    build_data(args.cases)
    settle_database()
    server = start_server()
    try:
        rows = run(args.requests)
    finally:
        server.terminate()
        server.wait()
    if not all(row["ok"] for row in rows):
        raise SystemExit("some scenario is over its budget")


if __name__ == "__main__":
    main()
