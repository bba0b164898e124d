"""Fair figures: the judgements the city made on the bureaus' behalf, beside the rates they change.

- Returns (退单) per bureau, as the city ruled on them: upheld (justified, the case was misrouted, not
  counted against the bureau), rejected (unjustified, counted) or waiting for a ruling.
- Appeals (申诉核减) upheld: the cases excluded from a bureau's rates are listed, and the rates are
  given with and without the exclusions. The summary tables count every case; what an excluded
  case contributes is read from the same facts functions the tables are kept by (there are few
  such cases, through a partial index) and taken away.
- Call-backs: the share of tries that reached the centre.
- Supervisions (督办) per bureau: opened, replied, replied on time, gone up to the leadership.
"""

import datetime

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from cases.models import FIGURE_COUNTS, Appeal, Assignment, CallbackAttempt, Supervision
from cases.selectors import case_list_visible_to
from commissioners.models import Bureau
from dashboards.case_figures import _EMPTY, _fetch, _labels, _own_name, _Sums, unit_sums
from dashboards.filters import FigureFilters
from dashboards.models import UnitKind
from dashboards.periods import Period
from dashboards.rates import Rate

_FACT_SUMS = ", ".join(f"sum(f.{column})::bigint AS {column}" for column in FIGURE_COUNTS)
# How many excluded cases the list quotes.
EXCLUDED_LISTED = 200


def fairness_definitions() -> dict[str, str]:
    return {
        "returns": _(
            "Returns as the city ruled on them: upheld returns (the case was misrouted) are not counted "
            "against the bureau; rejected ones are, and the case went back to the bureau on its deadlines."
        ),
        "exclusions": _(
            "Cases the city excluded from a bureau's rates on its appeal (申诉核减), e.g. an unreasonable "
            "request. The rates are shown with every case and without the excluded ones."
        ),
        "callbacks_reached": _("Call-back tries in the period that reached the centre, of all tries."),
        "supervisions": _(
            "Supervisions (督办) opened in the period per supervised bureau: replied, replied by the "
            "reply date, and gone up to the commission's leadership for want of a reply."
        ),
    }


def _fact_filters(filters: FigureFilters, period: Period) -> tuple[str, list]:
    clauses, params = ["f.month BETWEEN %s AND %s"], [period.first_month, period.last_month]
    for column, value in (
        ("district_id", filters.district_id),
        ("bureau_id", filters.bureau_id),
        ("measure_id", filters.measure_id),
        ("urgency", filters.urgency),
    ):
        if value is not None:
            clauses.append(f"f.{column} = %s")
            params.append(value)
    return " AND ".join(clauses), params


def excluded_sums_by_bureau(*, period: Period, filters: FigureFilters) -> dict[int, _Sums]:
    """What the excluded cases and parts contribute to the summary tables, per bureau."""
    where, params = _fact_filters(filters, period)
    rows = _fetch(
        f"SELECT f.bureau_id AS key, {_FACT_SUMS} FROM ("  # noqa: S608
        "  SELECT x.* FROM cases_case AS c, cases_figure_case_facts(c, 1) AS x WHERE c.excluded_from_rates"
        "  UNION ALL"
        "  SELECT x.* FROM cases_assignment AS a JOIN cases_case AS c ON c.id = a.case_id,"
        "    cases_figure_assignment_facts(a, c.district_id, c.measure_id, c.urgency, 1) AS x"
        "  WHERE a.excluded_from_rates"
        f") AS f WHERE {where} GROUP BY 1",
        params,
    )
    return {row["key"]: _Sums(row) for row in rows}


def _minus(total: _Sums, excluded: _Sums | None) -> _Sums:
    if excluded is None:
        return total
    return _Sums({column: total[column] - excluded[column] for column in FIGURE_COUNTS})


def _case_scope(filters: FigureFilters, prefix: str) -> Q:
    condition = Q()
    for field, value in (
        ("district_id", filters.district_id),
        ("measure_id", filters.measure_id),
        ("urgency", filters.urgency),
    ):
        if value is not None:
            condition &= Q(**{f"{prefix}{field}": value})
    return condition


def _in_period(field: str, period: Period) -> Q:
    return Q(**{f"{field}__date__range": (period.start, period.end)})


def _returns_by_bureau(*, period: Period, filters: FigureFilters) -> dict[int, dict]:
    returned = Assignment.objects.filter(status=Assignment.Status.RETURNED).filter(
        _in_period("created_at", period), _case_scope(filters, "case__")
    )
    if filters.bureau_id is not None:
        returned = returned.filter(bureau_id=filters.bureau_id)
    rows = returned.values("bureau_id").annotate(
        returned=Count("pk"),
        justified=Count("pk", filter=Q(return_ruling=Assignment.Ruling.UPHELD)),
        unjustified=Count("pk", filter=Q(return_ruling=Assignment.Ruling.REJECTED)),
        awaiting=Count("pk", filter=Q(return_ruling="")),
    )
    return {row.pop("bureau_id"): row for row in rows}


def _supervisions_by_bureau(*, period: Period, filters: FigureFilters) -> dict[int, dict]:
    opened = Supervision.objects.filter(bureau__isnull=False).filter(
        _in_period("opened_at", period), _case_scope(filters, "case__")
    )
    if filters.bureau_id is not None:
        opened = opened.filter(bureau_id=filters.bureau_id)
    rows = (
        opened.annotate(replied_on=TruncDate("replied_at"))
        .values("bureau_id")
        .annotate(
            opened=Count("pk"),
            replied=Count("pk", filter=Q(replied_at__isnull=False)),
            replied_on_time=Count("pk", filter=Q(replied_at__isnull=False, replied_on__lte=F("due_on"))),
            escalated=Count("pk", filter=Q(escalated_at__isnull=False)),
        )
    )
    return {row.pop("bureau_id"): row for row in rows}


def _callbacks_reached(*, period: Period, filters: FigureFilters) -> dict:
    tries = CallbackAttempt.objects.filter(_in_period("attempted_at", period), _case_scope(filters, "case__"))
    if filters.bureau_id is not None:
        tries = tries.filter(case__lead_bureau_id=filters.bureau_id)
    counts = tries.aggregate(tries=Count("pk"), reached=Count("pk", filter=Q(reached=True)))
    return Rate(counts["reached"], counts["tries"]).as_dict()


def _excluded_cases(*, user, period: Period, filters: FigureFilters) -> list[dict]:
    """The upheld appeals decided in the period, on cases the user may see."""
    upheld = (
        Appeal.objects.filter(status=Appeal.Status.UPHELD)
        .filter(_in_period("decided_at", period), _case_scope(filters, "case__"))
        .filter(case__in=case_list_visible_to(user=user))
    )
    if filters.bureau_id is not None:
        upheld = upheld.filter(bureau_id=filters.bureau_id)
    return [
        {
            "case": row["case_id"],
            "title": row["case__title"],
            "bureau": row["bureau__code"],
            "reason": row["reason"],
            "decision_note": row["decision_note"],
            "decided_at": row["decided_at"],
        }
        for row in upheld.order_by("-decided_at", "-pk").values(
            "case_id", "case__title", "bureau__code", "reason", "decision_note", "decided_at"
        )[:EXCLUDED_LISTED]
    ]


def fairness(*, user, period: Period, filters: FigureFilters, today: datetime.date | None = None) -> dict:
    """Per bureau: the three rates with every case and without the excluded ones, the returns as
    ruled and the supervisions; the call-backs' reach; the excluded cases. A fixed number of queries."""
    totals = unit_sums(kinds=[UnitKind.BUREAU], period=period, filters=filters)[UnitKind.BUREAU]
    excluded = excluded_sums_by_bureau(period=period, filters=filters)
    returns = _returns_by_bureau(period=period, filters=filters)
    supervisions = _supervisions_by_bureau(period=period, filters=filters)
    bureau_ids = set(totals) | set(returns) | set(supervisions)
    labels = _labels(Bureau, list(bureau_ids), label=_own_name())
    no_returns = {"returned": 0, "justified": 0, "unjustified": 0, "awaiting": 0}
    no_supervisions = {"opened": 0, "replied": 0, "replied_on_time": 0, "escalated": 0}
    bureaus = [
        {
            "code": labels[pk]["code"],
            "label": labels[pk]["label"],
            "rates": totals.get(pk, _Sums(_EMPTY)).rates(),
            "rates_with_exclusions": _minus(totals.get(pk, _Sums(_EMPTY)), excluded.get(pk)).rates(),
            "excluded_assignments": excluded[pk]["assignments"] if pk in excluded else 0,
            "returns": returns.get(pk, no_returns),
            "supervisions": supervisions.get(pk, no_supervisions),
        }
        for pk in bureau_ids
        if pk in labels
    ]
    bureaus.sort(key=lambda row: row["label"])
    all_cases = _Sums({column: sum(s[column] for s in totals.values()) for column in FIGURE_COUNTS})
    all_excluded = _Sums({column: sum(s[column] for s in excluded.values()) for column in FIGURE_COUNTS})
    return {
        "definitions": fairness_definitions(),
        "rates": all_cases.rates(),
        "rates_with_exclusions": _minus(all_cases, all_excluded).rates(),
        "callbacks_reached": _callbacks_reached(period=period, filters=filters),
        "bureaus": bureaus,
        "excluded_cases": _excluded_cases(user=user, period=period, filters=filters),
    }
