"""Error reporting to Sentry, on only when SENTRY_DSN is set: unhandled errors of the web, the worker
and the beat, and ERROR log lines. Nothing personal is sent: no user data, cookies or request bodies
(passwords, attachments), and no frame's local variables unless SENTRY_LOCAL_VARIABLES says so."""

import environ


def init_sentry(env: environ.Env) -> bool:
    dsn = env.str("SENTRY_DSN", default="")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default="") or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=env.bool("SENTRY_LOCAL_VARIABLES", default=False),
    )
    return True
