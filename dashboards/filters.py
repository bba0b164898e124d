"""The filters a manager sets on the case figures, read from the query string and checked."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from commissioners.models import Bureau, District
from core.parsers import NULL_CHARACTER
from policies.models import Measure

from .access import DashboardScope

URGENCIES = ("normal", "urgent")


def read_param(params, name: str) -> str:
    """A query parameter, stripped; empty when absent. PostgreSQL text cannot hold NUL: a 400."""
    value = (params.get(name) or "").strip()
    if "\x00" in value:
        raise ValidationError({name: [NULL_CHARACTER]})
    return value


@dataclass(frozen=True)
class FigureFilters:
    """Narrowing of the case figures; None leaves a dimension open. The district is already scoped."""

    district_id: int | None = None
    bureau_id: int | None = None
    measure_id: int | None = None
    urgency: str | None = None

    def as_dict(self, *, district_code: str | None, bureau_code: str | None) -> dict:
        return {
            "district": district_code,
            "bureau": bureau_code,
            "measure": self.measure_id,
            "urgency": self.urgency,
        }


def _code_to_id(model, code: str, field: str) -> int:
    found = model.objects.filter(code=code).values_list("pk", flat=True).first()
    if found is None:
        raise ValidationError({field: [_("No such code: %(code)s.") % {"code": code}]})
    return found


def district_id_from_params(params, *, scope: DashboardScope) -> int | None:
    """The district asked for, inside the user's scope: a district's manager always gets their own."""
    code = read_param(params, "district")
    return scope.narrowed_to(_code_to_id(District, code, "district") if code else None).district_id


def figure_filters_from_params(params, *, scope: DashboardScope) -> FigureFilters:
    bureau_code = read_param(params, "bureau")
    measure = read_param(params, "measure")
    urgency = read_param(params, "urgency") or None
    measure_id = None
    if measure:
        if not measure.isdigit() or not Measure.objects.filter(pk=int(measure)).exists():
            raise ValidationError({"measure": [_("No such measure: %(measure)s.") % {"measure": measure}]})
        measure_id = int(measure)
    if urgency is not None and urgency not in URGENCIES:
        raise ValidationError(
            {"urgency": [_("Urgency is one of: %(choices)s.") % {"choices": ", ".join(URGENCIES)}]}
        )
    return FigureFilters(
        district_id=district_id_from_params(params, scope=scope),
        bureau_id=_code_to_id(Bureau, bureau_code, "bureau") if bureau_code else None,
        measure_id=measure_id,
        urgency=urgency,
    )
