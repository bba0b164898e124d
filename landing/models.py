"""Policy landing (measure 9: 加强政策宣讲，推动各项支持政策落地见效): which centres were told of which
measure (briefings and the campaigns that aim them), and which measures a centre has actually
applied for and received (benefits)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.models import Case
from centres.models import Centre, CentreType
from commissioners.models import Bureau, District
from core.changes import track_changes, track_links
from policies.models import Measure


class BriefingFormat(models.TextChoices):
    VISIT = "visit", _("visit")
    MEETING = "meeting", _("meeting")
    SEMINAR = "seminar", _("seminar")
    ONLINE = "online", _("online")


@track_changes()
class Briefing(models.Model):
    """A policy briefing (政策宣讲) given to one or many centres at once, by a commissioner or a bureau."""

    Format = BriefingFormat

    held_on = models.DateField(_("held on"))
    format = models.CharField(_("format"), max_length=20, choices=BriefingFormat.choices)
    title = models.CharField(pgettext_lazy("of a briefing", "title"), max_length=200)
    measures = models.ManyToManyField(Measure, verbose_name=_("measures covered"), related_name="briefings")
    centres = models.ManyToManyField(
        Centre, verbose_name=_("centres that attended"), related_name="briefings"
    )
    notes = models.TextField(_("notes"), max_length=20_000, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="briefings_given",
    )
    bureau = models.ForeignKey(
        Bureau,
        verbose_name=_("bureau that gave it"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="briefings",
        help_text=_("Set when bureau staff record the briefing their bureau gave."),
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district that organised it"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="briefings",
        help_text=_("Set when a district commissioner records it; empty for the city's and the bureaus'."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        constraints = [
            models.CheckConstraint(
                name="briefing_format_valid", condition=Q(format__in=BriefingFormat.values)
            ),
        ]
        indexes = [models.Index(fields=["-held_on", "-id"], name="briefing_newest_first")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


track_links(Briefing.measures.through, app_label="landing", name="BriefingMeasureChange")
track_links(Briefing.centres.through, app_label="landing", name="BriefingCentreChange")


@track_changes()
class BriefingMaterial(models.Model):
    """A document handed out at a briefing (slides, a policy leaflet)."""

    briefing = models.ForeignKey(
        Briefing, verbose_name=_("briefing"), on_delete=models.CASCADE, related_name="materials"
    )
    file = models.FileField(_("file"), upload_to="briefings/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("briefing material")
        verbose_name_plural = _("briefing materials")

    def __str__(self) -> str:
        return self.original_name


@track_changes()
class BriefingQuestion(models.Model):
    """A question a centre raised at a briefing; a district commissioner may log it as a case."""

    briefing = models.ForeignKey(
        Briefing, verbose_name=_("briefing"), on_delete=models.CASCADE, related_name="questions"
    )
    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="briefing_questions"
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    question = models.TextField(_("question"), max_length=20_000)
    case = models.OneToOneField(
        Case,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="briefing_question",
        help_text=_("The case the question was logged as, once it was."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("briefing question")
        verbose_name_plural = _("briefing questions")

    def __str__(self) -> str:
        return self.question[:80]


@track_changes()
class BriefingCampaign(models.Model):
    """A goal set by the city: every centre of a kind (or every active centre) briefed on a measure
    by a date, e.g. "every global R&D centre briefed on measure 8 by June"."""

    title = models.CharField(_("title"), max_length=200)
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="briefing_campaigns"
    )
    centre_type = models.CharField(
        _("centres aimed at"),
        max_length=30,
        choices=CentreType.choices,
        blank=True,
        help_text=_("Empty: every active centre."),
    )
    starts_on = models.DateField(_("counts briefings from"))
    due_on = models.DateField(_("briefed by"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("briefing campaign")
        verbose_name_plural = _("briefing campaigns")
        constraints = [
            models.CheckConstraint(
                name="campaign_ends_after_it_starts", condition=Q(due_on__gte=models.F("starts_on"))
            ),
            models.CheckConstraint(
                name="campaign_centre_type_valid", condition=Q(centre_type__in=["", *CentreType.values])
            ),
        ]

    def __str__(self) -> str:
        return self.title


class BenefitStatus(models.TextChoices):
    CONSIDERING = "considering", _("considering")
    APPLIED = "applied", _("applied")
    GRANTED = "granted", _("granted")
    REFUSED = "refused", _("refused")


@track_changes()
class Benefit(models.Model):
    """What a centre applied for or received under a measure (政策落地): one application, from
    considering it to the bureau's decision."""

    Status = BenefitStatus

    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="benefits"
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="benefits"
    )
    title = models.CharField(
        _("what was applied for"),
        max_length=200,
        help_text=_("The subsidy, permit or facility, as the bureau names it."),
    )
    status = models.CharField(_("status"), max_length=20, choices=BenefitStatus.choices)
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    decided_on = models.DateField(_("granted or refused on"), null=True, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    quantity = models.PositiveIntegerField(
        _("quantity"), null=True, blank=True, help_text=_("Where it is counted, not paid: permits, places.")
    )
    granting_bureau = models.ForeignKey(
        Bureau,
        verbose_name=_("granting bureau"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="benefits_granted",
    )
    note = models.TextField(_("note"), max_length=20_000, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        constraints = [
            models.CheckConstraint(name="benefit_status_valid", condition=Q(status__in=BenefitStatus.values)),
            models.CheckConstraint(
                name="benefit_amount_not_negative", condition=Q(amount__gte=0) | Q(amount__isnull=True)
            ),
            models.CheckConstraint(
                name="benefit_decided_after_applied",
                condition=Q(applied_on__isnull=True)
                | Q(decided_on__isnull=True)
                | Q(decided_on__gte=models.F("applied_on")),
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "measure"], name="benefit_of_centre"),
            models.Index(fields=["measure", "status"], name="benefit_funnel"),
        ]

    def __str__(self) -> str:
        return self.title


class BenefitImportState(models.TextChoices):
    CHECKED = "checked", _("checked, ready to import")
    REFUSED = "refused", _("refused: rows with errors")
    IMPORTED = "imported", _("imported")


# The file itself is not copied into the change table: it never changes once uploaded, and its
# SHA-256 (tracked) names it.
@track_changes(exclude=["content"])
class BenefitImport(models.Model):
    """One spreadsheet of benefits uploaded (by a bureau's staff or the city). The dry run stores
    the file and its report; importing re-reads the same bytes, checks them again against the
    benefits as they are then, and writes every row or none."""

    State = BenefitImportState

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="benefit_imports",
    )
    # The uploader's bureau at the time (bureau staff): whose staff see the import.
    bureau = models.ForeignKey(
        Bureau,
        verbose_name=_("bureau"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="benefit_imports",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file"), editable=False)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, editable=False)
    state = models.CharField(_("state"), max_length=20, choices=BenefitImportState.choices)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    # {"errors": [{"row", "column", "message"}], "create": n, "update": n, "unchanged": n,
    # "language": ..., "plan": digest}, in the uploader's language at the time of the check.
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
        verbose_name = _("benefit import")
        verbose_name_plural = _("benefit imports")
        constraints = [
            models.CheckConstraint(
                name="benefit_import_state_valid", condition=Q(state__in=BenefitImportState.values)
            ),
            models.CheckConstraint(
                name="benefit_import_imported_has_time",
                condition=Q(state="imported", imported_at__isnull=False) | ~Q(state="imported"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"
