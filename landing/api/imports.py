"""The benefits import API: upload a bureau's spreadsheet for its dry run, read its report, apply it.

The same two steps as the import page (docs/benefit-import.md), over `landing.imports`."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from commissioners.permissions import roles_allowed
from core.errors import Conflict
from core.openapi import ErrorResponse409Serializer, ErrorResponse413Serializer
from landing import imports
from landing.models import BenefitImport
from landing.selectors import BENEFIT_IMPORTER_ROLES, benefit_import_list_visible_to


class BenefitImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True,
        help_text=_("The spreadsheet's row (the header is row 1); null for the file as a whole."),
    )
    column = serializers.CharField(
        help_text=_("The column's label in the uploader's language; blank for the file as a whole.")
    )
    message = serializers.CharField()


class BenefitImportReportSerializer(serializers.Serializer):
    errors = BenefitImportErrorSerializer(many=True)
    create = serializers.IntegerField(help_text=_("Rows that record a new benefit."))
    update = serializers.IntegerField(help_text=_("Rows that change a recorded benefit."))
    unchanged = serializers.IntegerField(help_text=_("Rows already as recorded."))
    language = serializers.CharField(help_text=_("The language the report is written in."))


class BenefitImportSerializer(serializers.ModelSerializer):
    """One uploaded spreadsheet of benefits and its report (`checked`: ready to import; `refused`:
    rows with errors)."""

    report = BenefitImportReportSerializer(read_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    imported_by = serializers.CharField(source="imported_by.username", read_only=True, allow_null=True)

    class Meta:
        model = BenefitImport
        fields = [
            "id",
            "file_name",
            "sha256",
            "state",
            "row_count",
            "report",
            "bureau",
            "uploaded_by",
            "uploaded_at",
            "imported_by",
            "imported_at",
        ]
        read_only_fields = fields


class BenefitImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("An .xlsx or .csv file; the columns are in docs/benefit-import.md.")
    )


class BenefitImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Spreadsheets of benefits received: upload one for its dry run (nothing is written), then
    `apply` it. For bureau staff (their own bureau's benefits), city commissioners and administrators."""

    queryset = BenefitImport.objects.none()  # the real one depends on the user
    serializer_class = BenefitImportSerializer
    permission_classes = [roles_allowed(read=BENEFIT_IMPORTER_ROLES, write=BENEFIT_IMPORTER_ROLES)]
    filter_backends = []
    # An upload is multipart only; a JSON body is a 415.
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        return benefit_import_list_visible_to(user=self.request.user)

    @extend_schema(
        request=BenefitImportUploadSerializer,
        responses={201: BenefitImportSerializer, 413: ErrorResponse413Serializer},
    )
    def create(self, request, *args, **kwargs):
        """The dry run: reads and checks every row; `state` says whether the file may be applied."""
        upload = BenefitImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        benefit_import = imports.benefit_import_upload(
            actor=request.user, upload=upload.validated_data["file"]
        )
        return Response(self.get_serializer(benefit_import).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: BenefitImportSerializer, 409: ErrorResponse409Serializer})
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        """Writes a checked import, every row or none; refused (409) if already written, refused by
        its dry run, or no longer doing what its dry run said (the report is rewritten)."""
        try:
            benefit_import = imports.benefit_import_apply(
                actor=request.user, benefit_import=self.get_object()
            )
        except ValidationError as error:
            raise Conflict(error.messages[0]) from error
        return Response(self.get_serializer(benefit_import).data)
