from .assessment import (
    EDITABLE_FIELDS,
    ENTERABLE_STATES,
    FIGURE_FIELDS,
    INDICATOR_FIELDS,
    REQUIRED_TO_SUBMIT_FIELDS,
    TEXT_FIELDS,
    Assessment,
    AssessmentCycle,
    AssessmentState,
    Indicator,
)
from .figures import AssessmentFigure, EligibilityFigure, FindingFigure
from .findings import (
    AssessmentEvent,
    AssessmentProblem,
    ClassThreshold,
    Finding,
    FindingStatus,
    ScoringWeight,
)

__all__ = [
    "EDITABLE_FIELDS",
    "ENTERABLE_STATES",
    "FIGURE_FIELDS",
    "INDICATOR_FIELDS",
    "REQUIRED_TO_SUBMIT_FIELDS",
    "TEXT_FIELDS",
    "Assessment",
    "AssessmentCycle",
    "AssessmentEvent",
    "AssessmentFigure",
    "AssessmentProblem",
    "AssessmentState",
    "ClassThreshold",
    "EligibilityFigure",
    "Finding",
    "FindingFigure",
    "FindingStatus",
    "Indicator",
    "ScoringWeight",
]
