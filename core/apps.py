from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app uses and that knows nothing of the domain."""

    name = "core"
    verbose_name = "Core"
