from rest_framework import serializers

from commissioners.api.serializers import UserNameField
from commissioners.models import Bureau
from landing.selectors import centres_to_name
from policies.models import Measure

from ..models import (
    Benefit,
    BenefitStatus,
    Briefing,
    BriefingCampaign,
    BriefingFormat,
    BriefingMaterial,
    BriefingQuestion,
)


class VisibleCentreField(serializers.PrimaryKeyRelatedField):
    """A centre the requesting user may name here (`landing.selectors.centres_to_name`); any other
    id is "does not exist"."""

    def get_queryset(self):
        return centres_to_name(user=self.context["request"].user)


class BriefingQuestionSerializer(serializers.ModelSerializer):
    centre = VisibleCentreField()
    measure = serializers.PrimaryKeyRelatedField(
        queryset=Measure.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = BriefingQuestion
        fields = ["id", "centre", "measure", "question", "case", "created_at"]
        read_only_fields = ["case", "created_at"]


class BriefingMaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = BriefingMaterial
        fields = ["id", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
        read_only_fields = fields


class BriefingMaterialUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class BriefingSerializer(serializers.ModelSerializer):
    format = serializers.ChoiceField(choices=BriefingFormat.choices)
    measures = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.all(), many=True)
    centres = VisibleCentreField(many=True)
    programmes = serializers.SerializerMethodField()
    questions = BriefingQuestionSerializer(many=True, required=False)
    materials = BriefingMaterialSerializer(many=True, read_only=True)
    given_by_name = UserNameField(source="given_by", read_only=True)

    class Meta:
        model = Briefing
        fields = [
            "id",
            "held_on",
            "format",
            "title",
            "measures",
            "programmes",
            "centres",
            "notes",
            "questions",
            "materials",
            "given_by",
            "given_by_name",
            "bureau",
            "district",
            "created_at",
        ]
        read_only_fields = ["given_by", "bureau", "district", "created_at"]
        extra_kwargs = {"notes": {"allow_blank": True}}

    def get_programmes(self, briefing) -> list[str]:
        return sorted({measure.programme for measure in briefing.measures.all()})


class QuestionToCaseSerializer(serializers.Serializer):
    measure = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.all())
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=20_000, required=False, allow_blank=True, default="")


class QuestionLoggedSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    case = serializers.IntegerField()


class DistrictProgressSerializer(serializers.Serializer):
    district = serializers.IntegerField()
    code = serializers.CharField()
    aimed_at = serializers.IntegerField()
    briefed = serializers.IntegerField()


class CampaignProgressSerializer(serializers.Serializer):
    aimed_at = serializers.IntegerField()
    briefed = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)
    by_district = DistrictProgressSerializer(many=True)


class BriefingCampaignSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()

    class Meta:
        model = BriefingCampaign
        fields = [
            "id",
            "title",
            "measure",
            "centre_type",
            "starts_on",
            "due_on",
            "created_by",
            "created_at",
            "progress",
        ]
        read_only_fields = ["created_by", "created_at", "progress"]
        extra_kwargs = {"centre_type": {"allow_blank": True, "required": False}}

    def get_progress(self, campaign) -> CampaignProgressSerializer:
        progress = self.context["progress"](campaign)
        return CampaignProgressSerializer(
            {
                "aimed_at": progress.aimed_at,
                "briefed": progress.briefed,
                "share": progress.share,
                "by_district": progress.by_district,
            }
        ).data


class BenefitSerializer(serializers.ModelSerializer):
    centre = VisibleCentreField()
    status = serializers.ChoiceField(choices=BenefitStatus.choices)
    granting_bureau = serializers.PrimaryKeyRelatedField(
        queryset=Bureau.objects.all(), allow_null=True, required=False
    )
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, allow_null=True, required=False
    )
    quantity = serializers.IntegerField(min_value=0, max_value=2_147_483_647, allow_null=True, required=False)
    reason = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=2000)

    class Meta:
        model = Benefit
        fields = [
            "id",
            "centre",
            "measure",
            "title",
            "status",
            "applied_on",
            "decided_on",
            "amount",
            "quantity",
            "granting_bureau",
            "note",
            "reason",
            "entered_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["entered_by", "created_at", "updated_at"]
        extra_kwargs = {"note": {"allow_blank": True}}


class BriefedMeasureSerializer(serializers.Serializer):
    measure = serializers.IntegerField(source="measure_id")
    times = serializers.IntegerField()
    last_on = serializers.DateField()


class CentreLandingSerializer(serializers.Serializer):
    """What reached one centre: the measures it was briefed on, and its benefits."""

    briefed_measures = BriefedMeasureSerializer(many=True)
    benefits = BenefitSerializer(many=True)


class FunnelRowSerializer(serializers.Serializer):
    measure = serializers.IntegerField()
    programme = serializers.CharField()
    number = serializers.IntegerField()
    eligible = serializers.IntegerField()
    briefed = serializers.IntegerField()
    applied = serializers.IntegerField()
    granted = serializers.IntegerField()


class FunnelPeriodSerializer(serializers.Serializer):
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)


class CoverageRowSerializer(serializers.Serializer):
    measure = serializers.IntegerField()
    programme = serializers.CharField()
    number = serializers.IntegerField()
    district = serializers.CharField()
    active_centres = serializers.IntegerField()
    briefed = serializers.IntegerField()
    eligible = serializers.IntegerField()
    eligible_briefed = serializers.IntegerField()
