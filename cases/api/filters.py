import django_filters
from django.db.models import Exists, OuterRef, Q

from cases.models import Assignment, Case, CaseState, Satisfaction, Urgency
from cases.selectors import appeal_pending, extension_pending, overdue_condition
from commissioners.models import Bureau, District
from core.filters import DayOnOrAfterFilter, DayOnOrBeforeFilter, StrictBooleanFilter, StrictFilterSet
from core.time import local_today
from policies.models import Measure, Programme

# Codes and numbers are resolved to ids first, so the case table is filtered on its own
# indexed columns instead of being joined to the small reference tables.


class CaseFilter(StrictFilterSet):
    state = django_filters.MultipleChoiceFilter(choices=CaseState.choices, distinct=False)
    measure = django_filters.NumberFilter(field_name="measure_id")
    measure_number = django_filters.NumberFilter(method="filter_measure_number")
    bureau = django_filters.CharFilter(
        method="filter_bureau", label="Bureau code (current lead or co-handling)"
    )
    lead_bureau = django_filters.CharFilter(method="filter_lead_bureau")
    district = django_filters.CharFilter(method="filter_district")
    centre = django_filters.NumberFilter(field_name="centre_id")
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices)
    overdue = StrictBooleanFilter(method="filter_overdue")
    confidential = StrictBooleanFilter(field_name="is_confidential")
    supervised = StrictBooleanFilter(field_name="is_supervised")
    # The city's work: returns waiting for a ruling, appeals waiting for a decision, cases excluded.
    return_pending = StrictBooleanFilter(field_name="return_pending")
    appeal_pending = StrictBooleanFilter(method="filter_appeal_pending")
    extension_pending = StrictBooleanFilter(method="filter_extension_pending")
    excluded = StrictBooleanFilter(field_name="excluded_from_rates")
    triage_overdue = StrictBooleanFilter(method="filter_triage_overdue")
    created_after = DayOnOrAfterFilter(field_name="created_at")
    created_before = DayOnOrBeforeFilter(field_name="created_at")
    due_after = django_filters.DateFilter(field_name="answer_due_on", lookup_expr="gte")
    due_before = django_filters.DateFilter(field_name="answer_due_on", lookup_expr="lte")
    # The dashboards' drill-downs: the cases behind a figure counted by when something happened.
    answered_after = DayOnOrAfterFilter(field_name="answered_at")
    answered_before = DayOnOrBeforeFilter(field_name="answered_at")
    callback_after = DayOnOrAfterFilter(field_name="callback_at")
    callback_before = DayOnOrBeforeFilter(field_name="callback_at")
    closed_after = DayOnOrAfterFilter(field_name="closed_at")
    closed_before = DayOnOrBeforeFilter(field_name="closed_at")
    resolved = StrictBooleanFilter(field_name="callback_resolved")
    satisfaction = django_filters.MultipleChoiceFilter(
        field_name="callback_satisfaction", choices=Satisfaction.choices, distinct=False
    )

    class Meta:
        model = Case
        fields = []

    def filter_bureau(self, queryset, name, value):
        bureau_id = _id_for(Bureau, value)
        on_bureau = Assignment.objects.filter(case=OuterRef("pk"), bureau_id=bureau_id, is_current=True)
        return queryset.filter(Exists(on_bureau))

    def filter_lead_bureau(self, queryset, name, value):
        return queryset.filter(lead_bureau_id=_id_for(Bureau, value))

    def filter_district(self, queryset, name, value):
        return queryset.filter(district_id=_id_for(District, value))

    def filter_measure_number(self, queryset, name, value):
        measure_ids = Measure.objects.filter(programme=Programme.SHANGHAI_2024, number=value).values_list(
            "pk", flat=True
        )
        return queryset.filter(measure_id__in=list(measure_ids))

    def filter_appeal_pending(self, queryset, name, value):
        return queryset.filter(appeal_pending()) if value else queryset.exclude(appeal_pending())

    def filter_extension_pending(self, queryset, name, value):
        return queryset.filter(extension_pending()) if value else queryset.exclude(extension_pending())

    def filter_triage_overdue(self, queryset, name, value):
        late = Q(state=CaseState.SUBMITTED, triage_due_on__lt=local_today())
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_condition()) if value else queryset.exclude(overdue_condition())


def _id_for(model, code: str) -> int | None:
    """The id of the row with this code; None (matching nothing) for an unknown code."""
    return model.objects.filter(code=code).values_list("pk", flat=True).first()
