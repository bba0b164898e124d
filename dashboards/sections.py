"""What each dashboard section shows for a request: the user's scope and filters applied to the selectors."""

from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException, ValidationError

from commissioners.models import Bureau, District
from dashboards.case_figures import RANK_KEYS, case_figures, rankings
from dashboards.centre_figures import assessment_results, contact_coverage

from .access import DashboardScope, dashboard_scope_for
from .filters import FigureFilters, district_id_from_params, figure_filters_from_params, read_param
from .periods import Period, period_from_params


class NeedsPostgreSQL(APIException):
    status_code = 503
    default_code = "needs_postgresql"

    def __init__(self):
        super().__init__(
            _(
                "The dashboards' figures are kept by PostgreSQL triggers; this server runs on another database."
            )
        )


def _require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise NeedsPostgreSQL


@dataclass(frozen=True)
class DashboardRequest:
    """A dashboard request read once: period, filters and the district the user may see."""

    period: Period
    filters: FigureFilters
    scope: DashboardScope

    @classmethod
    def from_params(cls, params, *, user) -> "DashboardRequest":
        _require_postgresql()
        user_scope = dashboard_scope_for(user=user)
        filters = figure_filters_from_params(params, scope=user_scope)
        return cls(
            period=period_from_params(params),
            filters=filters,
            scope=DashboardScope(district_id=filters.district_id),
        )

    def header(self) -> dict:
        district = (
            District.objects.filter(pk=self.filters.district_id).first() if self.filters.district_id else None
        )
        bureau = Bureau.objects.filter(pk=self.filters.bureau_id).first() if self.filters.bureau_id else None
        return {
            "period": self.period.as_dict(),
            "scope": {"district": {"code": district.code, "label": district.name} if district else None},
            "filters": self.filters.as_dict(
                district_code=district.code if district else None, bureau_code=bureau.code if bureau else None
            ),
        }


def cases_section(request: DashboardRequest) -> dict:
    return {**request.header(), **case_figures(period=request.period, filters=request.filters)}


def rankings_section(request: DashboardRequest, params) -> dict:
    rank_by = read_param(params, "rank_by") or "score"
    if rank_by not in RANK_KEYS:
        raise ValidationError({"rank_by": [_("Rank by one of: %(keys)s.") % {"keys": ", ".join(RANK_KEYS)}]})
    return {
        **request.header(),
        **rankings(period=request.period, filters=request.filters, rank_by=rank_by),
    }


def _district_scope(params, user) -> DashboardScope:
    return DashboardScope(district_id=district_id_from_params(params, scope=dashboard_scope_for(user=user)))


def contacts_section(params, *, user) -> dict:
    return contact_coverage(scope=_district_scope(params, user))


def assessments_section(params, *, user) -> dict:
    _require_postgresql()
    cycle = read_param(params, "cycle")
    if cycle and not cycle.isdigit():
        raise ValidationError({"cycle": [_("A cycle is given by its number.")]})
    return assessment_results(scope=_district_scope(params, user), cycle_id=int(cycle) if cycle else None)
