from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from assessments.eligibility import RULES_BY_CODE
from assessments.models import (
    FIGURE_FIELDS,
    INDICATOR_FIELDS,
    Assessment,
    AssessmentCycle,
    AssessmentEvent,
    AssessmentProblem,
    Finding,
    FindingOutcome,
    Indicator,
)
from centres.models import GuidanceClass
from commissioners.api.serializers import UserNameField
from policies.models import Measure, Programme


class AssessmentCycleSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentCycle
        fields = [
            "id",
            "name",
            "period_start",
            "period_end",
            "opens_on",
            "due_on",
            "status",
            "opened_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_status(self, cycle) -> str:
        if cycle.closed_at:
            return "closed"
        return "open" if cycle.opened_at else "scheduled"


class ProblemSerializer(serializers.ModelSerializer):
    """A problem met; `measure_number` (1-9) tags it with a Shanghai measure, which makes it a case on review."""

    measure_number = serializers.SlugRelatedField(
        source="measure",
        slug_field="number",
        queryset=Measure.objects.filter(programme=Programme.SHANGHAI_2024),
        required=False,
        allow_null=True,
    )
    description = serializers.CharField(max_length=20_000)

    class Meta:
        model = AssessmentProblem
        fields = ["description", "measure_number", "case"]
        read_only_fields = ["case"]


class AssessmentEventSerializer(serializers.ModelSerializer):
    actor_name = UserNameField(source="actor", read_only=True, allow_null=True)

    class Meta:
        model = AssessmentEvent
        fields = ["action", "actor", "actor_name", "from_state", "to_state", "note", "changes", "created_at"]
        read_only_fields = fields


def class_reason_texts(reasons: list[dict]) -> list[str]:
    """The scoring's reasons as sentences in the request's language."""
    labels = dict(Indicator.choices)
    classes = dict(GuidanceClass.choices)
    texts = []
    for reason in reasons:
        if "indicator" in reason:
            texts.append(
                _("%(indicator)s: %(value)s of %(full)s for full marks → %(points)s of %(weight)s points")
                % {
                    "indicator": labels.get(reason["indicator"], reason["indicator"]),
                    "value": reason["value"],
                    "full": reason["full_marks_at"],
                    "points": reason["points"],
                    "weight": reason["weight"],
                }
            )
        elif reason.get("below"):
            texts.append(
                _("Score %(score)s is below %(threshold)s, the lowest class threshold: %(class)s")
                % {
                    "score": reason["score"],
                    "threshold": reason["threshold"],
                    "class": classes[reason["class"]],
                }
            )
        else:
            texts.append(
                _("Score %(score)s reaches the threshold %(threshold)s of the class: %(class)s")
                % {
                    "score": reason["score"],
                    "threshold": reason["threshold"],
                    "class": classes[reason["class"]],
                }
            )
    return texts


EDITABLE = (*INDICATOR_FIELDS, "problems_met", "centre_view_of_service", "problems")


class AssessmentSerializer(serializers.ModelSerializer):
    """An assessment as read and as its district commissioner fills it in (PATCH, while open or returned).

    `problems`, when sent, replaces the list of problems met."""

    cycle_name = serializers.CharField(source="cycle.name", read_only=True)
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    centre_type = serializers.CharField(source="centre.centre_type", read_only=True)
    district = serializers.CharField(source="district.code", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    guidance_class_label = serializers.CharField(source="get_guidance_class_display", read_only=True)
    # Empty until the assessment is scored on submission: documented as such.
    guidance_class = serializers.ChoiceField(
        choices=GuidanceClass.choices, allow_blank=True, read_only=True, label=gettext_lazy("guidance class")
    )
    class_reasons = serializers.SerializerMethodField()
    is_overdue = serializers.SerializerMethodField()
    problems = ProblemSerializer(many=True, required=False)
    history = AssessmentEventSerializer(source="events", many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "cycle",
            "cycle_name",
            "centre",
            "centre_name",
            "centre_type",
            "district",
            "assignee",
            "state",
            "state_label",
            "is_overdue",
            *INDICATOR_FIELDS,
            "problems_met",
            "centre_view_of_service",
            "problems",
            *FIGURE_FIELDS,
            "figures_computed_at",
            "score",
            "guidance_class",
            "guidance_class_label",
            "class_reasons",
            "submitted_at",
            "submitted_by",
            "return_reason",
            "reviewed_at",
            "reviewed_by",
            "review_note",
            "history",
        ]
        read_only_fields = [name for name in fields if name not in EDITABLE]

    def get_class_reasons(self, assessment) -> list[str]:
        return class_reason_texts(assessment.class_reasons)

    def get_is_overdue(self, assessment) -> bool:
        return assessment.state in (Assessment.State.OPEN, Assessment.State.RETURNED) and (
            assessment.cycle.due_on < self.context["today"]
        )


class AssessmentReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, allow_blank=True)


class AssessmentNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=20_000, allow_blank=True, required=False, default="")


class FindingOutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=FindingOutcome.choices)
    note = serializers.CharField(max_length=20_000, allow_blank=True, required=False, default="")


class FindingSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    clause = serializers.SerializerMethodField()
    cycle = serializers.IntegerField(source="assessment.cycle_id", read_only=True)
    cycle_name = serializers.CharField(source="assessment.cycle.name", read_only=True)
    centre = serializers.IntegerField(source="assessment.centre_id", read_only=True)
    centre_name = serializers.CharField(source="assessment.centre.name", read_only=True)
    district = serializers.CharField(source="assessment.district.code", read_only=True)
    measure_number = serializers.IntegerField(source="measure.number", read_only=True)
    bureau = serializers.CharField(source="bureau.code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "rule",
            "title",
            "clause",
            "assessment",
            "cycle",
            "cycle_name",
            "centre",
            "centre_name",
            "district",
            "measure_number",
            "bureau",
            "status",
            "status_label",
            "outcome",
            "follow_up_due_on",
            "note",
            "handled_by",
            "handled_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_title(self, finding) -> str:
        rule = RULES_BY_CODE.get(finding.rule)
        return str(rule.title) if rule else finding.rule

    def get_clause(self, finding) -> str:
        """The clause of the 2024 plan the finding's rule applies (in its Chinese original)."""
        rule = RULES_BY_CODE.get(finding.rule)
        return rule.clause if rule else ""
