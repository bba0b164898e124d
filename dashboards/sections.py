"""What each dashboard section shows for a request: the user's scope and filters applied to the selectors."""

import datetime
import re
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError

from cases.models import Case, PolicyIssueState
from cases.selectors import open_policy_issues_by_age
from commissioners.models import Bureau, District
from dashboards.case_figures import RANK_KEYS, case_figures, rankings
from dashboards.centre_figures import assessment_results, contact_coverage
from dashboards.fairness import fairness
from landing.selectors import briefing_coverage, landing_funnel
from policies.models import Measure

from .access import DashboardScope, dashboard_scope_for
from .filters import FigureFilters, district_id_from_params, figure_filters_from_params, read_param
from .models import UnitKind
from .periods import Period, month_from_params, month_just_ended, period_from_params
from .published import BOTH, published_beside_live, published_ranking, unit_cases, unit_in_ranking
from .rates import Rate

# Which side of a published ranking a request asks for; absent: both, side by side.
SOURCES = ("published", "live")
# A drill-down's pages; more than this many pages of one unit's cases in one month is a typing slip.
MAX_PAGE = 100_000


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


def _rank_by(params) -> str:
    rank_by = read_param(params, "rank_by") or "score"
    if rank_by not in RANK_KEYS:
        raise ValidationError({"rank_by": [_("Rank by one of: %(keys)s.") % {"keys": ", ".join(RANK_KEYS)}]})
    return rank_by


def fairness_section(request: DashboardRequest, *, user) -> dict:
    return {**request.header(), **fairness(user=user, period=request.period, filters=request.filters)}


def rankings_section(request: DashboardRequest, params) -> dict:
    rank_by = _rank_by(params)
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


def _one_of(params, name: str, choices, *, default: str) -> str:
    value = read_param(params, name) or default
    if value != default and value not in choices:
        raise ValidationError({name: [_("Give one of: %(choices)s.") % {"choices": ", ".join(choices)}]})
    return value


@dataclass(frozen=True)
class PublishedRequest:
    """A request about a month's published ranking, read once and checked against the user's scope.

    A published ranking is the city's. A district's leadership reads the districts' one, and of it
    only its own district's row: its place as published, not the other districts' figures."""

    month: datetime.date
    kind: str
    rank_by: str
    source: str
    district_id: int | None

    @classmethod
    def from_params(cls, params, *, user) -> "PublishedRequest":
        _require_postgresql()
        district_id = dashboard_scope_for(user=user).district_id
        kind = _one_of(
            params,
            "kind",
            UnitKind.values,
            default=UnitKind.BUREAU if district_id is None else UnitKind.DISTRICT,
        )
        if district_id is not None and kind != UnitKind.DISTRICT:
            raise PermissionDenied(_("A district's leadership reads the published ranking of the districts."))
        return cls(
            month=month_from_params(params, "month", default=month_just_ended()),
            kind=kind,
            rank_by=_rank_by(params),
            source=_one_of(params, "source", SOURCES, default=BOTH),
            district_id=district_id,
        )


def published_rankings_section(params, *, user) -> dict:
    request = PublishedRequest.from_params(params, user=user)
    return published_beside_live(
        month=request.month,
        kind=request.kind,
        rank_by=request.rank_by,
        source=request.source,
        district_id=request.district_id,
    )


def _page(params) -> int:
    page = read_param(params, "page") or "1"
    if not re.fullmatch(r"[0-9]{1,6}", page) or not 1 <= int(page) <= MAX_PAGE:
        raise ValidationError({"page": [_("Give a page number from 1 to %(last)d.") % {"last": MAX_PAGE}]})
    return int(page)


def ranking_cases_section(params, *, user) -> dict:
    request = PublishedRequest.from_params(params, user=user)
    code = read_param(params, "unit")
    if not code:
        raise ValidationError(
            {"unit": [_("Name the unit: a bureau's or a district's code, or a measure's (shanghai_2024-9).")]}
        )
    page = _page(params)
    ranking = None
    if request.source != "live":
        ranking = published_ranking(month=request.month, kind=request.kind, rank_by=request.rank_by)
        if ranking is None and request.source == "published":
            raise NotFound(
                _("No ranking has been published for %(month)s.") % {"month": f"{request.month:%Y-%m}"}
            )
    unit = unit_in_ranking(ranking, kind=request.kind, code=code)
    if unit is None:
        raise ValidationError({"unit": [_("No such unit: %(code)s.") % {"code": code[:100]}]})
    if request.district_id is not None and unit["id"] != request.district_id:
        raise PermissionDenied(_("A district's leadership sees the cases of its own district."))
    return unit_cases(
        month=request.month,
        kind=request.kind,
        unit=unit,
        ranking=ranking,
        source=request.source,
        user=user,
        page=page,
    )


# --- Policy landing (measure 9) ------------------------------------------------------------------


@dataclass(frozen=True)
class LandingRequest:
    """The landing section's request: the period bounds the briefings' days and the benefits'
    entry days; the district and the measure narrow it (a district's manager: always theirs)."""

    period: Period
    district_id: int | None
    measure_id: int | None

    @classmethod
    def from_params(cls, params, *, user) -> "LandingRequest":
        filters = figure_filters_from_params(params, scope=dashboard_scope_for(user=user))
        return cls(
            period=period_from_params(params),
            district_id=filters.district_id,
            measure_id=filters.measure_id,
        )

    def selector_args(self) -> dict:
        return {"since": self.period.start, "until": self.period.end, "district_id": self.district_id}


def landing_section(params, *, user) -> dict:
    """Briefing coverage per measure and district (the share of active centres briefed, and of the
    eligible ones), and the landing funnel per measure (eligible → briefed → applied → granted).
    Each figure is a count of centres that `landing.selectors.landing_centres_behind` lists."""
    request = LandingRequest.from_params(params, user=user)
    coverage = briefing_coverage(user=user, **request.selector_args())
    funnel = landing_funnel(user=user, **request.selector_args())
    if request.measure_id is not None:
        coverage = [row for row in coverage if row["measure"] == request.measure_id]
        funnel = [row for row in funnel if row["measure"] == request.measure_id]
    titles = {measure.pk: measure.title for measure in Measure.objects.all()}
    districts = {district.code: district.name for district in District.objects.all()}
    return {
        "period": request.period.as_dict(),
        "scope": {"district": request.district_id, "measure": request.measure_id},
        "coverage": [
            row
            | {
                "label": titles[row["measure"]],
                "district_label": districts.get(row["district"], row["district"]),
                "briefed_share": Rate(row["briefed"], row["active_centres"]).as_dict(),
                "eligible_briefed_share": Rate(row["eligible_briefed"], row["eligible"]).as_dict(),
            }
            for row in coverage
        ],
        "funnel": [row | {"label": titles[row["measure"]]} for row in funnel],
        "policy_issues": open_policy_issues(request, user=user),
    }


ISSUE_OPEN_STATE_ORDER = (PolicyIssueState.OPEN, PolicyIssueState.DISPATCHED, PolicyIssueState.IN_PROGRESS)


def open_policy_issues(request: LandingRequest, *, user) -> dict:
    """The policy issues (共性问题) still being handled, of the district and measure asked for, as
    far as the user sees them: how many per state, how many past their answer day, and each with
    its age in days (the oldest first), read from the issues themselves (they are few)."""
    rows = open_policy_issues_by_age(user=user)
    if request.measure_id is not None:
        rows = [row for row in rows if row["issue"].measure_id == request.measure_id]
    if request.district_id is not None:
        in_district = set(
            Case.objects.filter(
                district_id=request.district_id, policy_issue__in=[row["issue"].pk for row in rows]
            ).values_list("policy_issue", flat=True)
        )
        rows = [row for row in rows if row["issue"].pk in in_district]
    ages = sorted(row["age_days"] for row in rows)
    return {
        "count": len(rows),
        "overdue": sum(row["is_overdue"] for row in rows),
        "by_state": {
            state: sum(row["issue"].state == state for row in rows) for state in ISSUE_OPEN_STATE_ORDER
        },
        "median_age_days": ages[len(ages) // 2] if ages else None,
        "oldest_age_days": ages[-1] if ages else None,
        "issues": [
            {
                "id": row["issue"].pk,
                "title": row["issue"].title,
                "measure": row["issue"].measure.number,
                "state": row["issue"].state,
                "state_label": row["issue"].get_state_display(),
                "lead_bureau": row["issue"].lead_bureau.name if row["issue"].lead_bureau else "",
                "cases": row["issue"].case_count,
                "age_days": row["age_days"],
                "answer_due_on": row["issue"].answer_due_on,
                "is_overdue": row["is_overdue"],
                "is_supervised": row["issue"].is_supervised,
            }
            for row in rows
        ],
    }
