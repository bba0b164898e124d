"""Log lines an operator can search: one event per line, JSON in production and readable text in
development, each carrying the request id (and, in a Celery task, the id of the request that queued
it), the user id and the case id where there is one. Never a password, a token or a file's contents:
nothing logs a request's body, and a key that names a secret is masked wherever it appears.

django-structlog binds `request_id`, `user_id` and `ip` per request and carries them in the headers of
every task the request queues; `RequestLogContext` (core.middleware) adds the case id and the user
that the API's token authentication finds only inside the view."""

import logging
import re
from contextvars import ContextVar
from typing import Any

import structlog
from django.utils.functional import empty

# The request being answered, so that a line logged after the API authenticated its token names
# that user (django-structlog binds the user once, before the view runs).
current_request: ContextVar[Any] = ContextVar("current_request", default=None)

# A key that is, or ends in, one of these words (`password`, `auth_token`, `new_password1`); not a
# count of them (`tokens_removed`).
SECRET_KEY_PATTERN = re.compile(
    r"(^|_)(password\d?|passwd|token|secret|authorization|cookie|sessionid|session_key|csrftoken|api_key)$",
    re.I,
)
MASK = "[masked]"


def current_user_id() -> int | None:
    """The id of the request's user once known, without loading it (no query from a log line)."""
    request = current_request.get()
    if request is None:
        return None
    user = request.__dict__.get("user")
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if getattr(user, "is_authenticated", False) else None


def add_request_user(_logger, _method, event_dict: dict) -> dict:
    user_id = current_user_id()
    if user_id is not None:
        event_dict["user_id"] = user_id
    return event_dict


def _mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: MASK if is_secret_key(key) else _mask(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_mask(item) for item in value]
    return value


def is_secret_key(key: Any) -> bool:
    # Only keys are masked, never the event text.
    return isinstance(key, str) and key != "event" and bool(SECRET_KEY_PATTERN.search(key))


def mask_secrets(_logger, _method, event_dict: dict) -> dict:
    return _mask(event_dict)


# The same steps for structlog's own lines and for those of the standard library (Django, Celery).
SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    add_request_user,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    mask_secrets,
]


def json_formatter() -> logging.Formatter:
    return structlog.stdlib.ProcessorFormatter(
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
        foreign_pre_chain=SHARED_PROCESSORS,
    )


def console_formatter() -> logging.Formatter:
    return structlog.stdlib.ProcessorFormatter(
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            # A plain traceback: the fancy one prints each frame's locals, a password among them.
            structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback),
        ],
        foreign_pre_chain=SHARED_PROCESSORS,
    )


def logging_config(*, json: bool, level: str) -> dict:
    """The LOGGING setting: every line, Django's, Celery's and the product's, through one formatter."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED_PROCESSORS,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": "core.logs.json_formatter"},
            "console": {"()": "core.logs.console_formatter"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json" if json else "console"}
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # One line per request is django-structlog's (request_started / request_finished).
            "django.server": {"level": "WARNING"},
        },
    }


def bind_user_to_queued_task(*, context: dict, **_: Any) -> None:
    """A task queued after the API authenticated its token carries that user too."""
    user_id = current_user_id()
    if user_id is not None:
        context["user_id"] = user_id
