"""Case representations and the input of each move."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases import rules
from cases.models import (
    AnswerOutcome,
    Appeal,
    Assignment,
    Attachment,
    CallbackAttempt,
    Case,
    CaseEvent,
    CaseSource,
    Comment,
    ExtensionRequest,
    PolicyIssue,
    ReturnRuling,
    Satisfaction,
    Supervision,
    Urgency,
)
from cases.models.case import BUREAU_ANSWER_OUTCOMES
from cases.selectors import INBOX_ACTIONS
from centres.models import Centre, ContactRecord
from commissioners.api.serializers import UserNameField
from commissioners.models import Bureau
from core.serializers import FieldsBuiltOnce
from policies.models import Measure

MOVE_NAMES = list(rules.MOVES)


class AssignmentSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    bureau = serializers.SlugRelatedField(slug_field="code", read_only=True)
    bureau_name = serializers.CharField(source="bureau.name", read_only=True)
    # Empty until a city commissioner rules on a return.
    return_ruling = serializers.ChoiceField(choices=ReturnRuling.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "bureau",
            "bureau_name",
            "is_lead",
            "status",
            "is_current",
            "accept_due_on",
            "accepted_at",
            "contribute_due_on",
            "contribution",
            "contributed_at",
            "return_reason",
            "return_ruling",
            "return_ruled_at",
            "return_ruling_note",
            "excluded_from_rates",
        ]
        read_only_fields = fields


class CaseEventSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    actor = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    actor_name = UserNameField(source="actor", read_only=True, allow_null=True)

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "action",
            "from_state",
            "to_state",
            "actor",
            "actor_name",
            "reason",
            "note",
            "changes",
            "created_at",
        ]
        read_only_fields = fields


class ExtensionRequestSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    bureau = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "bureau",
            "working_days",
            "reason",
            "status",
            "decided_at",
            "decision_note",
            "created_at",
        ]
        read_only_fields = fields


class SupervisionSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    bureau = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Supervision
        fields = [
            "id",
            "reason",
            "note",
            "bureau",
            "level",
            "due_on",
            "reply",
            "replied_at",
            "escalated_at",
            "opened_at",
            "closed_at",
            "closing_note",
        ]
        read_only_fields = fields


class AppealSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    bureau = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Appeal
        fields = ["id", "bureau", "reason", "status", "created_at", "decided_at", "decision_note"]
        read_only_fields = fields


class CallbackAttemptSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = CallbackAttempt
        fields = ["id", "answer_round", "reached", "attempted_at", "note"]
        read_only_fields = fields


class CaseListSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    # Read from the columns `selectors.for_listing` adds, not from related objects.
    centre_name = serializers.CharField(read_only=True)
    district = serializers.CharField(source="district_code", read_only=True)
    measure_number = serializers.IntegerField(read_only=True)
    lead_bureau = serializers.CharField(source="lead_bureau_code", read_only=True, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)
    allowed_moves = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "title",
            "state",
            "urgency",
            "is_confidential",
            "source",
            "centre",
            "centre_name",
            "district",
            "measure",
            "measure_number",
            "lead_bureau",
            "accept_due_on",
            "answer_due_on",
            "answer_due_original",
            "due_is_provisional",
            "is_overdue",
            "is_supervised",
            "reopen_count",
            "return_count",
            "triage_due_on",
            "return_pending",
            "created_at",
            "updated_at",
            "allowed_moves",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=MOVE_NAMES)))
    def get_allowed_moves(self, case) -> list[str]:
        return rules.allowed_moves(case, self.context["request"].user)


class CaseDetailSerializer(CaseListSerializer):
    created_by = serializers.PrimaryKeyRelatedField(read_only=True)
    created_by_name = UserNameField(source="created_by", read_only=True)
    referred_to = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    assignments = AssignmentSerializer(source="all_assignments", many=True, read_only=True)
    history = CaseEventSerializer(source="events", many=True, read_only=True)
    extension_requests = ExtensionRequestSerializer(many=True, read_only=True)
    supervisions = SupervisionSerializer(many=True, read_only=True)
    appeals = AppealSerializer(many=True, read_only=True)
    callback_tries = CallbackAttemptSerializer(many=True, read_only=True)
    answer_contributions = serializers.DictField(
        child=serializers.ChoiceField(choices=["contributed", "deadline_passed"]),
        read_only=True,
        help_text=_(
            "Per co-handling bureau: whether the answer had its contribution or its deadline had passed."
        ),
    )
    # Empty until the case is answered and called back: documented as such.
    answer_outcome = serializers.ChoiceField(
        choices=AnswerOutcome.choices, allow_blank=True, read_only=True, label=_("outcome")
    )
    callback_satisfaction = serializers.ChoiceField(
        choices=Satisfaction.choices, allow_blank=True, read_only=True, label=_("satisfaction")
    )

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "description",
            "created_by",
            "created_by_name",
            "dispatched_at",
            "accepted_at",
            "answered_at",
            "answer_text",
            "answer_actions",
            "answer_outcome",
            "answer_contributions",
            "callback_attempts",
            "callback_at",
            "callback_resolved",
            "callback_satisfaction",
            "callback_note",
            "referred_to",
            "referred_at",
            "referral_note",
            "referral_outcome",
            "referral_due_on",
            "excluded_from_rates",
            "closed_at",
            "merged_into",
            "policy_issue",
            "assignments",
            "extension_requests",
            "supervisions",
            "appeals",
            "callback_tries",
            "history",
        ]
        read_only_fields = fields


class CaseCreateSerializer(serializers.Serializer):
    centre = serializers.PrimaryKeyRelatedField(queryset=Centre.objects.all())
    measure = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.all())
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=20_000)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    is_confidential = serializers.BooleanField(default=False)
    source = serializers.ChoiceField(choices=CaseSource.choices, default=CaseSource.VISIT)
    contact_record = serializers.PrimaryKeyRelatedField(
        queryset=ContactRecord.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The contact with the centre during which the difficulty was raised."),
    )


class CaseEditSerializer(CaseCreateSerializer):
    """What the logging district may change; sent as a partial update, so every field is optional."""

    centre = None
    contact_record = None


def _text(**kwargs):
    # Blank text reaches the service, which names the missing field in one place.
    return serializers.CharField(allow_blank=True, max_length=20_000, **kwargs)


class ReasonSerializer(serializers.Serializer):
    reason = _text(help_text=_("Why; required."))


class DispatchSerializer(serializers.Serializer):
    lead_bureau = serializers.SlugRelatedField(slug_field="code", queryset=Bureau.objects.all())
    co_bureaus = serializers.SlugRelatedField(
        slug_field="code", queryset=Bureau.objects.all(), many=True, required=False, default=list
    )
    measure = serializers.PrimaryKeyRelatedField(
        queryset=Measure.objects.all(), required=False, help_text=_("Change the measure at triage.")
    )
    override_reason = _text(
        required=False, default="", help_text=_("Required when the bureaus differ from the routing.")
    )


class ContributeSerializer(serializers.Serializer):
    contribution = _text()


class AnswerSerializer(serializers.Serializer):
    answer_text = _text()
    answer_actions = _text(required=False, default="")
    # A referral's outcome is recorded by the city, not answered by a bureau.
    answer_outcome = serializers.ChoiceField(choices=BUREAU_ANSWER_OUTCOMES)


class CallbackSerializer(serializers.Serializer):
    reached = serializers.BooleanField(
        default=True,
        help_text=_("False when the call could not reach the centre: it is tried again after a working day."),
    )
    resolved = serializers.BooleanField(
        allow_null=True, required=False, default=None, help_text=_("Required when the centre was reached.")
    )
    satisfaction = serializers.ChoiceField(
        choices=Satisfaction.choices,
        allow_blank=True,
        required=False,
        default="",
        help_text=_("Required when the centre was reached."),
    )
    note = _text(required=False, default="")


class ReturnRulingSerializer(serializers.Serializer):
    upheld = serializers.BooleanField(
        help_text=_(
            "True: the case was misrouted (re-dispatch it). False: back to the bureau that returned it."
        )
    )
    reason = _text(help_text=_("Why; required."))


class SupervisionReplySerializer(serializers.Serializer):
    reply = _text()


class AppealDecisionSerializer(serializers.Serializer):
    appeal = serializers.IntegerField(min_value=1, max_value=2**63 - 1, source="appeal_id")
    upheld = serializers.BooleanField()
    reason = _text(help_text=_("Why; required."))


class ReferUpSerializer(serializers.Serializer):
    department = serializers.SlugRelatedField(slug_field="code", queryset=Bureau.objects.all())
    national_measure = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.all(), required=False)
    note = _text()


class ReferralOutcomeSerializer(serializers.Serializer):
    outcome = _text()


class ReferralFollowUpSerializer(serializers.Serializer):
    note = _text(help_text=_("What the national department said; required."))
    next_due_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The next follow-up date (default: the rule's working days from today)."),
    )


class ExtensionRequestInputSerializer(serializers.Serializer):
    working_days = serializers.IntegerField(min_value=1, max_value=60)
    reason = _text()


class ExtensionDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = _text(required=False, default="", help_text=_("Required when rejecting."))


class SuperviseSerializer(serializers.Serializer):
    note = _text()
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class NoteSerializer(serializers.Serializer):
    note = _text(required=False, default="")


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.PrimaryKeyRelatedField(read_only=True)
    author_name = UserNameField(source="author", read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "author", "author_name", "body", "created_at"]
        read_only_fields = ["id", "author", "author_name", "created_at"]
        extra_kwargs = {"body": {"allow_blank": True}}


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_by", "created_at"]
        read_only_fields = fields


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class InboxItemSerializer(serializers.Serializer):
    """One thing my bureau must do on a case (`cases.selectors.InboxItem`)."""

    case = serializers.IntegerField(source="case.pk", read_only=True)
    title = serializers.CharField(source="case.title", read_only=True)
    state = serializers.CharField(source="case.state", read_only=True)
    urgency = serializers.CharField(source="case.urgency", read_only=True)
    centre_name = serializers.CharField(source="case.centre.name", read_only=True)
    measure_number = serializers.IntegerField(source="case.measure.number", read_only=True)
    is_lead = serializers.BooleanField(read_only=True)
    action = serializers.ChoiceField(choices=INBOX_ACTIONS, read_only=True)
    due_on = serializers.DateField(read_only=True, allow_null=True)
    is_overdue = serializers.SerializerMethodField()

    def get_is_overdue(self, item) -> bool:
        return item.is_overdue(self.context["today"])


class SimilarCaseSerializer(serializers.ModelSerializer):
    """A case like another: a candidate for one policy issue, or a duplicate of the same centre's."""

    centre_name = serializers.CharField(source="centre.name", read_only=True)
    district = serializers.CharField(source="district.code", read_only=True)
    similarity = serializers.FloatField(
        read_only=True, allow_null=True, help_text="0 to 1 (null where the database cannot tell)."
    )

    class Meta:
        model = Case
        fields = ["id", "title", "state", "centre", "centre_name", "district", "created_at", "similarity"]
        read_only_fields = fields


class LinkPolicyIssueSerializer(serializers.Serializer):
    policy_issue = serializers.PrimaryKeyRelatedField(
        queryset=PolicyIssue.objects.filter(state__in=rules.ISSUE_BEING_HANDLED),
        help_text=_("A policy issue still being handled."),
    )
    note = _text(required=False, default="")


class MergeSerializer(serializers.Serializer):
    into = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text=_("The case of the same centre this duplicate joins.")
    )
    reason = serializers.CharField(max_length=2000)
