"""The strict filters' own rules, apart from any endpoint: what a boolean is, which day ends a range."""

import datetime

import pytest
from django import forms

from core.filters import StrictBooleanField


@pytest.mark.parametrize(
    ("text", "value"), [("true", True), ("TRUE", True), (" True ", True), ("false", False), ("False", False)]
)
def test_true_and_false_in_any_case(text, value):
    assert StrictBooleanField().clean(text) is value


@pytest.mark.parametrize("text", ["", None])
def test_an_empty_value_is_no_filter(text):
    assert StrictBooleanField().clean(text) is None


@pytest.mark.parametrize("text", ["maybe", "yes", "1", "0", "on", "t"])
def test_anything_else_is_an_error(text):
    with pytest.raises(forms.ValidationError):
        StrictBooleanField().clean(text)


@pytest.mark.django_db
def test_a_boolean_filter_really_filters(client_for, city_commissioner, case_in_state):
    """`?overdue=TRUE` and `?overdue=true` both keep only the overdue case; false keeps the other."""
    from cases.models import Case

    overdue, on_time = case_in_state("dispatched"), case_in_state("dispatched")
    Case.objects.filter(pk=overdue.pk).update(accept_due_on=datetime.date(2020, 1, 2))
    Case.objects.filter(pk=on_time.pk).update(accept_due_on=datetime.date(2099, 1, 2))
    client = client_for(city_commissioner)

    def ids(query):
        return {row["id"] for row in client.get(f"/api/cases/?{query}").json()["results"]}

    assert ids("overdue=true") == ids("overdue=TRUE") == {overdue.pk}
    assert ids("overdue=false") == {on_time.pk}


@pytest.mark.django_db
def test_each_filter_set_has_its_own_filters(xuhui_commissioner, pudong_commissioner):
    """The filters of a request are copies of the declared ones, each bound to its own filter set:
    a `method` filter calls its own filter set's method, on its own queryset."""
    from django.http import QueryDict

    from cases.api.filters import CaseFilter
    from cases.models import Case

    first = CaseFilter(
        QueryDict("overdue=true"), queryset=Case.objects.filter(district=xuhui_commissioner.district)
    )
    second = CaseFilter(QueryDict("overdue=false"), queryset=Case.objects.none())

    for name, declared in CaseFilter.base_filters.items():
        assert first.filters[name] is not declared and first.filters[name] is not second.filters[name]
        assert first.filters[name].parent is first and second.filters[name].parent is second
        assert not hasattr(declared, "parent")
    assert first.filters["overdue"].filter.f is first.filters["overdue"]
    assert first.is_valid() and second.is_valid()
    assert "current_due_on" in str(first.qs.query) and "NOT" not in str(first.qs.query).split("WHERE")[1]
    assert "NOT" in str(second.filter_queryset(Case.objects.all()).query)
