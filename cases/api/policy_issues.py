"""The policy issue API (共性问题): list, detail, raise, edit, one POST per move, the candidates."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases import rules, selectors
from cases.models import AnswerOutcome, PolicyIssue, PolicyIssueEvent, PolicyIssueState
from cases.models.case import BUREAU_ANSWER_OUTCOMES
from cases.services import policy_issues as services
from commissioners.api.serializers import UserNameField
from commissioners.idempotency import IDEMPOTENCY_KEY, idempotent
from commissioners.models import Bureau, Role
from commissioners.permissions import ALL_ROLES, roles_allowed
from core.filters import StrictFilterSet
from core.openapi import ErrorResponse409Serializer, ErrorResponse412Serializer, ErrorResponse422Serializer
from core.versioning import IF_MATCH, expected_version, with_version
from policies.models import Measure

from .case_serializers import SimilarCaseSerializer, _text
from .moves import move_action

ISSUE_MOVE_NAMES = list(rules.ISSUE_MOVES)


class PolicyIssueEventSerializer(serializers.ModelSerializer):
    actor = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    actor_name = UserNameField(source="actor", read_only=True, allow_null=True)

    class Meta:
        model = PolicyIssueEvent
        fields = ["id", "action", "from_state", "to_state", "actor", "actor_name", "reason", "note"]
        fields += ["changes", "created_at"]
        read_only_fields = fields


class PolicyIssueCaseSerializer(SimilarCaseSerializer):
    """A case of the issue, as far as the reader may see it."""

    class Meta(SimilarCaseSerializer.Meta):
        fields = ["id", "title", "state", "centre", "centre_name", "district", "created_at", "answer_due_on"]
        read_only_fields = fields


class PolicyIssueListSerializer(serializers.ModelSerializer):
    measure_number = serializers.IntegerField(source="measure.number", read_only=True)
    lead_bureau = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    case_count = serializers.IntegerField(read_only=True, help_text=_("Cases in the issue, seen or not."))

    class Meta:
        model = PolicyIssue
        fields = [
            "id",
            "title",
            "state",
            "measure",
            "measure_number",
            "lead_bureau",
            "case_count",
            "accept_due_on",
            "answer_due_on",
            "is_supervised",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PolicyIssueDetailSerializer(PolicyIssueListSerializer):
    created_by = serializers.PrimaryKeyRelatedField(read_only=True)
    created_by_name = UserNameField(source="created_by", read_only=True)
    co_bureaus = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    answer_outcome = serializers.ChoiceField(choices=AnswerOutcome.choices, allow_blank=True, read_only=True)
    cases = PolicyIssueCaseSerializer(source="visible_cases", many=True, read_only=True)
    history = PolicyIssueEventSerializer(source="events", many=True, read_only=True)
    allowed_moves = serializers.SerializerMethodField()

    class Meta(PolicyIssueListSerializer.Meta):
        fields = [
            *PolicyIssueListSerializer.Meta.fields,
            "description",
            "created_by",
            "created_by_name",
            "co_bureaus",
            "dispatched_at",
            "accepted_at",
            "answered_at",
            "answer_text",
            "answer_actions",
            "answer_outcome",
            "supervision_note",
            "closed_at",
            "cases",
            "history",
            "allowed_moves",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ISSUE_MOVE_NAMES)))
    def get_allowed_moves(self, issue) -> list[str]:
        return rules.issue_allowed_moves(issue, self.context["request"].user)


class PolicyIssueCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=20_000)
    measure = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.all())
    cases = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        max_length=500,
        required=False,
        default=list,
        help_text=_("The cases that show the issue (ids); more can be added later."),
    )


class PolicyIssueEditSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=20_000, required=False)


class CaseRefSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    note = _text(required=False, default="")


class CaseUnlinkSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    reason = _text(help_text=_("Why; required."))


class IssueDispatchSerializer(serializers.Serializer):
    lead_bureau = serializers.SlugRelatedField(slug_field="code", queryset=Bureau.objects.all())
    co_bureaus = serializers.SlugRelatedField(
        slug_field="code", queryset=Bureau.objects.all(), many=True, required=False, default=list
    )
    override_reason = _text(
        required=False, default="", help_text=_("Required when the bureaus differ from the routing.")
    )


class IssueContributeSerializer(serializers.Serializer):
    contribution = _text()


class IssueAnswerSerializer(serializers.Serializer):
    answer_text = _text()
    answer_actions = _text(required=False, default="")
    answer_outcome = serializers.ChoiceField(choices=BUREAU_ANSWER_OUTCOMES)


class IssueNoteSerializer(serializers.Serializer):
    note = _text()


class IssueReasonSerializer(serializers.Serializer):
    reason = _text(help_text=_("Why; required."))


class PolicyIssueFilter(StrictFilterSet):
    state = filters.MultipleChoiceFilter(choices=PolicyIssueState.choices)
    measure = filters.ModelChoiceFilter(queryset=Measure.objects.all())
    lead_bureau = filters.ModelChoiceFilter(
        field_name="lead_bureau", to_field_name="code", queryset=Bureau.objects.all()
    )
    is_supervised = filters.BooleanFilter()

    class Meta:
        model = PolicyIssue
        fields = ["state", "measure", "lead_bureau", "is_supervised"]


ISSUE_WORKERS = {Role.CITY_COMMISSIONER, Role.BUREAU_STAFF}


class PolicyIssueViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Policy issues as far as the user may see them; one outside the user's sight is a 404."""

    queryset = PolicyIssue.objects.none()  # the real one depends on the user: see get_queryset
    permission_classes = [roles_allowed(read=ALL_ROLES, write=ISSUE_WORKERS)]
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = PolicyIssueFilter
    search_fields = ["title", "description"]
    ordering_fields = ["created_at", "updated_at", "answer_due_on", "state"]

    def get_queryset(self):
        visible = selectors.policy_issue_list_visible_to(user=self.request.user)
        if self.action == "list":
            # An aggregate drops the model's ordering: the list states its own.
            return (
                visible.select_related("measure", "lead_bureau")
                .annotate(case_count=Count("cases"))
                .order_by("-created_at", "-id")
            )
        return selectors.policy_issue_detail(visible, user=self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return PolicyIssueListSerializer
        if self.action == "create":
            return PolicyIssueCreateSerializer
        if self.action == "partial_update":
            return PolicyIssueEditSerializer
        return PolicyIssueDetailSerializer

    def detail_response(self, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        issue = selectors.policy_issue_detail(PolicyIssue.objects.filter(pk=pk), user=self.request.user).get()
        data = PolicyIssueDetailSerializer(issue, context=self.get_serializer_context()).data
        return with_version(Response(data, status=status_code), issue)

    def retrieve(self, request, *args, **kwargs):
        """The issue with its bureaus, deadlines, cases (those the user may see), history and the
        moves open to the user; its `ETag` is the version to send back as `If-Match` with an edit."""
        issue = self.get_object()
        return with_version(Response(self.get_serializer(issue).data), issue)

    @extend_schema(
        request=PolicyIssueCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: PolicyIssueDetailSerializer,
            409: ErrorResponse409Serializer,
            422: ErrorResponse422Serializer,
        },
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        """A city commissioner raises a policy issue with the similar cases that show it."""
        serializer = PolicyIssueCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issue = services.policy_issue_create(actor=request.user, **serializer.validated_data)
        return self.detail_response(issue.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=PolicyIssueEditSerializer,
        parameters=[IF_MATCH],
        responses={
            200: PolicyIssueDetailSerializer,
            409: ErrorResponse409Serializer,
            412: ErrorResponse412Serializer,
        },
    )
    def partial_update(self, request, *args, **kwargs):
        """A city commissioner rewords the issue while it is being handled."""
        issue = self.get_object()
        serializer = PolicyIssueEditSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.policy_issue_edit(
            issue=issue,
            actor=request.user,
            expected_version=expected_version(request),
            **serializer.validated_data,
        )
        return self.detail_response(issue.pk)

    @extend_schema(responses={200: SimilarCaseSerializer(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def candidates(self, request, pk=None):
        """Up to 20 cases that could join the issue: of its measure, being handled, in no other
        issue, not confidential, whose title or description reads like the issue's (trigram
        similarity, Chinese included), most alike first."""
        cases = selectors.policy_issue_candidates(issue=self.get_object(), user=request.user)
        return Response(SimilarCaseSerializer(cases, many=True).data)


ISSUE_MOVE_ENDPOINTS = (
    ("link", services.policy_issue_link_case, CaseRefSerializer, "Add a case to the issue."),
    (
        "unlink",
        services.policy_issue_unlink_case,
        CaseUnlinkSerializer,
        "Take a case out of the issue (reason required); it is handled on its own again.",
    ),
    (
        "dispatch",
        services.policy_issue_dispatch,
        IssueDispatchSerializer,
        "Route the issue to a lead and co-handling bureaus; its cases not yet dispatched go to the lead.",
    ),
    (
        "accept",
        services.policy_issue_accept,
        None,
        "The lead bureau accepts the issue and its waiting cases.",
    ),
    (
        "contribute",
        services.policy_issue_contribute,
        IssueContributeSerializer,
        "A co-handling bureau contributes its part.",
    ),
    (
        "answer",
        services.policy_issue_answer,
        IssueAnswerSerializer,
        "The lead bureau answers once: the answer becomes each case's, each then gets its call-back.",
    ),
    (
        "supervise",
        services.policy_issue_supervise,
        IssueNoteSerializer,
        "Put the issue under supervision (督办).",
    ),
    (
        "withdraw",
        services.policy_issue_withdraw,
        IssueReasonSerializer,
        "Dissolve the issue (reason required): each case is handled on its own again.",
    ),
)

for _name, _service, _input, _summary in ISSUE_MOVE_ENDPOINTS:
    # `dispatch` is the view's own method: its URL keeps the move's name.
    _attr = "dispatch_issue" if _name == "dispatch" else _name
    setattr(
        PolicyIssueViewSet,
        _attr,
        move_action(
            _attr,
            _service,
            _input,
            _summary,
            subject="issue",
            answer=PolicyIssueDetailSerializer,
            url_path=_name,
        ),
    )
