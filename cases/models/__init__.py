from .calendar import CalendarDay, CalendarYear, DeadlineRule
from .case import AnswerOutcome, Case, CaseSource, CaseState, Satisfaction, Urgency
from .figures import FIGURE_COUNTS, GRAIN_COLUMNS, CaseFigureMonth, CaseFigureRollup, FigureGrain, OpenCaseDue
from .handling import (
    Appeal,
    Assignment,
    Attachment,
    CallbackAttempt,
    CaseEvent,
    Comment,
    ExtensionRequest,
    ReturnRuling,
    Supervision,
)
from .saved import SavedCaseView

__all__ = [
    "FIGURE_COUNTS",
    "GRAIN_COLUMNS",
    "AnswerOutcome",
    "Appeal",
    "Assignment",
    "Attachment",
    "CalendarDay",
    "CalendarYear",
    "CallbackAttempt",
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
    "ReturnRuling",
    "Satisfaction",
    "SavedCaseView",
    "Supervision",
    "Urgency",
]
