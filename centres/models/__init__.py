from .centre import (
    Centre,
    CentreStatus,
    CentreType,
    ContactInterval,
    ContactKind,
    ContactPerson,
    ContactRecord,
    FollowUp,
    GuidanceClass,
    ResearchField,
)

__all__ = [
    "Centre",
    "CentreStatus",
    "CentreType",
    "ContactInterval",
    "ContactKind",
    "ContactPerson",
    "ContactRecord",
    "FollowUp",
    "GuidanceClass",
    "ResearchField",
]
