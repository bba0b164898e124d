"""Health of the whole service, for monitors and orchestrators.

- /api/health/: every part: the database, Redis, a Celery worker (answers a ping within a second)
  and the beat (each periodic job succeeded within twice its period, `core.SweepRun`); 503 naming
  the part that is down, and the late jobs.
- /api/health/ready/: may this process take requests (the database answers, its migrations are
  applied); what a load balancer or an orchestrator's readiness probe asks.
- /api/health/live/: the process answers at all; an orchestrator restarts it when it does not.
  It asks nothing else, so that a database outage never has every web process restarted.

All three are open (monitors carry no login) and say nothing but which part answers."""

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.celery import app
from core.models import SweepRun
from core.sweeps import schedule_period

OK, DOWN, NOT_CONFIGURED = "ok", "down", "not_configured"

# The worker's ping runs here, so that a broker that hangs past its socket timeouts still cannot hold
# the health answer: the answer waits for the ping at most its timeout and a second more.
_pinger = ThreadPoolExecutor(max_workers=2, thread_name_prefix="health-ping")


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return DOWN
    return OK


def redis_status() -> str:
    if not settings.REDIS_URL:
        return NOT_CONFIGURED
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except redis.RedisError:
        return DOWN
    return OK


def _ping_worker(timeout: float) -> bool:
    return bool(app.control.ping(timeout=timeout, limit=1))


def worker_status() -> str:
    """A worker answered the broadcast ping within HEALTH_WORKER_TIMEOUT seconds."""
    if not settings.REDIS_URL:
        # The files broker of a demo carries no broadcast: nothing to ask.
        return NOT_CONFIGURED
    timeout = settings.HEALTH_WORKER_TIMEOUT
    try:
        answered = _pinger.submit(_ping_worker, timeout).result(timeout=timeout + 1)
    except FutureTimeout:
        return DOWN
    except Exception:
        return DOWN  # the broker refused the connection: no worker can be reached either
    return OK if answered else DOWN


def late_sweeps(*, now=None) -> list[str]:
    """The beat jobs whose last success (or, never run, their first day in the schedule) is older
    than twice their period; a job no beat has ever registered is late too."""
    now = now or timezone.now()
    runs = {run.task: run for run in SweepRun.objects.all()}
    late = []
    for name, entry in sorted(app.conf.beat_schedule.items()):
        run = runs.get(entry["task"])
        since = (run.last_succeeded_at or run.scheduled_since) if run else None
        if since is None or now - since > 2 * schedule_period(entry["schedule"]):
            late.append(name)
    return late


def beat_status() -> tuple[str, list[str]]:
    try:
        late = late_sweeps()
    except DatabaseError:
        return DOWN, []
    return (DOWN if late else OK), late


_applied = False


def migrations_status() -> str:
    """Every migration applied; once true it stays so for this process (the check reads every
    migration file)."""
    global _applied
    if _applied:
        return OK
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return DOWN
    _applied = not pending
    return OK if _applied else DOWN


_check = serializers.ChoiceField(choices=[OK, DOWN, NOT_CONFIGURED])
_status = serializers.ChoiceField(choices=[OK, DOWN])
_health_fields = {
    "status": _status,
    "database": _check,
    "redis": _check,
    "worker": _check,
    "beat": _check,
    "late_sweeps": serializers.ListField(child=serializers.CharField(), help_text="Beat jobs overdue."),
}
_ready_fields = {"status": _status, "database": _check, "migrations": _check}


class _OpenProbe(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    # Monitors ask often and from one address; they are never throttled.
    throttle_classes: list = []


def _answer(checks: dict) -> Response:
    healthy = DOWN not in checks.values()
    return Response({"status": OK if healthy else DOWN, **checks}, status=200 if healthy else 503)


class HealthView(_OpenProbe):
    """Every part of the service; 503 names the part that is down."""

    @extend_schema(
        responses={
            (200, "application/json"): inline_serializer("Health", _health_fields),
            (503, "application/json"): inline_serializer("HealthDown", _health_fields),
        }
    )
    def get(self, request):
        beat, late = beat_status()
        checks = {
            "database": database_status(),
            "redis": redis_status(),
            "worker": worker_status(),
            "beat": beat,
        }
        response = _answer(checks)
        response.data["late_sweeps"] = late
        return response


class ReadinessView(_OpenProbe):
    """May this process take requests: the database answers and its migrations are applied."""

    @extend_schema(
        responses={
            (200, "application/json"): inline_serializer("Readiness", _ready_fields),
            (503, "application/json"): inline_serializer("ReadinessDown", _ready_fields),
        }
    )
    def get(self, request):
        database = database_status()
        return _answer({"database": database, "migrations": migrations_status() if database == OK else DOWN})


class LivenessView(_OpenProbe):
    """The process answers; nothing else is asked."""

    @extend_schema(responses={200: inline_serializer("Liveness", {"status": _status})})
    def get(self, request):
        return Response({"status": OK})
