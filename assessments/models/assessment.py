"""Periodic development assessments (发展情况评估), the scoring that classifies centres for
guidance (分类指导), and the findings an assessment routes to the responsible bureaus."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from centres.models import Centre, GuidanceClass
from commissioners.models import District
from core.changes import track_changes


@track_changes()
class AssessmentCycle(models.Model):
    """One round of assessments, e.g. "2026 annual": the period it covers, when it opens, when it is due.

    A beat job opens it on its opening day (one assessment per active centre); an
    administrator closes it when the round is over, after which nothing is reviewed."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    opens_on = models.DateField(_("opens on"))
    due_on = models.DateField(_("due on"))
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        db_table = "centres_assessmentcycle"
        ordering = ["-period_end", "name"]
        verbose_name = _("assessment cycle")
        verbose_name_plural = _("assessment cycles")
        constraints = [
            models.CheckConstraint(
                name="cycle_period_ordered", condition=Q(period_end__gte=F("period_start"))
            ),
            models.CheckConstraint(name="cycle_due_after_opening", condition=Q(due_on__gte=F("opens_on"))),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class AssessmentState(models.TextChoices):
    OPEN = "open", _("to fill in")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned for correction")
    REVIEWED = "reviewed", _("reviewed")


# The commissioner enters (edits) an assessment in these states, and submits it from them.
ENTERABLE_STATES = frozenset({AssessmentState.OPEN, AssessmentState.RETURNED})


class Indicator(models.TextChoices):
    """The figures the scoring weighs; each is read from the assessment (`Assessment.indicator_values`)."""

    FULL_TIME_RD_STAFF = "full_time_rd_staff", _("full-time R&D staff")
    RD_STAFF_SHARE = "rd_staff_share", _("share of full-time R&D staff in total staff (%)")
    RD_SPENDING_CNY = "rd_spending_cny", _("R&D spending (CNY)")
    PATENTS_FILED = "patents_filed", _("patents filed")
    PATENTS_GRANTED = "patents_granted", _("patents granted")
    JOINT_PROJECTS = "joint_projects", _("joint projects with local universities, institutes and firms")
    STARTUPS_INCUBATED = "startups_incubated", _("start-ups incubated")
    FOREIGN_EXPERTS = "foreign_experts", _("foreign experts employed")


def _count(verbose_name: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(verbose_name, null=True, blank=True)


# The numbers the district commissioner enters for the period (the fields below).
INDICATOR_FIELDS = (
    "full_time_rd_staff",
    "total_staff",
    "rd_spending_cny",
    "patents_filed",
    "patents_granted",
    "joint_projects_universities",
    "joint_projects_institutes",
    "joint_projects_firms",
    "startups_incubated",
    "foreign_experts",
)
TEXT_FIELDS = ("problems_met", "centre_view_of_service")
EDITABLE_FIELDS = (*INDICATOR_FIELDS, *TEXT_FIELDS)
# Each indicator is required before submitting.
REQUIRED_TO_SUBMIT_FIELDS = (*INDICATOR_FIELDS, "centre_view_of_service")
FIGURE_FIELDS = (
    "cases_logged",
    "cases_answered",
    "cases_answered_on_time",
    "cases_resolved",
    "callbacks",
    "callbacks_satisfied",
    "contacts_made",
)


@track_changes()
class Assessment(FSMModelMixin, models.Model):
    """One centre's development over a cycle's period, entered by its district commissioner
    and reviewed by a city commissioner. Moves go through `assessments.services` only."""

    State = AssessmentState

    cycle = models.ForeignKey(
        AssessmentCycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="assessments"
    )
    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="assessments"
    )
    # Copied from the centre when the cycle opens, so scoping by district needs no join.
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="assessments"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("district commissioner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    # Moved only by the transitions below (through `assessments.services`): assigning it is an error.
    state = FSMField(
        _("state"),
        max_length=20,
        choices=AssessmentState.choices,
        default=AssessmentState.OPEN,
        protected=True,
    )

    # What the district commissioner enters for the period.
    full_time_rd_staff = _count(_("full-time R&D staff"))
    total_staff = _count(_("total staff"))
    rd_spending_cny = models.DecimalField(
        _("R&D spending (CNY)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    patents_filed = _count(_("patents filed"))
    patents_granted = _count(_("patents granted"))
    joint_projects_universities = _count(_("joint projects with local universities"))
    joint_projects_institutes = _count(_("joint projects with local research institutes"))
    joint_projects_firms = _count(_("joint projects with local firms"))
    startups_incubated = _count(_("start-ups incubated"))
    foreign_experts = _count(_("foreign experts employed"))
    problems_met = models.TextField(_("problems met"), max_length=20_000, blank=True)
    centre_view_of_service = models.TextField(
        _("the centre's view of the service"), max_length=20_000, blank=True
    )

    # What the system already knows for the period, filled in when the cycle opens and on submission.
    cases_logged = models.PositiveIntegerField(_("cases logged"), default=0)
    cases_answered = models.PositiveIntegerField(_("cases answered"), default=0)
    cases_answered_on_time = models.PositiveIntegerField(_("cases answered within deadline"), default=0)
    cases_resolved = models.PositiveIntegerField(_("cases confirmed resolved"), default=0)
    callbacks = models.PositiveIntegerField(_("call-backs"), default=0)
    callbacks_satisfied = models.PositiveIntegerField(
        _("call-backs satisfied or basically satisfied"), default=0
    )
    contacts_made = models.PositiveIntegerField(_("contacts made"), default=0)
    figures_computed_at = models.DateTimeField(_("figures computed at"), null=True, blank=True)

    # The scoring's result, computed on submission and kept as it was reviewed.
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    guidance_class = models.CharField(
        _("guidance class"), max_length=30, choices=GuidanceClass.choices, blank=True
    )
    class_reasons = models.JSONField(_("why this class"), default=list, blank=True)

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_note = models.TextField(_("review note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "centres_assessment"
        ordering = ["cycle", "district__order", "centre__name_zh"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "centre"], name="assessment_once_per_cycle"),
            models.CheckConstraint(
                name="assessment_rd_staff_within_total",
                condition=Q(full_time_rd_staff__isnull=True)
                | Q(total_staff__isnull=True)
                | Q(full_time_rd_staff__lte=F("total_staff")),
            ),
            models.CheckConstraint(
                name="assessment_state_valid", condition=Q(state__in=AssessmentState.values)
            ),
        ]
        indexes = [models.Index(fields=["cycle", "district", "state"], name="assessment_cycle_district")]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.centre}"

    @property
    def joint_projects(self) -> int | None:
        parts = [self.joint_projects_universities, self.joint_projects_institutes, self.joint_projects_firms]
        return None if all(part is None for part in parts) else sum(part or 0 for part in parts)

    # The state machine; `assessments.services` locks the row, checks who may move it and records history.
    @transition(field=state, source=sorted(ENTERABLE_STATES), target=AssessmentState.SUBMITTED)
    def submit(self):
        self.submitted_at = timezone.now()
        self.return_reason = ""

    @transition(field=state, source=AssessmentState.SUBMITTED, target=AssessmentState.RETURNED)
    def return_for_correction(self):
        pass

    @transition(field=state, source=AssessmentState.SUBMITTED, target=AssessmentState.REVIEWED)
    def review(self):
        self.reviewed_at = timezone.now()
