"""What each statement of one move costs PostgreSQL, and each trigger it fires.

    .venv/bin/python bench/move_sql_costs.py --size 100000

Captures the statements of one accept through the API in-process (on the case bench's database of
that size: build it with cases_bench.py first), then replays them on other dispatched cases, each
replay in a transaction that is rolled back: three warm rounds timed statement by statement, then
EXPLAIN ANALYZE of each statement, which names the triggers it fired and their time. Nothing is
left changed but the one accept captured. Each statement is sent as ours sent it: as text, or
bound on the server and prepared (`core/compiled.py`; EXPLAIN plans those afresh, the API does not).
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


def captured_accept() -> tuple[int, list[dict]]:
    """The case one accept moved and the statements it sent (`cases_bench.capture`: as text, or
    with the parameters ours binds on the server)."""
    import cases_bench

    ((path, token),) = cases_bench.move_requests(1)
    status, body, statements, _count = cases_bench.capture("POST", path, token)
    if status != 200:
        raise SystemExit(f"{path}: {status} {body[:300]!r}")
    return int(path.split("/")[3]), statements


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()
    database_url = f"{BENCH_DATABASE_URL}_{args.size}"
    django_setup(database_url, THROTTLE_USER="1000000/minute")
    case_id, statements = captured_accept()
    with psycopg.connect(database_url, autocommit=True, prepare_threshold=0) as connection:
        connection.execute("SET random_page_cost = 1.1")
        connection.execute("SET jit = off")

        def send(statement: dict, other: int, prefix: str = ""):
            """The statement on case `other` instead, sent as ours sent it."""
            if "params" in statement:
                params = [other if value == case_id else value for value in statement["params"]]
                return connection.execute(prefix + statement["sql"], params)
            sql = re.sub(rf"\b{case_id}\b", str(other), statement["sql"])
            text = psycopg.ClientCursor(connection)  # as text, pghistory's set_config and all
            if prefix and sql.startswith("SELECT set_config"):
                # The change context first, then the statement explained.
                context, _, sql = sql.partition("; ")
                text.execute(context)
            return text.execute(prefix + sql)

        def replay(explain: bool) -> list[float]:
            (other,) = connection.execute(
                "SELECT id FROM cases_case WHERE state = 'dispatched' AND NOT is_supervised "
                "ORDER BY random() LIMIT 1"
            ).fetchone()
            spent = []
            connection.execute("BEGIN")
            try:
                for number, statement in enumerate(statements):
                    if explain:
                        plan = send(statement, other, "EXPLAIN (ANALYZE, TIMING) ").fetchall()
                        print(f"statement {number + 1}: {statement['sql'][:90]}...")
                        for (line,) in plan:
                            if line.startswith(("Trigger", "Planning Time", "Execution Time")):
                                print(f"    {line}")
                        continue
                    started = time.perf_counter()
                    cursor = send(statement, other)
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
