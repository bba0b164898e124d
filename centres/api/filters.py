import django_filters
from django.db.models import Q
from django.utils import timezone

from centres.models import Centre, FollowUp, GuidanceClass
from core.filters import StrictBooleanFilter, StrictFilterSet


class CentreFilter(StrictFilterSet):
    district = django_filters.CharFilter(field_name="district__code")
    research_field = django_filters.CharFilter(field_name="research_fields__code", distinct=True)
    min_full_time_rd_staff = django_filters.NumberFilter(field_name="full_time_rd_staff", lookup_expr="gte")
    recognised_after = django_filters.DateFilter(field_name="recognised_on", lookup_expr="gte")
    recognised_before = django_filters.DateFilter(field_name="recognised_on", lookup_expr="lte")
    guidance_class = django_filters.ChoiceFilter(choices=GuidanceClass.choices)
    last_contacted_before = django_filters.DateFilter(field_name="last_contacted_on", lookup_expr="lte")
    last_contacted_after = django_filters.DateFilter(field_name="last_contacted_on", lookup_expr="gte")
    next_contact_due_before = django_filters.DateFilter(field_name="next_contact_due", lookup_expr="lte")
    next_contact_due_after = django_filters.DateFilter(field_name="next_contact_due", lookup_expr="gte")

    class Meta:
        model = Centre
        fields = [
            "district",
            "centre_type",
            "status",
            "in_free_trade_zone",
            "in_lingang",
            "in_zhangjiang",
            "parent_country",
            "commissioner",
            "research_field",
            "guidance_class",
        ]


class FollowUpFilter(StrictFilterSet):
    open = StrictBooleanFilter(field_name="closed_at", lookup_expr="isnull", label="Open")
    overdue = StrictBooleanFilter(method="filter_overdue")
    mine = StrictBooleanFilter(method="filter_mine", label="Assigned to me")
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")

    class Meta:
        model = FollowUp
        fields = ["kind", "centre", "case"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(closed_at__isnull=True, due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_mine(self, queryset, name, value):
        mine = Q(assignee=self.request.user)
        return queryset.filter(mine) if value else queryset.exclude(mine)
