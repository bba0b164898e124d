from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from commissioners.api.serializers import BureauSerializer
from policies.models import Measure, ResponsibleUnit


class ResponsibleUnitSerializer(serializers.ModelSerializer):
    bureau = BureauSerializer(read_only=True, allow_null=True)
    is_centre_district_government = serializers.BooleanField(
        read_only=True, help_text=_("各区政府: routed to the government of the centre's own district.")
    )

    class Meta:
        model = ResponsibleUnit
        fields = ["order", "is_lead", "bureau", "is_centre_district_government", "only_for_area"]


class MeasureSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True, help_text=_("The title in the language of the request."))
    responsible_units = ResponsibleUnitSerializer(many=True, read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "programme",
            "number",
            "title",
            "title_zh",
            "title_en",
            "group_zh",
            "group_en",
            "summary_en",
            "is_active",
            "responsible_units",
        ]


class RoutedBureauSerializer(serializers.Serializer):
    bureau = BureauSerializer()
    is_lead = serializers.BooleanField()


class RoutingQuerySerializer(serializers.Serializer):
    centre = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text=_("The centre to route for.")
    )
