"""Settings for the test suite: a real PostgreSQL and a real Redis are required."""

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL, VAR_DIR, env

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError("The tests run on PostgreSQL: set DATABASE_URL (see README.md).")
if not REDIS_URL:
    raise RuntimeError("The tests run on Redis: set REDIS_URL (see README.md).")

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="test_commissioners")}
# The suite's replica is a test mirror of the test database (no test database of its own). Django
# gives a mirror its own connection, outside a test's transaction, so tests/conftest.py points the
# router's replica reads at default's connection: every view runs its replica path. The real
# replica (DATABASE_REPLICA_URL, bin/start-replica) serves only the tests marked `replica`, on a
# database of their own (tests/config/test_replica.py).
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
# Under pytest-xdist each worker has its own test database (pytest-django suffixes its name) and
# its own cache keys, so two workers' throttle counts and locks never meet.
_WORKER = env.str("PYTEST_XDIST_WORKER", default="")
if _WORKER:
    CACHES["default"]["KEY_PREFIX"] = f"{CACHES['default'].get('KEY_PREFIX', 'commissioners')}-{_WORKER}"  # noqa: F405
    METRICS_KEY_PREFIX = f"{METRICS_KEY_PREFIX}-{_WORKER}"  # noqa: F405

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files straight from the apps, so the suite needs no collectstatic.
STATIC_ROOT = VAR_DIR / "test-static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# 4xx answers are the point of many tests; keep their log lines out of the report.
LOGGING["loggers"] = {"django.request": {"level": "ERROR"}, "axes": {"level": "WARNING"}}  # noqa: F405

# The suite sends thousands of requests a minute from one address (the API fuzzing): the throttles'
# own test lowers these rates where it checks them.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {  # noqa: F405
    "anon": "1000000/minute",
    "user": "1000000/minute",
    "login": "1000000/minute",
}

# No worker runs for most tests: each health check would wait the whole ping for nothing. The tests of
# the health check with a real worker give it the production second (tests/core/test_health.py).
HEALTH_WORKER_TIMEOUT = env.float("HEALTH_WORKER_TIMEOUT", default=0.2)
