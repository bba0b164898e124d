from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from assessments import services
from assessments.models import Assessment, AssessmentCycle, AssessmentEvent, Finding
from assessments.selectors import (
    assessment_cycle_list_visible_to,
    assessment_list_visible_to,
    finding_list_visible_to,
)
from commissioners.models import Role
from commissioners.permissions import roles_allowed
from core.openapi import ErrorResponse409Serializer, ErrorResponse412Serializer
from core.spreadsheets import XLSX_CONTENT_TYPE
from core.versioning import IF_MATCH, expected_version, with_version

from . import exports
from .filters import AssessmentFilter, FindingFilter
from .serializers import (
    AssessmentCycleSerializer,
    AssessmentNoteSerializer,
    AssessmentReturnSerializer,
    AssessmentSerializer,
    FindingOutcomeSerializer,
    FindingSerializer,
)

ASSESSMENT_WRITERS = {Role.DISTRICT_COMMISSIONER, Role.CITY_COMMISSIONER}


class AssessmentCycleViewSet(viewsets.ReadOnlyModelViewSet):
    """Assessment cycles (administrators define them in the admin); each exports its results."""

    queryset = AssessmentCycle.objects.none()  # the real one depends on the user
    serializer_class = AssessmentCycleSerializer
    permission_classes = [roles_allowed()]
    ordering_fields = ["period_end", "opens_on", "due_on"]

    def get_queryset(self):
        return assessment_cycle_list_visible_to(user=self.request.user)

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="One row per assessment."),
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description="The same as a workbook."
            ),
        }
    )
    @action(detail=True, url_path="export/(?P<file_type>csv|xlsx)")
    def export(self, request, pk=None, file_type="csv"):
        """The cycle's results, one row per assessment the user may see, as CSV or XLSX."""
        cycle = self.get_object()
        visible = assessment_list_visible_to(user=request.user).filter(cycle=cycle)
        respond = exports.csv_response if file_type == "csv" else exports.xlsx_response
        return respond(cycle=cycle, assessments=visible)


class AssessmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Development assessments, as far as the user's role and district let them see.

    The district commissioner fills one in (PATCH) and submits it; a city commissioner
    returns it for correction or reviews it, which classifies the centre and routes findings."""

    queryset = Assessment.objects.none()  # the real one depends on the user
    serializer_class = AssessmentSerializer
    permission_classes = [roles_allowed(write=ASSESSMENT_WRITERS)]
    filterset_class = AssessmentFilter
    search_fields = ["centre__name_zh", "centre__name_en"]
    ordering_fields = ["score", "state", "submitted_at", "reviewed_at"]
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self):
        return (
            assessment_list_visible_to(user=self.request.user)
            .select_related("cycle", "centre", "district")
            .prefetch_related(
                "problems__measure",
                Prefetch("events", queryset=AssessmentEvent.objects.select_related("actor")),
            )
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    @extend_schema(
        parameters=[IF_MATCH],
        responses={
            200: AssessmentSerializer,
            409: ErrorResponse409Serializer,
            412: ErrorResponse412Serializer,
        },
    )
    def partial_update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        problems = fields.pop("problems", None)
        assessment = services.assessment_update(
            assessment=serializer.instance,
            actor=request.user,
            problems=problems,
            expected_version=expected_version(request),
            **fields,
        )
        return self._read(assessment)

    @extend_schema(responses={200: AssessmentSerializer, 409: ErrorResponse409Serializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._read(services.assessment_submit(assessment=self.get_object(), actor=request.user))

    @extend_schema(responses={200: AssessmentSerializer, 409: ErrorResponse409Serializer})
    @action(detail=True, methods=["post"], url_path="return", serializer_class=AssessmentReturnSerializer)
    def return_for_correction(self, request, pk=None):
        serializer = AssessmentReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assessment = services.assessment_return(
            assessment=self.get_object(), actor=request.user, reason=serializer.validated_data["reason"]
        )
        return self._read(assessment)

    @extend_schema(responses={200: AssessmentSerializer, 409: ErrorResponse409Serializer})
    @action(detail=True, methods=["post"], serializer_class=AssessmentNoteSerializer)
    def review(self, request, pk=None):
        serializer = AssessmentNoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assessment = services.assessment_review(
            assessment=self.get_object(), actor=request.user, note=serializer.validated_data["note"]
        )
        return self._read(assessment)

    def retrieve(self, request, *args, **kwargs):
        assessment = self.get_object()
        return with_version(Response(self.get_serializer(assessment).data), assessment)

    def _read(self, assessment):
        current = self.get_queryset().get(pk=assessment.pk)
        return with_version(
            Response(AssessmentSerializer(current, context=self.get_serializer_context()).data), current
        )


class FindingViewSet(viewsets.ReadOnlyModelViewSet):
    """What reviewed assessments route to the responsible bureaus; the addressed bureau marks
    each acknowledged or acted on, with a note."""

    queryset = Finding.objects.none()  # the real one depends on the user
    serializer_class = FindingSerializer
    permission_classes = [
        roles_allowed(write={Role.BUREAU_STAFF, Role.DISTRICT_COMMISSIONER, Role.CITY_COMMISSIONER})
    ]
    filterset_class = FindingFilter
    ordering_fields = ["created_at", "status"]

    def get_queryset(self):
        return finding_list_visible_to(user=self.request.user).select_related(
            "assessment__cycle", "assessment__centre", "assessment__district", "measure", "bureau"
        )

    @extend_schema(responses={200: FindingSerializer, 409: ErrorResponse409Serializer})
    @action(detail=True, methods=["post"], serializer_class=AssessmentNoteSerializer)
    def acknowledge(self, request, pk=None):
        return self._handle(request, Finding.Status.ACKNOWLEDGED)

    @extend_schema(responses={200: FindingSerializer, 409: ErrorResponse409Serializer})
    @action(detail=True, methods=["post"], url_path="acted-on", serializer_class=AssessmentNoteSerializer)
    def acted_on(self, request, pk=None):
        return self._handle(request, Finding.Status.ACTED_ON)

    @extend_schema(
        request=FindingOutcomeSerializer, responses={200: FindingSerializer, 409: ErrorResponse409Serializer}
    )
    @action(detail=True, methods=["post"], serializer_class=FindingOutcomeSerializer)
    def outcome(self, request, pk=None):
        """What became of an eligibility (briefed, applied, granted, not interested, not eligible
        after all): recorded once by the addressed bureau, the centre's district commissioner or a
        city commissioner, it closes the finding and stops its clock."""
        serializer = FindingOutcomeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        finding = services.finding_record_outcome(
            finding=self.get_object(), actor=request.user, **serializer.validated_data
        )
        return Response(FindingSerializer(get_object_or_404(self.get_queryset(), pk=finding.pk)).data)

    def _handle(self, request, status):
        serializer = AssessmentNoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        finding = services.finding_handle(
            finding=self.get_object(),
            actor=request.user,
            status=status,
            note=serializer.validated_data["note"],
        )
        return Response(FindingSerializer(get_object_or_404(self.get_queryset(), pk=finding.pk)).data)
