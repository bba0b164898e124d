"""A spreadsheet of centres uploaded for import: checked first, written once, kept as the record."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.changes import track_changes


class CentreImportState(models.TextChoices):
    CHECKED = "checked", _("checked, ready to import")
    REFUSED = "refused", _("refused: rows with errors")
    IMPORTED = "imported", _("imported")


@track_changes()
class CentreImport(models.Model):
    """One upload. The dry run stores the file and its report; importing re-reads the same bytes,
    checks them again against the registry as it is then, and writes every row or none."""

    State = CentreImportState

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="centre_imports",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file"), editable=False)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, editable=False)
    state = models.CharField(_("state"), max_length=20, choices=CentreImportState.choices)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    # {"errors": [{"row", "column", "message"}], "create": n, "update": n, "unchanged": n}, in the
    # uploader's language at the time of the check.
    report = models.JSONField(_("report"), default=dict)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("centre import")
        verbose_name_plural = _("centre imports")
        constraints = [
            models.CheckConstraint(
                name="centre_import_state_valid", condition=Q(state__in=CentreImportState.values)
            ),
            models.CheckConstraint(
                name="centre_import_imported_has_time",
                condition=Q(state="imported", imported_at__isnull=False) | ~Q(state="imported"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"
