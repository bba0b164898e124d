"""Defences every environment runs with: login lockout (django-axes), request throttles, CSRF on
session logins, a Content-Security-Policy on the pages. Imported by base.py."""

from datetime import timedelta

import environ

env = environ.Env()

# --- Failed logins (django-axes) -----------------------------------------------------------------
# Counted per user name and per address, on every way in (token, API session, dashboard, admin: all
# call `authenticate`); after AXES_FAILURE_LIMIT failures that name or address is locked out for
# AXES_COOLOFF_TIME, with a JSON answer for the API and a page for the pages, saying when to retry.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "commissioners.lockout.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
# The client's address (django-ipware): with no proxy in front, the connection's own; behind
# AXES_PROXY_COUNT proxies, the address the first of them appended to X-Forwarded-For. A header a
# client sent itself is never believed, or it could dodge the lockout by address.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
AXES_VERBOSE = False

# --- Throttles (DRF) ----------------------------------------------------------------------------
# Counted in the cache (Redis): a client past its rate gets a 429 saying when to retry. If Redis is
# down the counts are not kept and nobody is throttled; the lockout above is in the database.
THROTTLE_RATES = {
    "anon": env.str("THROTTLE_ANON", default="120/minute"),
    "user": env.str("THROTTLE_USER", default="3000/minute"),
    "login": env.str("THROTTLE_LOGIN", default="30/minute"),
}

# --- CSRF ---------------------------------------------------------------------------------------
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"

# --- Content-Security-Policy (django-csp) -------------------------------------------------------
# The pages load scripts, styles and fonts from the application alone (no CDN, no inline script).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
