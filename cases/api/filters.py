import django_filters
from django.db.models import Exists, OuterRef

from cases.models import Assignment, Case, CaseState, Urgency
from cases.selectors import overdue_condition


class CaseFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=CaseState.choices)
    measure = django_filters.NumberFilter(field_name="measure_id")
    measure_number = django_filters.NumberFilter(field_name="measure__number")
    bureau = django_filters.CharFilter(
        method="filter_bureau", label="Bureau code (current lead or co-handling)"
    )
    lead_bureau = django_filters.CharFilter(field_name="lead_bureau__code")
    district = django_filters.CharFilter(field_name="district__code")
    centre = django_filters.NumberFilter(field_name="centre_id")
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices)
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    confidential = django_filters.BooleanFilter(field_name="is_confidential")
    supervised = django_filters.BooleanFilter(field_name="is_supervised")
    created_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")
    due_after = django_filters.DateFilter(field_name="answer_due_on", lookup_expr="gte")
    due_before = django_filters.DateFilter(field_name="answer_due_on", lookup_expr="lte")

    class Meta:
        model = Case
        fields = []

    def filter_bureau(self, queryset, name, value):
        on_bureau = Assignment.objects.filter(case=OuterRef("pk"), bureau__code=value, is_current=True)
        return queryset.filter(Exists(on_bureau))

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_condition()) if value else queryset.exclude(overdue_condition())
