"""Reads of the dashboards and lists from a PostgreSQL streaming replica, every other query from
the primary, and a user's own writes always visible to that user.

When settings.DATABASES has a "replica" alias (DATABASE_REPLICA_URL), `ReplicaReads` marks the GET
requests of the views named in settings.REPLICA_READ_VIEWS as replica readers and `PrimaryReplicaRouter`
sends their ORM reads to the replica, except:

- until the request's user is known: logging in and finding the user read the primary, so a token
  or session made a moment ago is always found;
- once the request has written anything: the rest of it reads the primary (its own writes);
- when this user wrote, in an earlier request, something the replica has not replayed yet: every
  writing request of a user records the primary's WAL position, and a later request reads the
  replica only once the replica has replayed past that position (then the record is dropped);
- when the replica is down or behind by more than REPLICA_MAX_LAG_SECONDS: everyone reads the
  primary until it is back (checked at most every REPLICA_CHECK_SECONDS per process).

Another user's list may therefore show, for as long as the replica lags (under a second in normal
operation, at most REPLICA_MAX_LAG_SECONDS), the state before a write: docs/deployment.md. Celery
tasks and management commands always use the primary."""

import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest
from django.utils.functional import empty

logger = logging.getLogger(__name__)

REPLICA = "replica"
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass
class _Reads:
    request: HttpRequest
    eligible: bool = False
    decided: str | None = None
    wrote: bool = False
    deciding: bool = False


_reads: ContextVar[_Reads | None] = ContextVar("replica_reads", default=None)
# This process's last look at the replica: (monotonic time, healthy, a standby). A server that is not
# a standby (the primary itself, or a replica promoted by a failover) holds every write at once.
_health: tuple[float, bool, bool] = (float("-inf"), False, False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _pin_key(user_id: int) -> str:
    return f"replica-pin:{user_id}"


def _look_at_replica() -> tuple[bool, bool]:
    """Whether the replica answers and lags less than the limit, and whether it is a standby.
    Cached per process: at most one look every REPLICA_CHECK_SECONDS."""
    global _health
    checked_at, healthy, standby = _health
    if time.monotonic() - checked_at < settings.REPLICA_CHECK_SECONDS:
        return healthy, standby
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(), CASE WHEN NOT pg_is_in_recovery() "
                "OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
                "ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END"
            )
            standby, lag = cursor.fetchone()
        healthy = float(lag or 0) <= settings.REPLICA_MAX_LAG_SECONDS
        if not healthy:
            logger.warning("The replica lags %.1f s: reads go to the primary.", float(lag))
    except DatabaseError:
        logger.warning("The replica does not answer: reads go to the primary.", exc_info=True)
        connections[REPLICA].close()
        healthy = standby = False
    _health = (time.monotonic(), healthy, bool(standby))
    return healthy, bool(standby)


def _replayed(position: str) -> bool:
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position])
            return bool(cursor.fetchone()[0])
    except DatabaseError:
        connections[REPLICA].close()
        return False


def _decide(state: _Reads) -> str | None:
    """The alias for this request's reads once its user is known; None while it is not."""
    user = getattr(state.request, "user", None)
    if user is None:
        return None
    if getattr(user, "_wrapped", None) is empty:
        # The session's user, not looked up yet: looked up now, on the primary.
        state.deciding = True
        try:
            user.is_authenticated  # noqa: B018 (evaluates the lazy user)
        finally:
            state.deciding = False
    if not user.is_authenticated:
        # An API request authenticates its token inside the view: the user is known later.
        return None
    healthy, standby = _look_at_replica()
    if not healthy:
        return DEFAULT_DB_ALIAS
    position = cache.get(_pin_key(user.pk)) if standby else None
    if position is not None:
        if not _replayed(position):
            return DEFAULT_DB_ALIAS
        cache.delete(_pin_key(user.pk))
    return REPLICA


def _read_alias() -> str | None:
    state = _reads.get()
    if state is None or not state.eligible or state.wrote or state.deciding:
        return None
    if state.decided is None:
        state.decided = _decide(state)
    return state.decided


def read_connection():
    """The connection for a read in SQL (a summary table's figures): the replica where the router
    would send this request's ORM reads, else the primary."""
    return connections[_read_alias() or DEFAULT_DB_ALIAS]


class PrimaryReplicaRouter:
    """Writes and migrations to the primary; reads as `ReplicaReads` decided (see the module)."""

    def db_for_read(self, model, **hints):
        return _read_alias()

    def db_for_write(self, model, **hints):
        state = _reads.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's very rows: an object read from either relates to both.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaReads:
    """Marks the reading requests of REPLICA_READ_VIEWS for the router, and records, after each
    writing request of a signed-in user, where the primary's WAL stood (the user's pin)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        state = _Reads(request=request)
        token = _reads.set(state)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if request.method not in _SAFE_METHODS or state.wrote:
            self._pin(request)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _reads.get()
        if state is None:
            return None
        match = request.resolver_match
        state.eligible = (
            request.method in _SAFE_METHODS
            and match is not None
            and match.view_name in settings.REPLICA_READ_VIEWS
        )
        return None

    @staticmethod
    def _pin(request) -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not _look_at_replica()[1]:
            return
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            position = cursor.fetchone()[0]
        cache.set(_pin_key(user.pk), position, timeout=settings.REPLICA_PIN_SECONDS)
