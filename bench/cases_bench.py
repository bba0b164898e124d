"""The case API side by side with the raw SQL floor, under gunicorn on this machine.

    .venv/bin/python bench/cases_bench.py                       # 10k, 100k and 1M cases
    .venv/bin/python bench/cases_bench.py --sizes 10000,100000 --requests 400

For each size: its own PostgreSQL database (BENCH_DATABASE_URL with the size appended, default
postgres://postgres@127.0.0.1:5432/commissioners_bench_<size>), filled once. For each read
(the city's, a district's and a bureau's case list, the bureau inbox, a case's detail) a set of
sampled requests is first answered in-process: their queries are counted and their SQL and JSON
kept. Then two gunicorns with the same settings (2 sync workers, DEBUG off, CONN_MAX_AGE=60,
token auth) serve, ours the API and `raw_app.py` the same SQL through psycopg with the same JSON,
and 4 clients keep 4 requests in flight, batch after batch interleaved: ours, raw, ours, raw for
every operation in turn, so that a busy machine weighs on both alike. A move (a lead bureau
accepts a dispatched case) has no raw twin. Reported per operation and side: req/s, p50, p99,
queries per request, and CPU per request of the gunicorn workers and of their PostgreSQL backends.
Each size runs in a child process; both servers are stopped whatever happens (SIGTERM included).
Throttling is lifted for the bench (THROTTLE_USER) so that no 429 ends up among the figures.
Exits non-zero if a response is not a 2xx or a target of issue 19 is missed.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

from bench_support import (
    django_setup,
    ensure_database,
    exit_on_sigterm,
    settle_database,
    start_gunicorn,
    stop_gunicorn,
)

BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/commissioners_bench"
)
PORT = int(os.environ.get("BENCH_PORT", "8765"))
IN_FLIGHT = 4
SAMPLES = 40
READS = ("list_city", "list_district", "list_bureau", "inbox", "detail")
MOVES = ("accept",)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


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

    from django.db import connection, transaction

    from cases.figures import rebuild_case_figures

    # Loaded with the triggers off (the change history and the figures' row triggers: a case at a
    # time they would take most of an hour for 1M cases); the figures are summed afresh at the end,
    # as after any bulk load. The bench's cases have no change history, which no operation reads.
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
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
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
    with transaction.atomic():
        rebuild_case_figures()
    print(f"data: built in {time.monotonic() - started:.0f} s")


def tokens() -> dict[str, str]:
    from knox.models import AuthToken

    from commissioners.models import User

    names = {"city": "bench-city", "district": "bench-dc-pudong", "bureau": "bench-sh-science-technology"}
    return {
        key: AuthToken.objects.create(User.objects.get(username=username))[1]
        for key, username in names.items()
    }


def _filters() -> list[str]:
    from cases.models import Case

    today = date.today().isoformat()
    return [
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


def read_requests(token: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """SAMPLES requests (path, token) per read operation."""
    from cases.models import Case

    rng = random.Random(7)
    filters = _filters()
    case_ids = list(Case.objects.filter(is_confidential=False).values_list("id", flat=True)[:50_000])
    return {
        "list_city": [(f"/api/cases/{rng.choice(filters)}", token["city"]) for _ in range(SAMPLES)],
        "list_district": [(f"/api/cases/{rng.choice(filters)}", token["district"]) for _ in range(SAMPLES)],
        "list_bureau": [(f"/api/cases/{rng.choice(filters)}", token["bureau"]) for _ in range(SAMPLES)],
        "inbox": [("/api/inbox/", token["bureau"])] * SAMPLES,
        "detail": [(f"/api/cases/{rng.choice(case_ids)}/", token["city"]) for _ in range(SAMPLES)],
    }


def move_requests(count: int) -> list[tuple[str, str]]:
    """`count` accepts of dispatched cases, each by a user of its lead bureau, fresh cases each run."""
    from knox.models import AuthToken

    from cases.models import Case
    from commissioners.models import User

    staff_tokens = {
        user.bureau.code: AuthToken.objects.create(user)[1]
        for user in User.objects.filter(username__startswith="bench-", role="bureau_staff").select_related(
            "bureau"
        )
    }
    dispatched = list(
        Case.objects.filter(state="dispatched", is_supervised=False)
        .order_by("?")
        .values_list("id", "lead_bureau__code")[:count]
    )
    if len(dispatched) < count:
        raise SystemExit(f"only {len(dispatched)} dispatched cases left to accept; rebuild the database")
    return [(f"/api/cases/{pk}/accept/", staff_tokens[lead]) for pk, lead in dispatched]


def capture(method: str, path: str, token: str) -> tuple[int, bytes, list[dict], int]:
    """Answers one request in-process: its status, body and the statements it sent, each as the
        raw app must send it (SQL text, or (where ours binds its parameters on the server and prepares
        the statement, `core.compiled`) the SQL with its parameters, to be prepared alike), and how many
    queries Django counted."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    statements = []

    def record(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        driver_cursor = context["cursor"].cursor
        if type(driver_cursor).__name__ == "ServerBindingCursor":
            statements.append({"sql": sql, "params": json.loads(json.dumps(list(params), default=str))})
        else:  # the text the driver sent, its parameters in it
            statements.append({"sql": connection.ops.last_executed_query(driver_cursor, sql, params)})
        return result

    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en")
    # Counted as Django counts them, BEGIN and COMMIT included (the raw app's reads send neither).
    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(record):
        response = client.generic(method, path, b"{}" if method == "POST" else b"", "application/json")
    return response.status_code, response.content, statements, len(queries)


def prepare(reads: dict[str, list[tuple[str, str]]], plan_path: Path) -> dict[str, float]:
    """Answers every sampled read in-process; writes the raw app's plan; returns queries per op."""
    plan, queries = {}, {}
    for op, requests in reads.items():
        plan[op], counts = [], []
        for path, token in requests:
            status, body, statements, count = capture("GET", path, token)
            if status != 200:
                raise SystemExit(f"{op} {path}: {status} {body[:300]!r}")
            plan[op].append({"sql": statements, "body": body.decode(), "status": status})
            counts.append(count)
        queries[op] = statistics.mean(counts)
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    return queries


def move_queries(moves: list[tuple[str, str]]) -> float:
    counts = []
    for path, token in moves:
        status, body, _statements, count = capture("POST", path, token)
        if status != 200:
            raise SystemExit(f"{path}: {status} {body[:300]!r}")
        counts.append(count)
    return statistics.mean(counts)


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User and system CPU of each process still there, in seconds."""
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
    return seconds


def _cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    # A process that appeared meanwhile (a backend replacing one that reached CONN_MAX_AGE) spent
    # all of its CPU in the batch; one that went away is not counted.
    return sum(seconds - before.get(pid, 0) for pid, seconds in after.items())


def _workers(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def _backends(application_name: str) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            [application_name],
        )
        return [row[0] for row in cursor.fetchall()]


class Side:
    """One server under load: its latencies, wall time and CPU, summed over its batches."""

    def __init__(self, name: str, server: subprocess.Popen, port: int, application_name: str):
        self.name, self.server, self.port, self.application_name = name, server, port, application_name
        self.latencies: dict[str, list[float]] = {}
        self.wall: dict[str, float] = {}
        self.cpu_app: dict[str, float] = {}
        self.cpu_db: dict[str, float] = {}
        self.statuses: dict[str, set[int]] = {}
        self.pids: list[int] = []
        self.backends: list[int] | None = None  # found after the warm-up

    def find_processes(self) -> None:
        self.pids = _workers(self.server)
        self.backends = _backends(self.application_name)

    def batch(self, op: str, calls: list[tuple[str, str, str]]) -> None:
        latencies, statuses = [], set()
        lock = threading.Lock()

        def one(call: tuple[str, str, str]) -> None:
            elapsed, status = timed(self.port, *call)
            with lock:
                latencies.append(elapsed)
                statuses.add(status)

        self.backends = _backends(self.application_name) if self.backends is not None else None
        app_before = _cpu_seconds(self.pids)
        db_before = _cpu_seconds(self.backends or [])
        started = time.perf_counter()
        with ThreadPoolExecutor(IN_FLIGHT) as pool:
            list(pool.map(one, calls))
        self.wall[op] = self.wall.get(op, 0) + time.perf_counter() - started
        self.cpu_app[op] = self.cpu_app.get(op, 0) + _cpu_spent(app_before, _cpu_seconds(self.pids))
        if self.backends is not None:
            db_after = _cpu_seconds(_backends(self.application_name))
            self.cpu_db[op] = self.cpu_db.get(op, 0) + _cpu_spent(db_before, db_after)
        self.latencies.setdefault(op, []).extend(latencies)
        self.statuses.setdefault(op, set()).update(statuses)

    def row(self, op: str, queries: float) -> dict:
        latencies = sorted(self.latencies[op])
        n = len(latencies)
        return {
            "op": op,
            "side": self.name,
            "n": n,
            "req_s": round(n / self.wall[op], 1),
            "p50_ms": round(statistics.median(latencies), 1),
            "p99_ms": round(latencies[max(0, int(n * 0.99) - 1)], 1),
            "queries": round(queries, 1),
            "cpu_app_ms": round(self.cpu_app[op] * 1000 / n, 2),
            "cpu_db_ms": round(self.cpu_db.get(op, 0) * 1000 / n, 2),
            "statuses": sorted(self.statuses[op]),
        }


def timed(port: int, method: str, path: str, token: str) -> tuple[float, int]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=b"{}" if method == "POST" else None,
        method=method,
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Accept-Language": "en",
        },
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    return (time.perf_counter() - started) * 1000, status


def _enough_to_accept(database_url: str, count: int) -> bool:
    """Whether the database (if there is one) still has `count` dispatched cases: each run accepts
    that many, so a database that ran out is built afresh (10k cases take seconds, 1M about 17
    minutes, after some 350 runs)."""
    import psycopg

    try:
        with psycopg.connect(database_url) as connection:
            (left,) = connection.execute(
                "SELECT count(*) FROM cases_case WHERE state = 'dispatched' AND NOT is_supervised"
            ).fetchone()
    except psycopg.Error:  # no database yet, or not migrated: it is built anyway
        return True
    if left < count:
        print(f"data: only {left} dispatched cases left to accept; building the database afresh")
    return left >= count


def run_size(size: int, requests: int, rounds: int, out: Path, operations: tuple[str, ...]) -> None:
    """One size, in its own process (Django is set up once per process, on one database)."""
    reads_run = [op for op in READS if op in operations]
    database_url = f"{BENCH_DATABASE_URL}_{size}"
    ensure_database(database_url, rebuild=not _enough_to_accept(database_url, requests + 3))
    django_setup(database_url)
    build_data(size)
    settle_database()
    token = tokens()
    reads = read_requests(token)
    moves = move_requests(requests + 3)
    workdir = Path(tempfile.mkdtemp(prefix="cases-bench-"))
    plan_path = workdir / "plan.json"
    queries = prepare(reads, plan_path)
    queries["accept"] = move_queries(moves[:3])
    moves = moves[3:]
    settle_database()  # what the captures wrote, as autovacuum would have it

    common = {"THROTTLE_USER": "1000000/minute", "DATABASE_CONN_MAX_AGE": "60", "DJANGO_DEBUG": "false"}
    ours_url = database_url + "?application_name=bench-ours"
    servers = []
    try:
        # A line per request in the server's log: kept out of the report (a failing start says
        # where to look).
        ours_server = start_gunicorn(
            database_url=ours_url, port=PORT, log_path=workdir / "ours.log", **common
        )
        servers.append(ours_server)
        raw_server = start_gunicorn(
            database_url=database_url,
            port=PORT + 1,
            app="raw_app:application",
            warm_path="/health/",
            log_path=workdir / "raw.log",
            RAW_PLAN=str(plan_path),
            RAW_DATABASE_URL=database_url,
            **common,
        )
        servers.append(raw_server)
        ours = Side("ours", ours_server, PORT, "bench-ours")
        raw = Side("raw", raw_server, PORT + 1, "bench-raw")
        # Untimed: every worker of both sides connects and answers each operation once or twice.
        for op in reads_run:
            warm = [("GET", path, tok) for path, tok in reads[op][:8]]
            ours.batch("warm", warm)
            raw.batch("warm", [("GET", f"/{op}/{i}/", tok) for i, (_path, tok) in enumerate(reads[op][:8])])
        ours.find_processes()
        raw.find_processes()
        per_batch = max(1, requests // rounds)
        for round_ in range(rounds):
            for op in reads_run:
                indices = [(round_ * per_batch + i) % SAMPLES for i in range(per_batch)]
                ours.batch(op, [("GET", *reads[op][i]) for i in indices])
                raw.batch(op, [("GET", f"/{op}/{i}/", reads[op][i][1]) for i in indices])
            if "accept" in operations:
                moves_now = moves[round_ * per_batch : (round_ + 1) * per_batch]
                ours.batch("accept", [("POST", *call) for call in moves_now])
    finally:
        for server in servers:
            stop_gunicorn(server)
    rows = [side.row(op, queries[op]) for op in reads_run for side in (ours, raw)]
    if "accept" in operations:
        rows.append(ours.row("accept", queries["accept"]))
    out.write_text(
        json.dumps({"size": size, "rows": rows, "uptime": _uptime(), "replicas": _replicas()}),
        encoding="utf-8",
    )


def _replicas() -> int:
    """Replicas streaming from this server: each replays the bench's writes on the same cores."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_replication")
        return cursor.fetchone()[0]


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def report(results: list[dict]) -> bool:
    ok = True
    print(
        f"{'size':>8} {'operation':<14} {'side':<5} {'n':>5} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'queries':>7} {'cpu app':>8} {'cpu db':>7}  statuses"
    )
    for result in results:
        for row in result["rows"]:
            print(
                f"{result['size']:>8} {row['op']:<14} {row['side']:<5} {row['n']:>5} {row['req_s']:>7} "
                f"{row['p50_ms']:>7} {row['p99_ms']:>7} {row['queries']:>7} {row['cpu_app_ms']:>8} "
                f"{row['cpu_db_ms']:>7}  {row['statuses']}"
            )
            ok &= set(row["statuses"]) <= {200, 201}
        print(f"         load: {result['uptime']}")
        if result.get("replicas"):
            print(
                f"         warning: {result['replicas']} replica(s) stream from this server, replaying its writes"
            )
    by = {(r["size"], row["op"], row["side"]): row for r in results for row in r["rows"]}
    sizes = [r["size"] for r in results]
    ran = {row["op"] for r in results for row in r["rows"]}
    print("\ntargets (issue 19):")

    def target(text: str, met: bool) -> None:
        nonlocal ok
        ok &= met
        print(f"  {'OK  ' if met else 'MISS'} {text}")

    for size in sizes:
        for op in [op for op in READS if op in ran]:
            ratio = by[size, op, "ours"]["p50_ms"] / by[size, op, "raw"]["p50_ms"]
            if size <= 100_000:
                target(f"{size}: {op} p50 {ratio:.2f}x the raw view's (<= 2)", ratio <= 2)
        accept = by.get((size, "accept", "ours"))
        if size == 100_000 and accept:
            target(f"{size}: accept {accept['req_s']}/s (>= 150)", accept["req_s"] >= 150)
            target(f"{size}: accept p99 {accept['p99_ms']} ms (< 100)", accept["p99_ms"] < 100)
        for op, floor in (("detail", 250), ("list_city", 150)):
            if size == 100_000 and op in ran:
                speed = by[size, op, "ours"]["req_s"]
                target(f"{size}: {op} {speed}/s (>= {floor})", speed >= floor)
        if accept:
            target(f"{size}: accept {accept['queries']} queries (<= 8)", accept["queries"] <= 8)
    if len(sizes) > 1:
        low, high = sizes[0], sizes[-1]
        for op in [op for op in READS if op in ran]:
            growth = by[high, op, "ours"]["p50_ms"] / by[low, op, "ours"]["p50_ms"]
            target(f"{op} p50 grows {growth:.2f}x from {low} to {high} (<= 1.3)", growth <= 1.3)
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--requests", type=int, default=400, help="per operation and side")
    parser.add_argument("--rounds", type=int, default=8, help="interleaved batches per operation")
    parser.add_argument(
        "--operations",
        default=",".join((*READS, *MOVES)),
        help=f"a comma-separated subset of {', '.join((*READS, *MOVES))} (all by default)",
    )
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)  # the child's one size
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    exit_on_sigterm()
    operations = tuple(args.operations.split(","))
    unknown = set(operations) - {*READS, *MOVES}
    if unknown:
        parser.error(f"unknown operations: {', '.join(sorted(unknown))}")
    if args.size:
        run_size(args.size, args.requests, args.rounds, args.out, operations)
        return
    results = []
    for size in [int(size) for size in args.sizes.split(",")]:
        out = Path(tempfile.mkstemp(prefix="cases-bench-", suffix=".json")[1])
        child = [
            sys.executable,
            __file__,
            "--size",
            str(size),
            "--requests",
            str(args.requests),
            "--rounds",
            str(args.rounds),
            "--operations",
            args.operations,
            "--out",
            str(out),
        ]
        subprocess.run(child, check=True)
        results.append(json.loads(out.read_text(encoding="utf-8")))
    (Path(tempfile.gettempdir()) / "cases-bench-last.json").write_text(json.dumps(results, indent=1))
    if not report(results):
        raise SystemExit("some response failed or some target is missed")


if __name__ == "__main__":
    main()
