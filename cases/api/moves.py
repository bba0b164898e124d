"""Each move's service and input, shared by its API endpoint and the case page's form.

The rule table (`cases.rules.MOVES`) says who may make a move and when; this says what the move
takes and which service makes it. Both the API and the workbench pages read it, so a move is
validated by the same serializer and written by the same service whichever way it arrives.
"""

from collections.abc import Callable
from dataclasses import dataclass

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from cases import services
from commissioners.idempotency import IDEMPOTENCY_KEY, idempotent
from core.openapi import ErrorResponse409Serializer, ErrorResponse422Serializer

from . import case_serializers as s


@dataclass(frozen=True)
class MoveEndpoint:
    move: str  # its name in the rule table
    service: Callable
    input: type[serializers.Serializer] | None
    summary: str

    @property
    def view_name(self) -> str:
        # `dispatch` and `return` are taken (by the view and by Python); their URLs keep the move's name.
        return f"{self.move}_case" if self.move in ("dispatch", "return") else self.move

    @property
    def url_path(self) -> str:
        return self.move.replace("_", "-")


MOVE_ENDPOINTS: tuple[MoveEndpoint, ...] = (
    MoveEndpoint(
        "withdraw", services.case_withdraw, s.ReasonSerializer, "Withdraw the case (reason required)."
    ),
    MoveEndpoint(
        "dispatch",
        services.case_dispatch,
        s.DispatchSerializer,
        "Dispatch to a lead and co-handling bureaus.",
    ),
    MoveEndpoint("accept", services.case_accept, None, "The lead bureau accepts the case (签收)."),
    MoveEndpoint(
        "return", services.case_return, s.ReasonSerializer, "The lead bureau returns it as misrouted."
    ),
    MoveEndpoint(
        "accept_assignment", services.case_accept_assignment, None, "A co-handling bureau accepts its part."
    ),
    MoveEndpoint(
        "contribute",
        services.case_contribute,
        s.ContributeSerializer,
        "A co-handling bureau contributes its part.",
    ),
    MoveEndpoint("answer", services.case_answer, s.AnswerSerializer, "The lead bureau answers."),
    MoveEndpoint(
        "callback",
        services.case_record_callback,
        s.CallbackSerializer,
        "Record the call-back with the centre (回访).",
    ),
    MoveEndpoint(
        "refer_up", services.case_refer_up, s.ReferUpSerializer, "Refer upward to a national department."
    ),
    MoveEndpoint(
        "record_referral_outcome",
        services.case_record_referral_outcome,
        s.ReferralOutcomeSerializer,
        "Record the national department's outcome as the answer; the call-back confirms it.",
    ),
    MoveEndpoint(
        "follow_up_referral",
        services.case_follow_up_referral,
        s.ReferralFollowUpSerializer,
        "Record chasing the national department; sets the referral's next follow-up date.",
    ),
    MoveEndpoint(
        "request_extension",
        services.case_request_extension,
        s.ExtensionRequestInputSerializer,
        "The lead bureau asks for more working days (延期申请).",
    ),
    MoveEndpoint(
        "decide_extension",
        services.case_decide_extension,
        s.ExtensionDecisionSerializer,
        "A city commissioner approves or rejects the pending extension.",
    ),
    MoveEndpoint(
        "rule_return",
        services.case_rule_return,
        s.ReturnRulingSerializer,
        "A city commissioner upholds or rejects the lead bureau's return (退单审核).",
    ),
    MoveEndpoint(
        "reply_supervision",
        services.case_reply_supervision,
        s.SupervisionReplySerializer,
        "The supervised lead bureau replies in writing to the supervision (督办回复).",
    ),
    MoveEndpoint(
        "appeal",
        services.case_appeal,
        s.ReasonSerializer,
        "A bureau appeals against the case counting in its rates (申诉核减).",
    ),
    MoveEndpoint(
        "decide_appeal",
        services.case_decide_appeal,
        s.AppealDecisionSerializer,
        "A city commissioner upholds (excludes the case from the bureau's rates) or rejects an appeal.",
    ),
    MoveEndpoint(
        "supervise", services.case_supervise, s.SuperviseSerializer, "Put under supervision (督办)."
    ),
    MoveEndpoint("end_supervision", services.case_end_supervision, s.NoteSerializer, "End supervision."),
    MoveEndpoint(
        "link_policy_issue",
        services.case_link_policy_issue,
        s.LinkPolicyIssueSerializer,
        "Add the case to a policy issue (共性问题) of similar cases.",
    ),
    MoveEndpoint(
        "unlink_policy_issue",
        services.case_unlink_policy_issue,
        s.ReasonSerializer,
        "Take the case out of its policy issue: it is handled on its own again.",
    ),
)

MOVE_ENDPOINT_OF: dict[str, MoveEndpoint] = {endpoint.move: endpoint for endpoint in MOVE_ENDPOINTS}


def move_action(
    name: str,
    service: Callable,
    input_serializer: type[serializers.Serializer] | None,
    summary: str,
    *,
    subject: str,
    answer: type[serializers.Serializer],
    url_path: str | None = None,
    locks_subject: bool = True,
):
    """One POST endpoint for one move of a case or of a policy issue (`subject`, the service's
    argument): validate the input, call the service, answer with the view's `detail_response`.
    A view with `locked_for_move` finds the subject in the user's sight and locks it in one query,
    the move's own; a service that locks several rows in its own order says `locks_subject=False`."""

    @idempotent
    def endpoint(self, request, pk=None):
        data = {}
        if input_serializer is not None:
            serializer = input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        locked_for_move = getattr(self, "locked_for_move", None) if locks_subject else None
        if locked_for_move is None:
            moved = service(**{subject: self.get_object()}, actor=request.user, **data)
        else:
            with locked_for_move() as locked:
                moved = service(**{subject: locked}, actor=request.user, **data)
        return self.detail_response(moved.pk)

    endpoint.__name__ = name
    endpoint.__doc__ = summary
    endpoint = action(detail=True, methods=["post"], url_path=url_path or name.replace("_", "-"))(endpoint)
    return extend_schema(
        request=input_serializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: answer, 409: ErrorResponse409Serializer, 422: ErrorResponse422Serializer},
        summary=summary,
    )(endpoint)
