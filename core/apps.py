from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app uses and that knows nothing of the domain."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from celery.signals import task_postrun, task_prerun

        from core.changes import enter_task_context, leave_task_context

        task_prerun.connect(enter_task_context, weak=False)
        task_postrun.connect(leave_task_context, weak=False)
