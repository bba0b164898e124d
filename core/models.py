"""The one view over every change table (`core.changes`): what the admin browses and the API reads."""

import pghistory
import pghistory.models
from django.conf import settings
from django.db import models
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
