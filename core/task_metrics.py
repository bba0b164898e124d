"""Celery task counts, failures and durations per task, for the Prometheus endpoint.

The worker is another process (often another machine) than the web process that is scraped, so each
finished task adds to one Redis hash that every process shares, and the scrape reads it back
(`TaskMetricsCollector`). One round trip per task; a Redis that is down loses counts, never a task."""

import logging
import time
from typing import Any

import redis
from django.conf import settings
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily

logger = logging.getLogger(__name__)

# Seconds: from a notification's e-mail to a night's sweep.
BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0)
STATES = {"SUCCESS": "succeeded", "FAILURE": "failed", "RETRY": "retried"}

_started: dict[str, float] = {}
_client: redis.Redis | None = None


def metrics_key() -> str:
    return f"{settings.METRICS_KEY_PREFIX}:celery-tasks"


def _redis() -> redis.Redis | None:
    global _client
    if not settings.REDIS_URL:
        return None
    if _client is None:
        _client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=settings.BROKER_TIMEOUT,
            socket_timeout=settings.BROKER_TIMEOUT,
        )
    return _client


def task_started(*, task_id: str, **_: Any) -> None:
    _started[task_id] = time.monotonic()


def task_finished(*, task_id: str, task=None, state: str | None = None, **_: Any) -> None:
    started = _started.pop(task_id, None)
    client = _redis()
    if client is None or task is None or state not in STATES:
        return
    name = task.name
    fields = {f"{name}|count|{STATES[state]}": 1}
    if started is not None and state != "RETRY":
        duration = time.monotonic() - started
        fields[f"{name}|duration_count"] = 1
        for bound in BUCKETS:
            if duration <= bound:
                fields[f"{name}|bucket|{bound}"] = 1
    try:
        pipe = client.pipeline(transaction=False)
        for field, increment in fields.items():
            pipe.hincrby(metrics_key(), field, increment)
        if started is not None and state != "RETRY":
            pipe.hincrbyfloat(metrics_key(), f"{name}|duration_sum", duration)
        pipe.execute()
    except redis.RedisError:
        logger.warning("Could not count the run of %s.", name, exc_info=True)


class TaskMetricsCollector:
    """Reads the shared hash at scrape time: a counter per task and outcome, a duration histogram."""

    def collect(self):
        counts = CounterMetricFamily(
            "commissioners_celery_tasks",
            "Celery tasks finished, per task and outcome.",
            labels=["task", "state"],
        )
        durations = HistogramMetricFamily(
            "commissioners_celery_task_duration_seconds",
            "Run time of Celery tasks, per task.",
            labels=["task"],
        )
        client = _redis()
        try:
            raw = client.hgetall(metrics_key()) if client is not None else {}
        except redis.RedisError:
            raw = {}
        per_task: dict[str, dict[str, float]] = {}
        for field, value in raw.items():
            task, _, rest = field.decode().partition("|")
            per_task.setdefault(task, {})[rest] = float(value)
        for task, values in sorted(per_task.items()):
            for state in STATES.values():
                if f"count|{state}" in values:
                    counts.add_metric([task, state], values[f"count|{state}"])
            if "duration_count" in values:
                buckets = [(str(bound), values.get(f"bucket|{bound}", 0.0)) for bound in BUCKETS]
                buckets.append(("+Inf", values["duration_count"]))
                durations.add_metric([task], buckets, values.get("duration_sum", 0.0))
        yield counts
        yield durations
