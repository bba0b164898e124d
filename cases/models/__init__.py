from .calendar import CalendarDay, CalendarYear, DeadlineRule
from .case import AnswerOutcome, Case, CaseSource, CaseState, Satisfaction, Urgency
from .figures import FIGURE_COUNTS, GRAIN_COLUMNS, CaseFigureMonth, CaseFigureRollup, FigureGrain, OpenCaseDue
from .handling import Assignment, Attachment, CaseEvent, Comment, ExtensionRequest, Supervision

__all__ = [
    "FIGURE_COUNTS",
    "GRAIN_COLUMNS",
    "AnswerOutcome",
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
    "OpenCaseDue",
    "Satisfaction",
    "Supervision",
    "Urgency",
]
