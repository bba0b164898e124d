"""Scoring an assessment into a guidance class (分类指导) by the administrators' weights and thresholds."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from assessments.models import (
    Assessment,
    ClassThreshold,
    Indicator,
    ScoringWeight,
)
from centres.models import GuidanceClass


def indicator_values(assessment: Assessment) -> dict[str, Decimal | None]:
    """The value of each scored indicator, None where it was not entered."""
    share = None
    if assessment.full_time_rd_staff is not None and assessment.total_staff:
        share = Decimal(100) * assessment.full_time_rd_staff / assessment.total_staff

    def number(value) -> Decimal | None:
        return None if value is None else Decimal(value)

    return {
        Indicator.FULL_TIME_RD_STAFF: number(assessment.full_time_rd_staff),
        Indicator.RD_STAFF_SHARE: share,
        Indicator.RD_SPENDING_CNY: number(assessment.rd_spending_cny),
        Indicator.PATENTS_FILED: number(assessment.patents_filed),
        Indicator.PATENTS_GRANTED: number(assessment.patents_granted),
        Indicator.JOINT_PROJECTS: number(assessment.joint_projects),
        Indicator.STARTUPS_INCUBATED: number(assessment.startups_incubated),
        Indicator.FOREIGN_EXPERTS: number(assessment.foreign_experts),
    }


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def score_assessment(assessment: Assessment) -> tuple[Decimal, str, list[dict[str, Any]]]:
    """The score (weight * min(value ÷ full marks, 1), summed), the class its thresholds give,
    and the reasons: each indicator's points, then the threshold that decided the class."""
    values = indicator_values(assessment)
    reasons: list[dict[str, Any]] = []
    score = Decimal(0)
    for weight in ScoringWeight.objects.all():
        value = values.get(weight.indicator) or Decimal(0)
        points = _one_decimal(weight.weight * min(value / weight.full_marks_at, Decimal(1)))
        score += points
        reasons.append(
            {
                "indicator": weight.indicator,
                "value": str(_one_decimal(value)),
                "full_marks_at": str(weight.full_marks_at),
                "weight": str(weight.weight),
                "points": str(points),
            }
        )
    guidance_class, threshold = GuidanceClass.NEEDS_ATTENTION, None
    for candidate in ClassThreshold.objects.order_by("-min_score"):
        if score >= candidate.min_score:
            guidance_class, threshold = candidate.guidance_class, candidate.min_score
            break
    lowest = ClassThreshold.objects.order_by("min_score").values_list("min_score", flat=True).first()
    reasons.append(
        {
            "class": guidance_class,
            "score": str(score),
            # At or above this score for the class; below the lowest threshold: needs attention.
            "threshold": str(threshold if threshold is not None else lowest),
            "below": threshold is None,
        }
    )
    return score, guidance_class, reasons
