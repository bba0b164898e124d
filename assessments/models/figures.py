"""Summary tables behind the dashboards' assessment results, kept exactly in step by the database.

Statement-level triggers on assessments and findings (migration 0008) add what each statement wrote
and take away what it replaced, in the same transaction: opening a cycle for 50,000 centres adds a
few dozen summary rows in one go, and a city-wide result reads those rows, not every assessment.
`assessments.figures.rebuild_assessment_figures` sums them from scratch with the same SQL functions.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


def _sum() -> models.BigIntegerField:
    return models.BigIntegerField(default=0)


class AssessmentFigure(models.Model):
    """Assessments of one cycle and district in one state and guidance class, with the sums of their
    indicators (`INDICATOR_FIELDS`, a field each; an indicator not entered adds nothing). Dimensions
    are plain numbers, not foreign keys."""

    cycle_id = models.IntegerField(_("cycle"))
    district_id = models.IntegerField(_("district"))
    state = models.CharField(_("state"), max_length=20)
    guidance_class = models.CharField(_("guidance class"), max_length=30)
    assessments = models.IntegerField(_("assessments"), default=0)
    full_time_rd_staff = _sum()
    total_staff = _sum()
    rd_spending_cny = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    patents_filed = _sum()
    patents_granted = _sum()
    joint_projects_universities = _sum()
    joint_projects_institutes = _sum()
    joint_projects_firms = _sum()
    startups_incubated = _sum()
    foreign_experts = _sum()

    class Meta:
        db_table = "centres_assessmentfigure"
        verbose_name = _("assessment figures")
        verbose_name_plural = _("assessment figures")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle_id", "district_id", "state", "guidance_class"], name="assessment_figure_key"
            )
        ]

    def __str__(self) -> str:
        return f"c{self.cycle_id} d{self.district_id} {self.state} {self.guidance_class}: {self.assessments}"


class FindingFigure(models.Model):
    """Findings of one cycle and district for one bureau and rule, by their status now."""

    cycle_id = models.IntegerField(_("cycle"))
    district_id = models.IntegerField(_("district"))
    bureau_id = models.IntegerField(_("bureau"))
    rule = models.CharField(_("rule"), max_length=60)
    status = models.CharField(_("status"), max_length=20)
    findings = models.IntegerField(_("findings"), default=0)

    class Meta:
        db_table = "centres_findingfigure"
        verbose_name = _("finding figures")
        verbose_name_plural = _("finding figures")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle_id", "district_id", "bureau_id", "rule", "status"], name="finding_figure_key"
            )
        ]

    def __str__(self) -> str:
        return f"c{self.cycle_id} d{self.district_id} b{self.bureau_id} {self.rule} {self.status}"


class EligibilityFigure(models.Model):
    """Centres of one cycle and district that a rule found eligible: distinct assessments with a
    finding of the rule, so that a centre the rule told several bureaus about counts once."""

    cycle_id = models.IntegerField(_("cycle"))
    district_id = models.IntegerField(_("district"))
    rule = models.CharField(_("rule"), max_length=60)
    centres = models.IntegerField(_("centres"), default=0)

    class Meta:
        db_table = "centres_eligibilityfigure"
        verbose_name = _("eligibility figures")
        verbose_name_plural = _("eligibility figures")
        constraints = [
            models.UniqueConstraint(fields=["cycle_id", "district_id", "rule"], name="eligibility_figure_key")
        ]

    def __str__(self) -> str:
        return f"c{self.cycle_id} d{self.district_id} {self.rule}: {self.centres}"
