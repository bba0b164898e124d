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
from .measures import Measure, Programme, ResponsibleUnit

__all__ = [
    "Assignment",
    "Attachment",
    "CalendarDay",
    "CalendarYear",
    "Case",
    "CaseEvent",
    "CaseSource",
    "CaseState",
    "Comment",
    "DeadlineRule",
    "ExtensionRequest",
    "Measure",
    "Programme",
    "ResponsibleUnit",
    "Satisfaction",
    "Supervision",
    "Urgency",
]
