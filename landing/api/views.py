"""The policy landing API: briefings, campaigns, benefits, a centre's landing and the funnel."""

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from cases.api.case_views import attachment_download
from centres.selectors import centre_list_visible_to
from commissioners.models import Role
from commissioners.permissions import roles_allowed
from core import spreadsheets
from core.filters import StrictFilterSet
from core.openapi import ErrorResponse412Serializer
from core.versioning import IF_MATCH, expected_version, with_version
from landing import selectors, services
from landing.models import Benefit, BenefitStatus, Briefing, BriefingCampaign, BriefingFormat

from . import serializers as s

WRITERS = {Role.DISTRICT_COMMISSIONER, Role.CITY_COMMISSIONER, Role.BUREAU_STAFF}
# What a briefing's answer shows with it, read in one query each.
BRIEFING_PARTS = ("measures", "centres", "questions", "materials")


class BriefingFilter(StrictFilterSet):
    centre = django_filters.NumberFilter(field_name="centres", distinct=True)
    measure = django_filters.NumberFilter(field_name="measures", distinct=True)
    format = django_filters.ChoiceFilter(choices=BriefingFormat.choices)
    held_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte")
    held_before = django_filters.DateFilter(field_name="held_on", lookup_expr="lte")

    class Meta:
        model = Briefing
        fields = ["centre", "measure", "format", "bureau", "district"]


class BriefingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Policy briefings (政策宣讲): one record for every centre that attended, the measures it
    covered, the questions raised and the materials handed out."""

    queryset = Briefing.objects.none()
    serializer_class = s.BriefingSerializer
    permission_classes = [roles_allowed(write=WRITERS)]
    filterset_class = BriefingFilter
    search_fields = ["title", "notes"]
    ordering = ["-held_on", "-id"]
    ordering_fields = ["held_on", "created_at"]

    def get_queryset(self):
        return (
            selectors.briefing_list_visible_to(user=self.request.user)
            .select_related("given_by")
            .prefetch_related(*BRIEFING_PARTS)
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        briefing = services.briefing_record(
            actor=request.user,
            held_on=data["held_on"],
            format=data["format"],
            title=data["title"],
            measures=data["measures"],
            centres=data["centres"],
            notes=data.get("notes", ""),
            questions=data.get("questions", []),
        )
        # Read back without the visibility filter: a bureau's briefing of centres it cannot see is still its own.
        current = Briefing.objects.prefetch_related(*BRIEFING_PARTS).get(pk=briefing.pk)
        return Response(self.get_serializer(current).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["POST"],
        request=s.BriefingMaterialUploadSerializer,
        responses={201: s.BriefingMaterialSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        pagination_class=None,
        parser_classes=[MultiPartParser],
    )
    def materials(self, request, pk=None):
        """A document handed out at the briefing (multipart; type, size and content are checked)."""
        briefing = self.get_object()
        upload = s.BriefingMaterialUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        material = services.briefing_add_material(
            briefing=briefing, actor=request.user, upload=upload.validated_data["file"]
        )
        return Response(s.BriefingMaterialSerializer(material).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(
        detail=True,
        methods=["get"],
        url_path=r"materials/(?P<material_id>[0-9]+)",
        filter_backends=[],
        pagination_class=None,
    )
    def download_material(self, request, pk=None, material_id=None):
        return attachment_download(get_object_or_404(self.get_object().materials, pk=material_id))

    @extend_schema(request=s.QuestionToCaseSerializer, responses={201: s.QuestionLoggedSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"questions/(?P<question_id>[0-9]+)/log-case",
        filter_backends=[],
        pagination_class=None,
    )
    def log_question_as_case(self, request, pk=None, question_id=None):
        """The centre's district commissioner logs a question raised at the briefing as a case."""
        question = get_object_or_404(self.get_object().questions, pk=question_id)
        body = s.QuestionToCaseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = services.briefing_question_log_case(
            question=question, actor=request.user, **body.validated_data
        )
        return Response({"question": question.pk, "case": case.pk}, status=status.HTTP_201_CREATED)


class CampaignViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Briefing campaigns: a measure, the centres aimed at, a period; and how far it has come
    (centres briefed on the measure within the period, of those the user sees, per district)."""

    queryset = BriefingCampaign.objects.none()
    serializer_class = s.BriefingCampaignSerializer
    permission_classes = [
        roles_allowed(
            read={Role.DISTRICT_COMMISSIONER, Role.CITY_COMMISSIONER, Role.MANAGER, Role.ADMINISTRATOR},
            write={Role.CITY_COMMISSIONER},
        )
    ]
    filterset_fields = ["measure", "centre_type"]
    ordering = ["due_on", "id"]
    ordering_fields = ["due_on", "starts_on"]

    def get_queryset(self):
        return selectors.campaign_list_visible_to(user=self.request.user)

    def get_serializer_context(self):
        user = self.request.user
        return {
            **super().get_serializer_context(),
            "progress": lambda c: selectors.campaign_progress(campaign=c, user=user),
        }

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        campaign = services.campaign_create(
            actor=request.user, **{"centre_type": "", **serializer.validated_data}
        )
        return Response(self.get_serializer(campaign).data, status=status.HTTP_201_CREATED)


class BenefitFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=BenefitStatus.choices)

    class Meta:
        model = Benefit
        fields = ["centre", "measure", "status", "granting_bureau"]


class BenefitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Benefits (政策落地): what a centre applied for and received under a measure, from
    considering it to the bureau's decision. Districts see their centres', bureaus those they grant."""

    queryset = Benefit.objects.none()
    serializer_class = s.BenefitSerializer
    permission_classes = [roles_allowed(write=WRITERS)]
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = BenefitFilter
    search_fields = ["title", "note"]
    ordering = ["-created_at", "-id"]
    ordering_fields = ["created_at", "decided_on", "amount"]

    def get_queryset(self):
        return selectors.benefit_list_visible_to(user=self.request.user)

    def retrieve(self, request, *args, **kwargs):
        benefit = self.get_object()
        return with_version(Response(self.get_serializer(benefit).data), benefit)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("reason", None)
        benefit = services.benefit_record(actor=request.user, **data)
        return with_version(
            Response(self.get_serializer(benefit).data, status=status.HTTP_201_CREATED), benefit
        )

    @extend_schema(
        parameters=[IF_MATCH], responses={200: s.BenefitSerializer, 412: ErrorResponse412Serializer}
    )
    def partial_update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        benefit = services.benefit_update(
            benefit=serializer.instance,
            actor=request.user,
            reason=data.pop("reason", ""),
            expected_version=expected_version(request),
            **data,
        )
        benefit.refresh_from_db()
        return with_version(Response(self.get_serializer(benefit).data), benefit)


class CentreLandingView(generics.GenericAPIView):
    """What reached one centre: the measures it was briefed on (how often, when last) and its
    benefits (those the user may see)."""

    serializer_class = s.CentreLandingSerializer
    permission_classes = [roles_allowed()]
    pagination_class = None
    filter_backends = []

    def get(self, request, pk: int):
        centre = get_object_or_404(centre_list_visible_to(user=request.user), pk=pk)
        benefits = selectors.benefit_list_visible_to(user=request.user).filter(centre=centre)
        data = {"briefed_measures": selectors.centre_briefed_measures(centre=centre), "benefits": benefits}
        return Response(s.CentreLandingSerializer(data, context=self.get_serializer_context()).data)


class LandingFunnelView(generics.GenericAPIView):
    """Per measure, over the active centres the user sees: centres an eligibility finding named,
    centres briefed on it, centres that applied, centres granted it."""

    serializer_class = s.FunnelRowSerializer
    permission_classes = [
        roles_allowed(
            read={Role.CITY_COMMISSIONER, Role.MANAGER, Role.ADMINISTRATOR, Role.DISTRICT_COMMISSIONER}
        )
    ]
    pagination_class = None
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.DATE,
                description="Briefings held and benefits entered on or after this day.",
            ),
            OpenApiParameter("until", OpenApiTypes.DATE, description="... on or before this day."),
        ],
        responses={200: s.FunnelRowSerializer(many=True)},
    )
    def get(self, request):
        period = s.FunnelPeriodSerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        rows = selectors.landing_funnel(user=request.user, **period.validated_data)
        return Response(s.FunnelRowSerializer(rows, many=True).data)


COVERAGE_HEADER = [
    _("programme"),
    _("measure"),
    _("district"),
    _("active centres"),
    _("briefed"),
    _("eligible"),
    _("eligible and briefed"),
]
FIGURE_READERS = {Role.CITY_COMMISSIONER, Role.MANAGER, Role.ADMINISTRATOR, Role.DISTRICT_COMMISSIONER}
PERIOD = [
    OpenApiParameter("since", OpenApiTypes.DATE, description="Briefings held on or after this day."),
    OpenApiParameter("until", OpenApiTypes.DATE, description="Briefings held on or before this day."),
]


class BriefingCoverageView(generics.GenericAPIView):
    """Briefing coverage per measure and district, over the active centres the user sees: the
    centres, those briefed on the measure, those an eligibility finding named for it, and those
    of them briefed (the share briefed is `briefed / active_centres`, or of the eligible ones)."""

    serializer_class = s.CoverageRowSerializer
    permission_classes = [roles_allowed(read=FIGURE_READERS)]
    pagination_class = None
    filter_backends = []

    def _rows(self, request) -> list[dict]:
        period = s.FunnelPeriodSerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        return selectors.briefing_coverage(user=request.user, **period.validated_data)

    @extend_schema(parameters=PERIOD, responses={200: s.CoverageRowSerializer(many=True)})
    def get(self, request):
        return Response(s.CoverageRowSerializer(self._rows(request), many=True).data)


class BriefingCoverageCsvView(BriefingCoverageView):
    @extend_schema(parameters=PERIOD, responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def get(self, request):
        """The same rows as CSV."""
        rows = self._rows(request)
        table = spreadsheets.Table(
            title=str(_("Briefing coverage")),
            header=[str(label) for label in COVERAGE_HEADER],
            rows=[
                [
                    row["programme"],
                    row["number"],
                    row["district"],
                    row["active_centres"],
                    row["briefed"],
                    row["eligible"],
                    row["eligible_briefed"],
                ]
                for row in rows
            ],
        )
        return spreadsheets.csv_response(table=table, filename="briefing-coverage.csv")
