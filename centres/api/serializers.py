from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from centres.models import (
    Centre,
    CentreImport,
    ContactPerson,
    ContactRecord,
    FollowUp,
    GuidanceClass,
    ResearchField,
)
from commissioners.models import District, Role, User


class ResearchFieldSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = ResearchField
        fields = ["id", "code", "name", "name_zh", "name_en"]


class ContactPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactPerson
        fields = ["name", "title", "phone", "email"]


class CentreSerializer(serializers.ModelSerializer):
    """A centre as read and written through the API.

    District and fields of research are given by code; contacts, when sent,
    replace the centre's contact list.
    """

    name = serializers.CharField(read_only=True, help_text=_("The name in the language of the request."))
    district = serializers.SlugRelatedField(slug_field="code", queryset=District.objects.all())
    district_name = serializers.CharField(source="district.name", read_only=True)
    parent_country = CountryField()
    parent_country_name = serializers.CharField(source="parent_country.name", read_only=True)
    research_fields = serializers.SlugRelatedField(
        slug_field="code", many=True, required=False, queryset=ResearchField.objects.all()
    )
    commissioner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=Role.DISTRICT_COMMISSIONER),
        required=False,
        allow_null=True,
        help_text=_(
            "The responsible district commissioner; defaults to the district commissioner creating it."
        ),
    )
    contacts = ContactPersonSerializer(many=True, required=False)
    full_time_rd_staff = serializers.IntegerField(min_value=0, max_value=1_000_000)
    total_staff = serializers.IntegerField(min_value=0, max_value=1_000_000)
    guidance_class = serializers.ChoiceField(
        choices=GuidanceClass.choices,
        read_only=True,
        help_text=_("Set by the development assessment; it sets the contact interval."),
    )
    last_contacted_on = serializers.DateField(read_only=True, allow_null=True)
    next_contact_due = serializers.DateField(
        read_only=True,
        help_text=_("The last contact (or the registration) plus the guidance class's contact interval."),
    )
    credit_code = serializers.CharField(
        max_length=18,
        required=False,
        allow_blank=True,
        help_text=_("Unified social credit code (统一社会信用代码), 18 characters; blank if not known."),
    )
    registry_key = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text=_("The centre's key in the registry it was imported from; blank if none."),
    )

    class Meta:
        model = Centre
        fields = [
            "id",
            "name",
            "name_zh",
            "name_en",
            "parent_company",
            "parent_country",
            "parent_country_name",
            "district",
            "district_name",
            "centre_type",
            "in_free_trade_zone",
            "in_lingang",
            "in_zhangjiang",
            "recognised_on",
            "full_time_rd_staff",
            "total_staff",
            "research_fields",
            "status",
            "commissioner",
            "contacts",
            "credit_code",
            "registry_key",
            "guidance_class",
            "last_contacted_on",
            "next_contact_due",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # Uniqueness and scope are the service's rules, checked with the request's user.
        validators: list = []


class ContactRecordSerializer(serializers.ModelSerializer):
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    recorded_by = serializers.PrimaryKeyRelatedField(read_only=True)
    cases_raised = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ContactRecord
        fields = [
            "id",
            "centre",
            "centre_name",
            "kind",
            "contacted_on",
            "participants",
            "summary",
            "recorded_by",
            "cases_raised",
            "created_at",
        ]
        read_only_fields = ["recorded_by", "cases_raised", "created_at"]
        extra_kwargs = {"participants": {"allow_blank": True}, "summary": {"allow_blank": True}}


class FollowUpSerializer(serializers.ModelSerializer):
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    is_open = serializers.BooleanField(read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "kind",
            "centre",
            "centre_name",
            "case",
            "assignee",
            "due_on",
            "is_open",
            "is_overdue",
            "opened_at",
            "closed_at",
            "closed_by",
            "contact_record",
            "reminded_at",
            "reported_at",
        ]
        read_only_fields = fields

    def get_is_overdue(self, follow_up) -> bool:
        return follow_up.closed_at is None and follow_up.due_on < self.context["today"]


class CentreImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True,
        help_text=_("The spreadsheet's row (the header is row 1); null for the file as a whole."),
    )
    column = serializers.CharField(
        help_text=_("The column's label in the uploader's language; blank for the file as a whole.")
    )
    message = serializers.CharField()


class CentreImportReportSerializer(serializers.Serializer):
    errors = CentreImportErrorSerializer(many=True)
    create = serializers.IntegerField(help_text=_("Rows that register a new centre."))
    update = serializers.IntegerField(help_text=_("Rows that change a registered centre."))
    unchanged = serializers.IntegerField(help_text=_("Rows already as in the registry."))
    language = serializers.CharField(help_text=_("The language the report is written in."))


class CentreImportSerializer(serializers.ModelSerializer):
    """One uploaded spreadsheet and its report (`checked`: ready to import; `refused`: rows with errors)."""

    report = CentreImportReportSerializer(read_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    imported_by = serializers.CharField(source="imported_by.username", read_only=True, allow_null=True)

    class Meta:
        model = CentreImport
        fields = [
            "id",
            "file_name",
            "sha256",
            "state",
            "row_count",
            "report",
            "uploaded_by",
            "uploaded_at",
            "imported_by",
            "imported_at",
        ]
        read_only_fields = fields


class CentreImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("An .xlsx or .csv file; the columns are in docs/centre-import.md.")
    )
