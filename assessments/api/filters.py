import django_filters
from django.db.models import Q
from django.utils import timezone

from assessments.models import Assessment, Finding
from core.filters import StrictBooleanFilter, StrictFilterSet


class AssessmentFilter(StrictFilterSet):
    district = django_filters.CharFilter(field_name="district__code")
    overdue = StrictBooleanFilter(method="filter_overdue", label="Not submitted by the cycle's due date")
    mine = StrictBooleanFilter(method="filter_mine", label="Assigned to me")

    class Meta:
        model = Assessment
        fields = ["cycle", "centre", "district", "state", "guidance_class"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(
            state__in=[Assessment.State.OPEN, Assessment.State.RETURNED],
            cycle__due_on__lt=timezone.localdate(),
        )
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_mine(self, queryset, name, value):
        return queryset.filter(assignee=self.request.user) if value else queryset


class FindingFilter(StrictFilterSet):
    cycle = django_filters.NumberFilter(field_name="assessment__cycle_id")
    centre = django_filters.NumberFilter(field_name="assessment__centre_id")
    bureau = django_filters.CharFilter(field_name="bureau__code")
    measure_number = django_filters.NumberFilter(field_name="measure__number")

    class Meta:
        model = Finding
        fields = ["cycle", "centre", "bureau", "status", "rule", "measure_number", "outcome"]
