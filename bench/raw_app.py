"""The raw floor of the case bench: a bare WSGI callable that sends, through psycopg, the very SQL
the case API sent for a request and answers with the same JSON.

`cases_bench.py` captures, for each sampled read, the statements our API ran (authentication
included) and the body it answered; this app replays them on one persistent connection per
worker (as CONN_MAX_AGE does for ours), as text, or bound on the server and prepared where ours
prepares them, fetches every row and JSON-encodes them (the least work
any Python app must do with them), then answers with our body, byte for byte. What our API takes
beyond this app's time is Python: Django, DRF, serializers and the ORM's compilation.

    GET /health/        200
    GET /<op>/<n>/      replays sample n of operation op
"""

import json
import os

import psycopg

with open(os.environ["RAW_PLAN"], encoding="utf-8") as plan_file:
    PLAN: dict[str, list[dict]] = json.load(plan_file)

_connection: psycopg.Connection | None = None


def _connected() -> psycopg.Connection:
    global _connection
    if _connection is None or _connection.closed:
        # The options our settings give PostgreSQL, so the planner decides alike; a statement ours
        # prepares is prepared here too, on first use.
        _connection = psycopg.connect(
            os.environ["RAW_DATABASE_URL"],
            autocommit=True,
            options="-c random_page_cost=1.1 -c jit=off -c TimeZone=UTC",
            application_name="bench-raw",
            prepare_threshold=0,
        )
    return _connection


def application(environ, start_response):
    parts = [part for part in environ["PATH_INFO"].split("/") if part]
    if parts == ["health"]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    sample = PLAN[parts[0]][int(parts[1])]
    rows = []
    connection = _connected()
    for statement in sample["sql"]:
        if "params" in statement:  # bound on the server and prepared, as ours sends it
            cursor = psycopg.Cursor(connection)
            cursor.execute(statement["sql"], statement["params"])
        else:
            cursor = psycopg.ClientCursor(connection)
            cursor.execute(statement["sql"])
        with cursor:
            if cursor.description is not None:
                rows.append(cursor.fetchall())
    json.dumps(rows, default=str)
    body = sample["body"].encode()
    start_response(
        f"{sample['status']} OK",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]
