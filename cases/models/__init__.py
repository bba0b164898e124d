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
from .figures import FIGURE_COUNTS, GRAIN_COLUMNS, CaseFigureMonth, CaseFigureRollup, FigureGrain, OpenCaseDue
from .measures import Measure, Programme, ResponsibleUnit

__all__ = [
    "FIGURE_COUNTS",
    "GRAIN_COLUMNS",
    "Assignment",
    "Attachment",
    "CalendarDay",
    "CalendarYear",
    "Case",
    "CaseEvent",
    "CaseFigureMonth",
    "CaseFigureRollup",
    "CaseSource",
    "CaseState",
    "Comment",
    "DeadlineRule",
    "ExtensionRequest",
    "FigureGrain",
    "Measure",
    "OpenCaseDue",
    "Programme",
    "ResponsibleUnit",
    "Satisfaction",
    "Supervision",
    "Urgency",
]
