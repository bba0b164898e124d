"""List filters that refuse what they do not understand: a 400 naming the parameter, never a
silently ignored value that returns every row."""

import copy
import datetime
from typing import ClassVar

import django_filters
from django import forms
from django.db import models
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_filters.filters import QuerySetRequestMixin
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from .time import start_of_day

GIVE_TRUE_OR_FALSE = _("Give true or false.")
UNKNOWN_ORDERING = _("Cannot order by “%(term)s”; order by one of: %(fields)s.")


class StrictBooleanField(forms.Field):
    """`true` or `false` (any case); empty means no filter; anything else is an error."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word == "true":
            return True
        if word == "false":
            return False
        raise forms.ValidationError(GIVE_TRUE_OR_FALSE, code="invalid")

    def validate(self, value):
        # None is "no filter", never "required".
        return


class StrictBooleanFilter(django_filters.BooleanFilter):
    # A BooleanFilter still, so the schema documents it as a boolean.
    field_class = StrictBooleanField


class DayOnOrBeforeFilter(django_filters.DateFilter):
    """A timestamp on or before a whole day in Shanghai: before the start of the next day. The last
    day of the calendar has no next day, so it excludes nothing."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        if value == datetime.date.max:
            return qs.filter(**{f"{self.field_name}__isnull": False})
        next_day = start_of_day(value + datetime.timedelta(days=1))
        return qs.filter(**{f"{self.field_name}__lt": next_day})


class DayOnOrAfterFilter(django_filters.DateFilter):
    """A timestamp on or after the start of a whole day in Shanghai."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(**{f"{self.field_name}__gte": start_of_day(value)})


class StrictFilterSet(django_filters.FilterSet):
    """Generated filters for boolean model fields take true or false only.

    Its form class is built once per filter set and language, not for every request (a list's
    largest share of CPU after its serializer): a form's fields depend only on the filters'
    declarations, unless a filter's choices come from the request, and then it is built each time."""

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
        models.NullBooleanField: {"filter_class": StrictBooleanFilter},
    }

    _form_classes: ClassVar[dict[tuple[type, str | None], type[forms.Form]]] = {}

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django-filter 26.2's own __init__, but for its deep copy of every declared filter
        # for every request, choices and arguments too: most of a list's filtering CPU. A request's
        # filters need only their own model and parent, and a `method` filter its own proxy to the
        # parent's method; what they share of the declaration is never written to.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: copy.copy(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model, filter_.parent = queryset.model, self
            if filter_.method is not None:
                filter_.method = filter_.method  # a FilterMethod of this copy, not of the declared filter

    def get_form_class(self):
        if any(isinstance(filter_, QuerySetRequestMixin) for filter_ in self.base_filters.values()):
            return super().get_form_class()
        key = (type(self), translation.get_language())
        form_class = StrictFilterSet._form_classes.get(key)
        if form_class is None:
            form_class = StrictFilterSet._form_classes[key] = super().get_form_class()
        return form_class


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter for the API, with the strict boolean filter for `filterset_fields` too."""

    filterset_base = StrictFilterSet


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=` with a field it cannot order by is a 400 that lists the ones it can. A client's
    ordering ends with the id, so rows that tie (two centres due the same day) keep their places
    from one page to the next."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        asked = ordering and request.query_params.get(self.ordering_param)
        if asked and not {"pk", "-pk", "id", "-id"} & set(ordering):
            ordering = [*ordering, "pk"]
        return ordering

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid_fields = [item[0] for item in self.get_valid_fields(queryset, view, {"request": request})]
        for term in fields:
            if term.removeprefix("-") not in valid_fields:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            UNKNOWN_ORDERING % {"term": term[:100], "fields": ", ".join(valid_fields)}
                        ]
                    }
                )
        return fields
