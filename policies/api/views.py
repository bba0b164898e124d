from django.db.models import Prefetch
from rest_framework import viewsets

from commissioners.permissions import roles_allowed
from policies.models import Measure, ResponsibleUnit

from .serializers import MeasureSerializer


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
