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
from .imports import CentreImport, CentreImportState

__all__ = [
    "Centre",
    "CentreImport",
    "CentreImportState",
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
