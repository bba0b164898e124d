"""Database queries counted for the Prometheus endpoint, per database and per view: every connection
gets one execute wrapper when it opens, so nothing has to swap the database engine."""

import time

from prometheus_client import Counter, Histogram

from .logs import current_request

QUERIES = Counter(
    "commissioners_db_queries",
    "Database queries, per database and per view (other: outside a request).",
    ["alias", "view"],
)
QUERY_ERRORS = Counter(
    "commissioners_db_query_errors", "Database queries that raised, per database.", ["alias"]
)
QUERY_SECONDS = Histogram(
    "commissioners_db_query_duration_seconds",
    "Time of database queries, per database.",
    ["alias"],
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 30.0),
)


def _view_name() -> str:
    request = current_request.get()
    match = getattr(request, "resolver_match", None) if request is not None else None
    if request is None:
        return "other"
    return match.view_name if match is not None else "unresolved"


class QueryCounter:
    def __init__(self, alias: str):
        self.alias = alias

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        except Exception:
            QUERY_ERRORS.labels(self.alias).inc()
            raise
        finally:
            QUERY_SECONDS.labels(self.alias).observe(time.perf_counter() - started)
            QUERIES.labels(self.alias, _view_name()).inc()


def count_queries(*, connection, **_) -> None:
    """On connection_created: once per connection object (it outlives its reconnections)."""
    if not any(isinstance(wrapper, QueryCounter) for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.insert(0, QueryCounter(connection.alias))
