"""Production hardening on top of the environment-driven base settings."""

from .base import *  # noqa: F403
from .base import env, logging_config

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")  # required: no fallback in production
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# E-mails must not link to the development default: the first allowed host over HTTPS, unless set.
_public_host = next((host for host in ALLOWED_HOSTS if host not in ("*",) and not host.startswith(".")), None)
PUBLIC_BASE_URL = env.str(
    "PUBLIC_BASE_URL", default=f"https://{_public_host}" if _public_host else env.NOTSET
).rstrip("/")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# JSON lines for the log store unless told otherwise.
LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="json")
LOGGING = logging_config(json=LOG_FORMAT == "json", level=env.str("DJANGO_LOG_LEVEL", default="INFO"))
