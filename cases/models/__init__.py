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
from .policy_issue import ISSUE_OPEN_STATES, PolicyIssue, PolicyIssueEvent, PolicyIssueState
from .saved import SavedCaseView

__all__ = [
    "FIGURE_COUNTS",
    "GRAIN_COLUMNS",
    "ISSUE_OPEN_STATES",
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
    "PolicyIssue",
    "PolicyIssueEvent",
    "PolicyIssueState",
    "ReturnRuling",
    "Satisfaction",
    "SavedCaseView",
    "Supervision",
    "Urgency",
]
