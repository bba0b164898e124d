"""The assessment services: every write to an assessment, its findings and its cycle goes through here."""

from .cycles import add_late_assessments, chase_assessments, open_cycle, open_due_cycles, period_figures
from .findings import chase_finding_outcomes, finding_handle, finding_record_outcome
from .problems import log_tagged_problems
from .scoring import indicator_values, score_assessment
from .workflow import (
    assessment_return,
    assessment_review,
    assessment_submit,
    assessment_update,
    refresh_figures,
)

__all__ = [
    "add_late_assessments",
    "assessment_return",
    "assessment_review",
    "assessment_submit",
    "assessment_update",
    "chase_assessments",
    "chase_finding_outcomes",
    "finding_handle",
    "finding_record_outcome",
    "indicator_values",
    "log_tagged_problems",
    "open_cycle",
    "open_due_cycles",
    "period_figures",
    "refresh_figures",
    "score_assessment",
]
