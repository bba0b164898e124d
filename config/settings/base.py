"""Settings shared by every environment, read from the environment.

Defaults are safe for production (DEBUG off) and need no database or broker
server: SQLite and a filesystem broker under ``var/``. Setting DATABASE_URL and
REDIS_URL switches to PostgreSQL and Redis.
"""

import logging
from datetime import timedelta
from pathlib import Path

import environ
import pghistory
from django.utils.translation import gettext_lazy as _

from config.sentry import init_sentry
from core.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
env.read_env(BASE_DIR / ".env")
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

from .security import *  # noqa: E402, F403  (lockout, throttles, CSRF, CSP)
from .security import THROTTLE_RATES  # noqa: E402

# --- Core -------------------------------------------------------------------

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Only the local run command and the tests rely on this fallback; the
# production settings refuse to start without DJANGO_SECRET_KEY.
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY",
    default="local-only-key-3f9a0c1e7b5d4f2a8c6e0b9d7f1a3c5e-not-for-production",
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Before the admin: its object tools link each tracked row to its changes.
    "pghistory.admin",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "django_countries",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "axes",
    "pgtrigger",
    "pghistory",
    "django_htmx",
    "django_structlog",
    "django_prometheus",
    # The project's apps, bottom layer first: each may import only those above it in this list
    # (docs/architecture.md; import-linter checks it).
    "core",
    "commissioners",
    "policies",
    "centres",
    "cases",
    "assessments",
    "landing",
    "dashboards",
    "fieldwork",
    "demo",
]

MIDDLEWARE = [
    # First and last: request rates and latencies per view for /metrics (django-prometheus).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every log line of a request carries its id, its user and its case (core.logs).
    "core.middleware.RequestLog",
    "core.middleware.RequestLogContext",
    # Which reads may come from the replica, and each user's last write (core.replica).
    "core.replica.ReplicaReads",
    # Every write of a request is recorded with its user and address (core.changes); the API's
    # token user too, once the view has authenticated it.
    "core.middleware.ChangeContext",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.NoStoreForAuthenticatedAPI",
    # Last but the metrics: it turns a locked-out login's answer into the lockout answer.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "commissioners.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The header every page shows: the user's start page, menu and unread notifications.
                "commissioners.pages.header",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default has no covering indexes; PostgreSQL, where they matter, has them.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Random reads cost about as much as sequential ones on SSDs; PostgreSQL's default (4)
    # assumes spinning disks and steers the planner away from index lookups.
    _page_cost = env.float("DATABASE_RANDOM_PAGE_COST", default=1.1)
    # JIT compiling pays off for long reports, not for requests that must answer in milliseconds:
    # a query the planner deems expensive can spend longer in LLVM than it would take to run
    # (a wide CASE expression over a large table compiled for minutes here).
    _jit = "on" if env.bool("DATABASE_JIT", default=False) else "off"
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c random_page_cost={_page_cost} -c jit={_jit}"
    )
    # The statements the API sends on every request (`core.compiled`: a case's detail, the lock of
    # a move, a list's page, the token lookup) are prepared on the server the first time a
    # connection sends them, and planned once; every other query is sent as text (Django's
    # client-side binding never prepares). Off (DATABASE_PREPARED_STATEMENTS=false) behind a pooler
    # that hands a session's statements to another session (PgBouncer's transaction pooling before
    # 1.21).
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 0

# A PostgreSQL streaming replica for the dashboards' and lists' reads (core.replica): unset, every
# query goes to the primary. Same options as the primary; the replica is read-only by nature.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **DATABASES["default"],
        **{key: value for key, value in env.db_url_config(DATABASE_REPLICA_URL).items() if key != "OPTIONS"},
    }
DATABASE_ROUTERS = ["core.replica.PrimaryReplicaRouter"]
# The GET views whose reads may come from the replica: the dashboards and the lists (view names).
REPLICA_READ_VIEWS = frozenset(
    {
        "dashboard-index",
        "dashboard-cases",
        "dashboard-rankings",
        "dashboard-fairness",
        "dashboard-rankings-published",
        "dashboard-ranking-cases",
        "dashboard-contacts",
        "dashboard-assessments",
        "dashboard-export-csv",
        "dashboard-export-xlsx",
        "dashboard:home",
        "dashboard:cases",
        "dashboard:ranking-cases",
        "case-list",
        "centre-list",
        "assessment-list",
        "finding-list",
        "briefing-list",
        "benefit-list",
        "landing-funnel",
        "briefing-coverage",
        "briefing-coverage-csv",
        "work:cases",
    }
)
# Beyond this lag every request reads the primary; the replica is looked at this often per process.
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=30.0)
REPLICA_CHECK_SECONDS = env.float("REPLICA_CHECK_SECONDS", default=5.0)
# How long a user's last write is remembered for reading it back (longer than any tolerated lag).
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=3600)

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis, for its socket timeouts and for carrying on when Redis is down: the cache
            # only holds throttle counts, which are lost, not fatal.
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="commissioners"),
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": env.float("CELERY_BROKER_TIMEOUT", default=1.0),
                "SOCKET_TIMEOUT": env.float("CELERY_BROKER_TIMEOUT", default=1.0),
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The change history (core.changes): each change row carries its context (who, from where, why)
# itself, so that every change table is append-only without a shared context row to update.
PGHISTORY_CONTEXT_FIELD = pghistory.ContextJSONField()
PGHISTORY_CONTEXT_ID_FIELD = pghistory.ContextUUIDField()
PGHISTORY_APPEND_ONLY = True
# Only requests that write open a context: a read keeps its queries free of the context's wrapper.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
PGHISTORY_ADMIN_MODEL = "core.ChangeRecord"
PGHISTORY_ADMIN_CLASS = "core.admin.ChangeHistoryAdmin"
# The history of everything is read by a filter (a table, an object, a user, a day), not whole.
PGHISTORY_ADMIN_ALL_EVENTS = False
PGHISTORY_ADMIN_LIST_DISPLAY = [
    "pgh_created_at",
    "pgh_label",
    "pgh_obj_model",
    "pgh_obj_id",
    "pgh_diff",
    "user",
    "reason",
    "task",
    "url",
]

# --- Authentication ---------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# API tokens are stored hashed and expire; 0 hours means they never expire.
_token_ttl_hours = env.int("API_TOKEN_TTL_HOURS", default=24 * 30)
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=_token_ttl_hours) if _token_ttl_hours else None,
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": True,
}

# One login for the workbench, the dashboards and the admin; each user then lands on their own start page.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = env.str("DJANGO_LANGUAGE_CODE", default="zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# Front-end libraries come from the npm registry (package-lock.json, `npm ci`) and are served by the
# application itself: the deployment network may be closed, so no page loads anything from a CDN.
_VENDOR = {
    "vendor/chartjs": BASE_DIR / "node_modules" / "chart.js" / "dist",
    "vendor/htmx": BASE_DIR / "node_modules" / "htmx.org" / "dist",
}
STATICFILES_DIRS = [(prefix, path) for prefix, path in _VENDOR.items() if path.is_dir()]
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- REST API ---------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # knox's, in one query a request (see the class).
        "commissioners.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: every view names the roles it admits.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "core.filters.StrictFilterBackend",
        "rest_framework.filters.SearchFilter",
        "core.filters.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.StandardPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.parsers.StrictJSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.parsers.SizeBeforeTypeNegotiation",
    "DEFAULT_SCHEMA_CLASS": "core.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": THROTTLE_RATES,
    "UNAUTHENTICATED_USER": None,
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "core.errors.DomainExceptionHandler",
    "ERROR_SCHEMAS": {"413": "core.openapi.ErrorResponse413Serializer"},
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    "ALLOWED_ERROR_STATUS_CODES": [
        "400",
        "401",
        "403",
        "404",
        "405",
        "406",
        "413",
        "415",
        "429",
        "500",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Service Commissioners API",
    "DESCRIPTION": ("Case management for Shanghai's service commissioners for foreign-invested R&D centres."),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CentreStatusEnum": "centres.models.CentreStatus.choices",
        # The centres and the benefits imports share their states (checked, refused, imported).
        "ImportStateEnum": "centres.models.CentreImportState.choices",
        "AssessmentStateEnum": "assessments.models.AssessmentState.choices",
        "CaseStateEnum": "cases.models.case.CaseState.choices",
        "PolicyIssueStateEnum": "cases.models.policy_issue.PolicyIssueState.choices",
        "CaseMoveEnum": "cases.rules.MOVE_NAMES",
        "PolicyIssueMoveEnum": "cases.rules.ISSUE_MOVE_NAMES",
        "AnswerOutcomeEnum": "cases.models.case.AnswerOutcome.choices",
        # What a bureau answers with (a referral's outcome is recorded by the city).
        "BureauAnswerOutcomeEnum": "cases.models.case.BUREAU_ANSWER_OUTCOMES",
        "SatisfactionEnum": "cases.models.case.Satisfaction.choices",
        "NotificationKindEnum": "commissioners.models.NotificationKind.choices",
        "HealthCheckEnum": ["ok", "down", "not_configured"],
        "HealthStatusEnum": ["ok", "down"],
        "ValidationErrorEnum": "drf_standardized_errors.openapi_serializers.ValidationErrorEnum.choices",
        "ClientErrorEnum": "drf_standardized_errors.openapi_serializers.ClientErrorEnum.choices",
        "ServerErrorEnum": "drf_standardized_errors.openapi_serializers.ServerErrorEnum.choices",
        "ErrorCode401Enum": "drf_standardized_errors.openapi_serializers.ErrorCode401Enum.choices",
        "ErrorCode403Enum": "drf_standardized_errors.openapi_serializers.ErrorCode403Enum.choices",
        "ErrorCode404Enum": "drf_standardized_errors.openapi_serializers.ErrorCode404Enum.choices",
        "ErrorCode405Enum": "drf_standardized_errors.openapi_serializers.ErrorCode405Enum.choices",
        "ErrorCode406Enum": "drf_standardized_errors.openapi_serializers.ErrorCode406Enum.choices",
        "ErrorCode415Enum": "drf_standardized_errors.openapi_serializers.ErrorCode415Enum.choices",
        "ErrorCode429Enum": "drf_standardized_errors.openapi_serializers.ErrorCode429Enum.choices",
        "ErrorCode500Enum": "drf_standardized_errors.openapi_serializers.ErrorCode500Enum.choices",
    },
    "POSTPROCESSING_HOOKS": ["drf_standardized_errors.openapi_hooks.postprocess_schema_enums"],
}

# --- Celery -----------------------------------------------------------------

# A dead or hung broker costs a request about this many seconds, never more: every socket to it
# connects, reads and writes within it, and a publish is not retried (the sweeps catch up).
BROKER_TIMEOUT = env.float("CELERY_BROKER_TIMEOUT", default=1.0)
if REDIS_URL:
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 60 * 60,
        "socket_timeout": BROKER_TIMEOUT,
        "socket_connect_timeout": BROKER_TIMEOUT,
    }
else:
    # No broker server needed: messages are files under var/broker.
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Its exchange bindings too (kombu's default is ./control, in the project's own tree).
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that queues work must not hang when the broker is down: give up at once, the sweeps
# find the work from the database (see core/queue.py).
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT
CELERY_TASK_PUBLISH_RETRY = False
# The health check's ping: a worker that does not answer within this many seconds counts as down.
HEALTH_WORKER_TIMEOUT = env.float("HEALTH_WORKER_TIMEOUT", default=1.0)

# --- Scheduling ---------------------------------------------------------------
# What the sweeps chase (issue: scheduling). Contact intervals per guidance class are
# in the database (admin: contact intervals); these are deployment-wide defaults.
SCHEDULING = {
    # Working days the district commissioner has to call the centre back after an answer.
    "CALLBACK_WORKING_DAYS": env.int("CALLBACK_WORKING_DAYS", default=3),
    # Working days after a missed call-back's reminder before it is reported to the city.
    "CALLBACK_REPORT_AFTER_WORKING_DAYS": env.int("CALLBACK_REPORT_AFTER_WORKING_DAYS", default=2),
    # Tries that could not reach the centre before a call-back is reported to the city commissioners.
    "CALLBACK_UNREACHABLE_TRIES": env.int("CALLBACK_UNREACHABLE_TRIES", default=3),
    # Bureaus are reminded this many working days before an acceptance or answer deadline.
    "REMIND_WORKING_DAYS_BEFORE": env.int("REMIND_WORKING_DAYS_BEFORE", default=1),
    # A routine-contact follow-up opens this many days before the contact falls due.
    "CONTACT_FOLLOW_UP_LEAD_DAYS": env.int("CONTACT_FOLLOW_UP_LEAD_DAYS", default=7),
    # Commissioners are reminded of unsubmitted assessments this many days before the cycle's due date.
    "ASSESSMENT_REMIND_DAYS_BEFORE": env.int("ASSESSMENT_REMIND_DAYS_BEFORE", default=7),
    # Working days an eligibility finding's bureau has to record what became of it.
    "FINDING_OUTCOME_WORKING_DAYS": env.int("FINDING_OUTCOME_WORKING_DAYS", default=20),
}

# --- Mail -------------------------------------------------------------------

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="commissioners@localhost")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
# The address people open the workbench at: every e-mail about a case links to its page there.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Logging ----------------------------------------------------------------

# One event per line (core.logs): "json" for the log store in production, "console" to read.
LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="console")
LOGGING = logging_config(json=LOG_FORMAT == "json", level=env.str("DJANGO_LOG_LEVEL", default="INFO"))
# One line per request at INFO, when it is answered (with its user, its code and its duration);
# DEBUG adds a line when each request arrives.
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = logging.DEBUG
# The request id travels with every task the request queues, and into the task's lines.
DJANGO_STRUCTLOG_CELERY_ENABLED = True
# Behind a proxy that sets X-Request-ID, its id is kept so that both logs tell the same request.
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = env.bool("DJANGO_TRUST_REQUEST_ID_HEADER", default=False)

# --- Operations -------------------------------------------------------------------

# /metrics (config/metrics.py): the scraper sends `Authorization: Bearer <METRICS_TOKEN>`; unset, only
# a staff user's session may read it.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# The Celery task figures are kept in Redis, under this prefix, for every process to read.
METRICS_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default="commissioners") + ":metrics"
# django-prometheus: no export server of its own; /metrics is the one, and it is protected.
PROMETHEUS_EXPORT_MIGRATIONS = False

# Errors go to Sentry when SENTRY_DSN is set (config/sentry.py); nothing is sent otherwise.
SENTRY_ENABLED = init_sentry(env)

# --- Housekeeping ---------------------------------------------------------------

# What the nightly clean-up (commissioners/housekeeping.py) keeps; sessions, tokens and idempotency
# keys go when they expire.
HOUSEKEEPING = {
    "NOTIFICATIONS_READ_KEPT_DAYS": env.int("NOTIFICATIONS_READ_KEPT_DAYS", default=180),
}

# --- Cases ------------------------------------------------------------------

CASE_ATTACHMENT_MAX_BYTES = env.int("CASE_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# How the outbox sends (commissioners/mail.py).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
EMAIL_DELIVERY = {
    # E-mails one run of the sender sends at most; the rest wait for the next run (every 5 minutes).
    "BATCH": env.int("EMAIL_BATCH", default=500),
    # A sender has this long to send a message it claimed; after that another may send it.
    "CLAIM_SECONDS": env.int("EMAIL_CLAIM_SECONDS", default=10 * 60),
    # Attempts before an e-mail is given up (an address refused for good is given up at once).
    "MAX_ATTEMPTS": env.int("EMAIL_MAX_ATTEMPTS", default=5),
    # The wait after the first failure; each further failure waits four times as long.
    "RETRY_AFTER_SECONDS": env.int("EMAIL_RETRY_AFTER_SECONDS", default=60),
}
