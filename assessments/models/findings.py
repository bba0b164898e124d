"""What an assessment leads to: tagged problems, its history, eligibility findings, and the
administrators' scoring weights and class thresholds."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from centres.models import GuidanceClass
from commissioners.models import Bureau
from core.changes import track_changes
from core.history import AppendOnlyModel, append_only_triggers
from policies.models import Measure

from .assessment import Assessment, Indicator


@track_changes()
class AssessmentProblem(models.Model):
    """A problem the centre met; tagged with a measure, it becomes a case of that measure on review."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="problems"
    )
    description = models.TextField(_("description"), max_length=20_000)
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    case = models.OneToOneField(
        Case,
        verbose_name=_("case logged from it"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessment_problem",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        db_table = "centres_assessmentproblem"
        ordering = ["assessment", "order", "id"]
        verbose_name = _("problem met")
        verbose_name_plural = _("problems met")

    def __str__(self) -> str:
        return self.description[:80]


class AssessmentEvent(AppendOnlyModel):
    """One line of an assessment's append-only history: who moved it, when, from which state, why."""

    subject_field = "assessment"

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(_("from state"), max_length=20, blank=True)
    to_state = models.CharField(_("to state"), max_length=20)
    note = models.TextField(_("note"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        db_table = "centres_assessmentevent"
        ordering = ["created_at", "id"]
        verbose_name = _("assessment history entry")
        verbose_name_plural = _("assessment history")
        triggers = append_only_triggers()

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.action}"


class FindingStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    ACTED_ON = "acted_on", _("acted on")


class FindingOutcome(models.TextChoices):
    """What became of an eligibility: recorded once, it closes the finding (政策落地)."""

    BRIEFED = "briefed", _("the centre was briefed")
    APPLIED = "applied", _("the centre applied")
    GRANTED = "granted", _("granted")
    NOT_INTERESTED = "not_interested", _("the centre is not interested")
    NOT_ELIGIBLE = "not_eligible", _("not eligible after all")


@track_changes()
class Finding(models.Model):
    """What a reviewed assessment tells a responsible bureau: an eligibility or a centre to attend to.

    Made by the rules in `assessments.eligibility`; the bureau acknowledges it or records what it did."""

    Status = FindingStatus
    Outcome = FindingOutcome

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.PROTECT, related_name="findings"
    )
    rule = models.CharField(_("rule"), max_length=60)
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="+"
    )
    bureau = models.ForeignKey(
        Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="findings"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    note = models.TextField(_("note"), max_length=20_000, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=FindingOutcome.choices, blank=True)
    follow_up_due_on = models.DateField(
        _("outcome due by"),
        null=True,
        blank=True,
        help_text=_("An eligibility's clock: its bureau is reminded if no outcome is recorded by then."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        db_table = "centres_finding"
        ordering = ["-created_at", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "rule", "bureau"], name="finding_once_per_rule_and_bureau"
            ),
            models.CheckConstraint(name="finding_status_valid", condition=Q(status__in=FindingStatus.values)),
            models.CheckConstraint(
                name="finding_outcome_valid", condition=Q(outcome__in=["", *FindingOutcome.values])
            ),
        ]
        indexes = [
            models.Index(fields=["bureau", "status", "-created_at"], name="finding_bureau_inbox"),
            # The clock's sweep reads the open ones by due day only.
            models.Index(fields=["follow_up_due_on"], name="finding_outcome_due", condition=Q(outcome="")),
        ]

    def __str__(self) -> str:
        return f"{self.rule} → {self.bureau_id}"


@track_changes()
class ScoringWeight(models.Model):
    """How much one indicator counts: weight * min(value ÷ full marks at, 1) points.

    Administrators change weights and full marks in the admin; with the defaults the
    weights add up to 100, so a score reads as points out of 100."""

    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices, unique=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    full_marks_at = models.DecimalField(
        _("full marks at"),
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(0.01)],
        help_text=_("The value at which the indicator earns its whole weight."),
    )

    class Meta:
        db_table = "centres_scoringweight"
        ordering = ["indicator"]
        verbose_name = _("scoring weight")
        verbose_name_plural = _("scoring weights")
        constraints = [
            models.CheckConstraint(name="scoring_weight_not_negative", condition=Q(weight__gte=0)),
            models.CheckConstraint(name="scoring_full_marks_positive", condition=Q(full_marks_at__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}: {self.weight}"


@track_changes()
class ClassThreshold(models.Model):
    """The lowest score of a guidance class; a score below every threshold needs attention."""

    guidance_class = models.CharField(
        _("guidance class"), max_length=30, choices=GuidanceClass.choices, unique=True
    )
    min_score = models.DecimalField(_("lowest score"), max_digits=5, decimal_places=1)

    class Meta:
        db_table = "centres_classthreshold"
        ordering = ["-min_score"]
        verbose_name = _("class threshold")
        verbose_name_plural = _("class thresholds")
        constraints = [
            models.CheckConstraint(
                name="class_threshold_scored_class",
                condition=Q(guidance_class__in=[GuidanceClass.LEADING, GuidanceClass.GROWING]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_guidance_class_display()} ≥ {self.min_score}"
