from .calendar import CalendarDay, CalendarYear, DeadlineRule
from .case import (
    Assignment,
    Attachment,
    Case,
    CaseEvent,
    CaseSource,
    CaseState,
    Comment,
    ExtensionRequest,
    Satisfaction,
    Supervision,
    Urgency,
)
from .figures import FIGURE_COUNTS, CaseFigureMonth, OpenCaseDue
from .measures import Measure, Programme, ResponsibleUnit

__all__ = [
    "FIGURE_COUNTS",
    "Assignment",
    "Attachment",
    "CalendarDay",
    "CalendarYear",
    "Case",
    "CaseEvent",
    "CaseFigureMonth",
    "CaseSource",
    "CaseState",
    "Comment",
    "DeadlineRule",
    "ExtensionRequest",
    "Measure",
    "OpenCaseDue",
    "Programme",
    "ResponsibleUnit",
    "Satisfaction",
    "Supervision",
    "Urgency",
]
