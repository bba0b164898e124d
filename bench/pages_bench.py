"""The workbench's server-rendered pages with 100,000 cases, under gunicorn on this machine.

    .venv/bin/python bench/pages_bench.py                  # build the data once, then measure
    .venv/bin/python bench/pages_bench.py --requests 500   # more requests per page (default 200)
    .venv/bin/python bench/pages_bench.py --cases 20000 --requests 100   # a quick try
    .venv/bin/python bench/pages_bench.py --queries        # and each page's SQL queries, in-process
    .venv/bin/python bench/pages_bench.py --pages case-bureau,case-city   # some pages only

Budget (issue: workbench pages): with the case benchmark's 100,000 cases the inbox and case
pages answer within 100 ms at the 95th percentile under gunicorn on this machine. The city's
triage page and the case search are timed and reported against the same 100 ms, but only
the budgeted pages decide the exit status.

Uses the case benchmark's database and data (bench/cases_bench.py: BENCH_DATABASE_URL,
default postgres://postgres@127.0.0.1:5432/commissioners_bench), built there once if it
holds fewer than --cases cases, and the case benchmark's gunicorn command (two sync workers,
base settings, no Redis) on 127.0.0.1:BENCH_PORT (default 8766, not to clash with its 8765).
The static files are collected into var/bench/pages_static (DJANGO_STATIC_ROOT) first:
the pages link them through whitenoise's manifest, which must be there and must be current.

The users are the case benchmark's: the bureau staff user whose bureau has the most inbox
work, and bench-city, the city commissioner. Each logs in with a Django session made here
(the `sessionid` cookie, as `/login/` would have set it). One client, one request at a time,
after a few untimed warm-up requests per page; every answer must be a 200 (a redirect to the
login page fails the run too). Prints p50/p95/max per page with the machine's 1-minute load
average (other work on a two-CPU machine slows every page), then the rows as JSON; exits
non-zero when a budgeted page's p95 is over. --queries then runs each page in-process and
prints its queries, its time in and out of SQL and the slowest query's EXPLAIN ANALYZE.
"""

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import cases_bench
from bench_support import ROOT, django_setup, ensure_database, settle_database, start_gunicorn, stop_gunicorn

BENCH_DATABASE_URL = cases_bench.BENCH_DATABASE_URL
PORT = int(os.environ.get("BENCH_PORT", "8766"))
STATIC_ROOT = ROOT / "var" / "bench" / "pages_static"
BUDGET_MS = 100
WARM_UP = 10  # untimed requests per page first, two at a time (see measure)
CITY = "bench-city"
SESSIONS: list[str] = []  # made by this run, deleted at its end


def collect_static() -> None:
    """The manifest the pages' {% static %} tags read, in the benchmark's own static root."""
    env = {
        **os.environ,
        "DATABASE_URL": BENCH_DATABASE_URL,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_STATIC_ROOT": str(STATIC_ROOT),
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def start_server() -> subprocess.Popen:
    """The case benchmark's gunicorn on this benchmark's port and static root."""
    return start_gunicorn(database_url=BENCH_DATABASE_URL, port=PORT, DJANGO_STATIC_ROOT=str(STATIC_ROOT))


def session_cookie(user) -> str:
    """A logged-in session for `user`, stored as `django.contrib.auth.login` stores one."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    SESSIONS.append(session.session_key)
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def busiest_bureau_user():
    """The case benchmark's bureau staff user whose bureau has the most inbox rows."""
    from cases import selectors
    from commissioners.models import User

    staff = User.objects.filter(username__startswith="bench-", role="bureau_staff", bureau__isnull=False)
    counted = [(selectors.bureau_inbox_counts(user=user)["all"], user.username, user) for user in staff]
    if not counted:
        raise SystemExit("no bench bureau staff: is the case benchmark's data built?")
    count, _name, user = max(counted, key=lambda row: (row[0], row[1]))
    return user, count


def timed(path: str, cookie: str) -> float:
    """One GET; the time until its whole body is read. Anything but a 200 ends the run."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "en"})
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    if response.status != 200:
        where = response.getheader("Location")
        raise SystemExit(
            f"GET {path} answered {response.status}"
            + (f" (to {where})" if where else "")
            + f": {body[:500].decode(errors='replace')}"
        )
    return elapsed


def measure(name: str, paths: list[str], cookie: str, *, budgeted: bool) -> dict:
    # Two at a time, so that both sync workers take some: one client alone may meet only one.
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda path: timed(path, cookie), paths[:WARM_UP]))
    latencies = sorted(timed(path, cookie) for path in paths[WARM_UP:])
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    row = {
        "page": name,
        "load_1min": round(os.getloadavg()[0], 2),
        "n": len(latencies),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(latencies[-1], 1),
        "budget_ms": BUDGET_MS,
        "budgeted": budgeted,
        "ok": p95 < BUDGET_MS,
    }
    verdict = ("OK" if row["ok"] else "OVER") if budgeted else ("(under)" if row["ok"] else "(over)")
    print(
        f"{name:<52} n={row['n']:<4} p50={row['p50_ms']:>6} ms  p95={row['p95_ms']:>6} ms  "
        f"max={row['max_ms']:>6} ms  {'budget' if budgeted else 'report'} {BUDGET_MS} ms  {verdict}  "
        f"(load {row['load_1min']})",
        flush=True,
    )
    return row


PAGES = ("inbox", "inbox-answer", "case-bureau", "case-city", "city", "search")


def scenarios(requests: int, pages=PAGES) -> list[tuple[str, list[str], object, bool]]:
    """(name, paths, user, budgeted) for each page timed, of those keyed in `pages`."""
    from cases import selectors
    from cases.models import Case
    from commissioners.models import User

    rng = random.Random(11)
    city = User.objects.get(username=CITY)
    bureau, inbox_rows = busiest_bureau_user()
    print(f"users: {bureau.username} ({inbox_rows} inbox rows), {city.username}", flush=True)
    bureau_ids = list(selectors.case_list_visible_to(user=bureau).values_list("id", flat=True))
    all_ids = list(Case.objects.values_list("id", flat=True))
    total = requests + WARM_UP

    def case_paths(ids: list[int]) -> list[str]:
        return [f"/cases/{rng.choice(ids)}/" for _ in range(total)]

    every = {
        "inbox": (f"inbox as {bureau.username}", ["/inbox/"] * total, bureau, True),
        "inbox-answer": ("inbox, ?action=answer", ["/inbox/?action=answer"] * total, bureau, True),
        "case-bureau": (
            "case page as bureau staff (its bureau's cases)",
            case_paths(bureau_ids),
            bureau,
            True,
        ),
        "case-city": ("case page as city commissioner (any case)", case_paths(all_ids), city, True),
        "city": ("city triage page (/city/)", ["/city/"] * total, city, False),
        "search": (
            "case search ?state=in_progress, city",
            ["/cases/?state=in_progress"] * total,
            city,
            False,
        ),
    }
    return [every[key] for key in pages]


def run(requests: int, pages) -> list[dict]:
    # Other work on the machine slows every page: the 1-minute load average, as each page is
    # timed, goes with the figures (this machine has os.cpu_count() CPUs).
    print(f"machine: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}", flush=True)
    rows = []
    for name, paths, user, budgeted in scenarios(requests, pages):
        rows.append(measure(name, paths, session_cookie(user), budgeted=budgeted))
    return rows


def show_queries(pages) -> None:
    """Each page in-process against the bench database, after a warm-up: the median of a few
    requests' wall and SQL time, the slowest queries, and the slowest one's EXPLAIN ANALYZE."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for name, paths, user, _budgeted in scenarios(1, pages):
        cookie_name, key = session_cookie(user).split("=", 1)
        client.cookies[cookie_name] = key
        path = paths[-1]
        for _ in range(3):  # warm: templates, content types, translations, the connection
            client.get(path)
        runs = []
        for _ in range(9):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - started) * 1000
            queries = captured.captured_queries
            runs.append((elapsed, sum(float(q["time"]) for q in queries) * 1000, queries))
        elapsed, in_sql, queries = sorted(runs, key=lambda run: run[0])[len(runs) // 2]
        print(
            f"\n{name}: GET {path} -> {response.status_code}; median {elapsed:.1f} ms, "
            f"{len(queries)} queries, {in_sql:.1f} ms of it in SQL, {elapsed - in_sql:.1f} ms outside"
        )
        slowest = sorted(queries, key=lambda q: -float(q["time"]))
        for query in slowest[:3]:
            print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:400]}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest[0]["sql"])
            plan = [line for (line,) in cursor.fetchall()]
        print("  EXPLAIN ANALYZE of the slowest:")
        for line in plan[:14] + [
            line for line in plan[14:] if line.startswith(("Planning Time", "Execution"))
        ]:
            print(f"    {line}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--queries", action="store_true", help="also list each page's SQL queries")
    parser.add_argument(
        "--pages",
        default=",".join(PAGES),
        help=f"the pages to time, comma-separated, of {','.join(PAGES)} (default: all)",
    )
    args = parser.parse_args()
    pages = [key.strip() for key in args.pages.split(",") if key.strip()]
    if unknown := set(pages) - set(PAGES):
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    ensure_database(BENCH_DATABASE_URL)
    django_setup(BENCH_DATABASE_URL, DJANGO_STATIC_ROOT=str(STATIC_ROOT))
    cases_bench.build_data(args.cases)
    settle_database()
    collect_static()
    server = start_server()
    try:
        rows = run(args.requests, pages)
    finally:
        stop_gunicorn(server)
    print(json.dumps(rows, indent=2))
    if args.queries:
        show_queries(pages)
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key__in=SESSIONS).delete()
    over = [row["page"] for row in rows if row["budgeted"] and not row["ok"]]
    if over:
        raise SystemExit(f"over the {BUDGET_MS} ms p95 budget: {', '.join(over)}")


if __name__ == "__main__":
    main()
