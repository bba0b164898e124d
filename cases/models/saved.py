"""A user's named searches over the cases: the workbench's saved views."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SavedCaseView(models.Model):
    """A case search a user named to open again: the list page's query string, as the API's filters."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="saved_case_views",
        db_index=False,  # the unique (owner, name) index starts with it
    )
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved case view")
        verbose_name_plural = _("saved case views")
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_case_view_unique_name")]

    def __str__(self) -> str:
        return self.name
