"""The one view over every change table (`core.changes`): what the admin browses and the API reads."""

import pghistory
import pghistory.models
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChangeRecord(pghistory.models.Events):
    """One change of one row of any tracked table, with its old and new values (`pgh_diff`) and
    who made it, from where and why (`pgh_context`)."""

    user = pghistory.ProxyField(
        "pgh_context__user",
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            on_delete=models.DO_NOTHING,
            null=True,
            db_constraint=False,
            verbose_name=_("user"),
            related_name="+",
        ),
    )
    url = pghistory.ProxyField("pgh_context__url", models.TextField(_("address"), null=True))
    reason = pghistory.ProxyField("pgh_context__reason", models.TextField(_("reason"), null=True))
    task = pghistory.ProxyField("pgh_context__task", models.TextField(_("task or command"), null=True))

    class Meta:
        proxy = True
        verbose_name = _("change")
        verbose_name_plural = _("change history")


class SweepRun(models.Model):
    """When a periodic job of the beat schedule last started, succeeded and failed: what the health
    check reads to tell a stopped beat or a failing sweep (`core.sweeps`)."""

    task = models.CharField(_("task"), max_length=200, unique=True)
    # When a beat first had the job in its schedule: a job that has not run yet is late only once
    # twice its period has passed since then.
    scheduled_since = models.DateTimeField(_("scheduled since"), default=timezone.now)
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    last_succeeded_at = models.DateTimeField(_("last succeeded at"), null=True, blank=True)
    last_failed_at = models.DateTimeField(_("last failed at"), null=True, blank=True)
    # The exception's kind and first words, for the operator; never its traceback's values.
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    last_duration_seconds = models.FloatField(_("last duration (seconds)"), null=True, blank=True)

    class Meta:
        ordering = ["task"]
        verbose_name = _("sweep run")
        verbose_name_plural = _("sweep runs")

    def __str__(self) -> str:
        return self.task
