"""The routing a case would get: a measure's routing table applied to one of the user's centres.

It lives with the centres because it needs to know which centres the user may see."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from centres.selectors import centre_list_visible_to
from commissioners.permissions import roles_allowed
from core.errors import Conflict
from core.openapi import ErrorResponse409Serializer
from policies.api.serializers import RoutedBureauSerializer, RoutingQuerySerializer
from policies.models import Measure
from policies.routing import RoutingError, measure_routing


class MeasureRoutingView(APIView):
    permission_classes = [roles_allowed()]

    @extend_schema(
        operation_id="measures_routing_list",
        parameters=[
            OpenApiParameter(
                "id",
                int,
                OpenApiParameter.PATH,
                description=_("A unique integer value identifying this measure."),
            ),
            OpenApiParameter("centre", int, required=True, description="The centre to route for."),
        ],
        responses={200: RoutedBureauSerializer(many=True), 409: ErrorResponse409Serializer},
    )
    def get(self, request, id: int):
        """The bureaus a case of this measure for this centre goes to, lead first."""
        query = RoutingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        centre = get_object_or_404(
            centre_list_visible_to(user=request.user), pk=query.validated_data["centre"]
        )
        measure = get_object_or_404(Measure, pk=id)
        try:
            routed = measure_routing(
                measure=measure, district_id=centre.district_id, areas=centre.special_areas
            )
        except RoutingError as error:
            raise Conflict(str(error)) from error
        return Response(RoutedBureauSerializer(routed, many=True).data)
