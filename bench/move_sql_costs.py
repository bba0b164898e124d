"""What each statement of one move costs PostgreSQL, and each trigger it fires.

    .venv/bin/python bench/move_sql_costs.py --size 100000

Captures the statements of one accept through the API in-process (on the case bench's database of
that size: build it with cases_bench.py first), then replays them on other dispatched cases, each
replay in a transaction that is rolled back: three warm rounds timed statement by statement, then
EXPLAIN ANALYZE of each statement, which names the triggers it fired and their time. Nothing is
left changed but the one accept captured. Replayed as text: the planning time of the token lookup,
the lock and the detail is what the API's prepared statements save it (`core/compiled.py`).
"""

import argparse
import os
import re
import time

import psycopg
from bench_support import django_setup

BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/commissioners_bench"
)


def captured_accept() -> list[str]:
    """The SQL texts one accept sent, its values in them, as Django logged them."""
    import cases_bench
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    ((path, token),) = cases_bench.move_requests(1)
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, b"{}", "application/json")
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code} {response.content[:300]!r}")
    return [query["sql"] for query in queries.captured_queries if query["sql"] not in ("BEGIN", "COMMIT")]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()
    database_url = f"{BENCH_DATABASE_URL}_{args.size}"
    django_setup(database_url, THROTTLE_USER="1000000/minute")
    statements = captured_accept()
    case_id = re.search(r'"cases_case"\."id" = (\d+)', statements[1]).group(1)
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("SET random_page_cost = 1.1")
        connection.execute("SET jit = off")

        def replay(explain: bool) -> list[float]:
            (other,) = connection.execute(
                "SELECT id FROM cases_case WHERE state = 'dispatched' AND NOT is_supervised "
                "ORDER BY random() LIMIT 1"
            ).fetchone()
            spent = []
            connection.execute("BEGIN")
            try:
                for number, statement in enumerate(statements):
                    sql = re.sub(rf"\b{case_id}\b", str(other), statement)
                    if explain:
                        # The change context first (pghistory's set_config), then the statement.
                        context, _, sql = (
                            sql.partition("; ") if sql.startswith("SELECT set_config") else ("", "", sql)
                        )
                        if context:
                            connection.execute(context.replace("%", "%%"))
                        plan = connection.execute(
                            f"EXPLAIN (ANALYZE, TIMING) {sql}".replace("%", "%%")
                        ).fetchall()
                        print(f"statement {number + 1}: {sql[:90]}...")
                        for (line,) in plan:
                            if line.startswith(("Trigger", "Planning Time", "Execution Time")):
                                print(f"    {line}")
                        continue
                    started = time.perf_counter()
                    cursor = connection.execute(sql.replace("%", "%%"))
                    if cursor.description:
                        cursor.fetchall()
                    spent.append(1000 * (time.perf_counter() - started))
            finally:
                connection.execute("ROLLBACK")
            return spent

        replay(explain=False)  # the plans and the functions' plans, cached on this connection
        for _ in range(3):
            spent = replay(explain=False)
            print("ms per statement:", " ".join(f"{ms:.2f}" for ms in spent), f"(all {sum(spent):.2f})")
        replay(explain=True)


if __name__ == "__main__":
    main()
