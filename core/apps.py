from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app uses and that knows nothing of the domain."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from celery.signals import beat_init, task_failure, task_postrun, task_prerun, task_success

        from core.changes import enter_task_context, leave_task_context

        task_prerun.connect(enter_task_context, weak=False)
        task_postrun.connect(leave_task_context, weak=False)

        from core.sweeps import register_scheduled_sweeps, sweep_failed, sweep_started, sweep_succeeded

        # Every job of the beat schedule records its runs (core.SweepRun) for the health check.
        task_prerun.connect(sweep_started, weak=False)
        task_success.connect(sweep_succeeded, weak=False)
        task_failure.connect(sweep_failed, weak=False)
        beat_init.connect(register_scheduled_sweeps, weak=False)

        from core.task_metrics import task_finished, task_started

        # Counts and durations of every task, for the Prometheus endpoint (core.task_metrics).
        task_prerun.connect(task_started, weak=False)
        task_postrun.connect(task_finished, weak=False)

        from django.db.backends.signals import connection_created

        from core.db_metrics import count_queries

        connection_created.connect(count_queries, weak=False)

        from django_structlog.celery.signals import modify_context_before_task_publish

        from core.logs import bind_user_to_queued_task

        modify_context_before_task_publish.connect(bind_user_to_queued_task, weak=False)

        from django_structlog.signals import bind_extra_request_finished_metadata

        from core.middleware import add_request_duration

        bind_extra_request_finished_metadata.connect(add_request_duration, weak=False)
