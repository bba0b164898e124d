"""The only code that writes cases. Every move locks the case, checks the rule table,
changes it and appends to its history in one transaction."""

from .notes import case_add_attachment, case_add_comment
from .oversight import (
    case_decide_extension,
    case_end_supervision,
    case_record_referral_outcome,
    case_refer_up,
    case_request_extension,
    case_supervise,
)
from .workflow import (
    case_accept,
    case_accept_assignment,
    case_answer,
    case_contribute,
    case_dispatch,
    case_edit,
    case_record_callback,
    case_return,
    case_routing_proposal,
    case_submit,
    case_withdraw,
)

__all__ = [
    "case_accept",
    "case_accept_assignment",
    "case_add_attachment",
    "case_add_comment",
    "case_answer",
    "case_contribute",
    "case_decide_extension",
    "case_dispatch",
    "case_edit",
    "case_end_supervision",
    "case_record_callback",
    "case_record_referral_outcome",
    "case_refer_up",
    "case_request_extension",
    "case_return",
    "case_routing_proposal",
    "case_submit",
    "case_supervise",
    "case_withdraw",
]
