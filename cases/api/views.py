from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.models import Measure, ResponsibleUnit
from cases.routing import RoutingError, measure_routing_for_centre
from centres.selectors import centre_list_visible_to
from commissioners.permissions import roles_allowed
from config.exceptions import Conflict
from config.openapi import ErrorResponse409Serializer

from .serializers import MeasureSerializer, RoutedBureauSerializer, RoutingQuerySerializer


class MeasureViewSet(viewsets.ReadOnlyModelViewSet):
    """The policy catalogue: measures of both programmes with their routing table."""

    queryset = Measure.objects.prefetch_related(
        Prefetch("responsible_units", queryset=ResponsibleUnit.objects.select_related("bureau__district"))
    )
    serializer_class = MeasureSerializer
    permission_classes = [roles_allowed()]
    filterset_fields = ["programme", "is_active", "number"]
    search_fields = ["title_zh", "title_en"]
    ordering_fields = ["programme", "number"]

    @extend_schema(
        parameters=[OpenApiParameter("centre", int, required=True, description="The centre to route for.")],
        responses={200: RoutedBureauSerializer(many=True), 409: ErrorResponse409Serializer},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def routing(self, request, pk=None):
        """The bureaus a case of this measure for this centre goes to, lead first."""
        query = RoutingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        centre = get_object_or_404(
            centre_list_visible_to(user=request.user), pk=query.validated_data["centre"]
        )
        try:
            routed = measure_routing_for_centre(measure=self.get_object(), centre=centre)
        except RoutingError as error:
            raise Conflict(str(error)) from error
        return Response(RoutedBureauSerializer(routed, many=True).data)
