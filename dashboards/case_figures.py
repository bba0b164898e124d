"""Case figures for the managers' dashboards, read from the summary tables.

The tables (`cases.models.figures`) hold what happened per month, district, measure, bureau and
urgency, kept by database triggers; every read here sums a few thousand of their rows, never the
cases themselves, so it answers as fast with ten million cases as with one million.
"""

import datetime
import math
from dataclasses import dataclass

from django.db.models import F
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cases.models import FIGURE_COUNTS, GRAIN_COLUMNS, CaseState
from commissioners.models import Bureau, District
from core.replica import read_connection
from core.time import local_today
from dashboards.filters import FigureFilters
from dashboards.models import RankBy, UnitKind
from dashboards.periods import Period
from dashboards.rates import Rate
from policies.models import Measure

_SUMS = ", ".join(f"sum({column})::bigint AS {column}" for column in FIGURE_COUNTS)
_STATE_COLUMNS = {state: f"now_{state}" for state in CaseState.values}
_EMPTY = dict.fromkeys(FIGURE_COUNTS, 0)
# What `/cases/` breaks its figures down by besides the month.
_CASE_BREAKDOWNS = frozenset({"measure_id", "district_id"})


def rate_definitions() -> dict[str, str]:
    return {
        "response": _(
            "Response rate: assignments dispatched to bureaus in the period that the bureau accepted "
            "within its deadline, of all assignments dispatched (those released before the bureau "
            "acted are left out; returned ones count as not accepted)."
        ),
        "resolution": _(
            "Resolution rate: call-backs made in the period in which the centre confirmed the "
            "difficulty resolved, of all call-backs made (the latest call-back of each case)."
        ),
        "satisfaction": _(
            "Satisfaction rate: call-backs in the period in which the centre was satisfied or "
            "basically satisfied, of all call-backs that asked for satisfaction."
        ),
    }


@dataclass(frozen=True)
class _Sums:
    counts: dict

    def __getitem__(self, column: str) -> int:
        return self.counts.get(column) or 0

    def rates(self) -> dict:
        return {
            "response": Rate(self["assignments_on_time"], self["assignments"]).as_dict(),
            "resolution": Rate(self["resolved"], self["callbacks"]).as_dict(),
            "satisfaction": Rate(self["satisfied"], self["satisfaction_given"]).as_dict(),
        }


def _filter_values(filters: FigureFilters) -> dict[str, int | str | None]:
    return {
        "district_id": filters.district_id,
        "bureau_id": filters.bureau_id,
        "measure_id": filters.measure_id,
        "urgency": filters.urgency,
    }


def _where(filters: FigureFilters, *, period: Period | None = None) -> tuple[str, list]:
    clauses, params = [], []
    if period is not None:
        clauses.append("month BETWEEN %s AND %s")
        params += [period.first_month, period.last_month]
    for column, value in _filter_values(filters).items():
        if value is not None:
            clauses.append(f"{column} = %s")
            params.append(value)
    return " AND ".join(clauses) or "TRUE", params


def _monthly(filters: FigureFilters, *, period: Period, grouped_by: frozenset[str]) -> tuple[str, list]:
    """`FROM ... WHERE ...` over the smallest monthly summary that has every column a read groups or
    filters by: a rollup where one serves (the city's figures, the bureaus' ranking), otherwise the
    monthly table itself, which any filter narrows to a small part."""
    where, params = _where(filters, period=period)
    used = grouped_by | {column for column, value in _filter_values(filters).items() if value is not None}
    for grain, columns in GRAIN_COLUMNS.items():
        if used <= columns:
            return f"FROM cases_casefigurerollup WHERE grain = %s AND {where}", [grain.value, *params]
    return f"FROM cases_casefiguremonth WHERE {where}", params


def _fetch(sql: str, params: list) -> list[dict]:
    # The summary tables are read from the replica where the request may (core.replica).
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _overdue_now(filters: FigureFilters, *, today: datetime.date) -> int:
    """Open cases whose current step was due before today."""
    where, params = _where(filters)
    rows = _fetch(
        f"SELECT sum(open_cases)::bigint AS overdue FROM cases_opencasedue WHERE due_on < %s AND {where}",  # noqa: S608
        [today, *params],
    )
    return rows[0]["overdue"] or 0


def _overdue_per_unit(filters: FigureFilters, *, today: datetime.date) -> dict[str, dict[int, int]]:
    """The same per lead bureau, per district and per measure, in one scan: the rows past their day
    grow with the cases that wait, so they are read once for every ranking."""
    where, params = _where(filters)
    rows = _fetch(
        "SELECT GROUPING(bureau_id, district_id, measure_id) AS grouping, bureau_id, district_id, "  # noqa: S608
        "measure_id, sum(open_cases)::bigint AS overdue FROM cases_opencasedue "
        f"WHERE due_on < %s AND {where} GROUP BY GROUPING SETS ((bureau_id), (district_id), (measure_id))",
        [today, *params],
    )
    sets = {
        0b011: (UnitKind.BUREAU, "bureau_id"),
        0b101: (UnitKind.DISTRICT, "district_id"),
        0b110: (UnitKind.MEASURE, "measure_id"),
    }
    per_unit: dict[str, dict[int, int]] = {kind: {} for kind, _column in sets.values()}
    for row in rows:
        kind, column = sets[row["grouping"]]
        per_unit[kind][row[column]] = row["overdue"]
    return per_unit


def percentile(histogram: dict[int, int], fraction: float) -> float | None:
    """The `fraction` percentile of the days in a histogram, interpolated like percentile_cont."""
    total = sum(histogram.values())
    if not total:
        return None
    position = fraction * (total - 1)

    def value_at(index: int) -> int:
        seen = 0
        for days in sorted(histogram):
            seen += histogram[days]
            if index < seen:
                return days
        raise AssertionError("index beyond the histogram")

    lower, upper = value_at(math.floor(position)), value_at(math.ceil(position))
    return round(lower + (upper - lower) * (position - math.floor(position)), 1)


def _durations(period: Period, filters: FigureFilters) -> dict:
    # Histograms are long (a bucket a day): read the fewest, from the rollup with no more than the filters.
    source, params = _monthly(filters, period=period, grouped_by=frozenset())
    rows = _fetch(
        "SELECT v.kind, d.ord - 1 AS days, sum(d.n)::bigint AS cases "  # noqa: S608
        f"FROM (SELECT answer_days, close_days {source}) AS f "
        "CROSS JOIN LATERAL (VALUES ('answer_days', f.answer_days), ('close_days', f.close_days)) AS v(kind, hist) "
        "CROSS JOIN LATERAL unnest(v.hist) WITH ORDINALITY AS d(n, ord) "
        "WHERE d.n <> 0 GROUP BY 1, 2",
        params,
    )
    histograms: dict[str, dict[int, int]] = {"answer_days": {}, "close_days": {}}
    for row in rows:
        histograms[row["kind"]][row["days"]] = row["cases"]
    return {
        kind: {
            "count": sum(histogram.values()),
            "median": percentile(histogram, 0.5),
            "p90": percentile(histogram, 0.9),
        }
        for kind, histogram in histograms.items()
    }


def _own_name() -> F:
    """A district's or bureau's name in the language of the request."""
    return F("name_en" if (get_language() or "zh-hans").startswith("en") else "name_zh")


def _labels(model, ids, *, label) -> dict[int, dict]:
    return {row["pk"]: row for row in model.objects.filter(pk__in=ids).values("pk", "code", label=label)}


def case_figures(*, period: Period, filters: FigureFilters, today: datetime.date | None = None) -> dict:
    """The rates, timeliness, volume, durations and monthly trend of `/api/dashboard/cases/`."""
    today = today or local_today()
    source, params = _monthly(filters, period=period, grouped_by=_CASE_BREAKDOWNS)
    # One scan: the totals, and the same sums per month, per measure and per district.
    rows = _fetch(
        f"SELECT GROUPING(month, measure_id, district_id) AS grouping, month, measure_id, district_id, "
        f"{_SUMS} {source} GROUP BY GROUPING SETS ((), (month), (measure_id), (district_id))",
        params,
    )
    totals = _Sums(_EMPTY)
    by_month, by_measure, by_district = {}, {}, {}
    for row in rows:
        sums = _Sums(row)
        match row["grouping"]:
            case 0b111:
                totals = sums
            case 0b011:
                by_month[row["month"]] = sums
            case 0b101:
                by_measure[row["measure_id"]] = sums
            case 0b110:
                by_district[row["district_id"]] = sums

    measures = {
        measure.pk: measure
        for measure in Measure.objects.filter(pk__in=[pk for pk, s in by_measure.items() if s["logged"]])
    }
    districts = _labels(District, [pk for pk, s in by_district.items() if s["logged"]], label=_own_name())
    overdue = _overdue_now(filters, today=today)
    return {
        "rates": totals.rates(),
        "definitions": rate_definitions(),
        "timeliness": {
            "answered": totals["answered"],
            "answered_on_time": Rate(totals["answered_on_time"], totals["answered"]).as_dict(),
            "overdue_now": overdue,
            "extensions_granted": totals["extensions_granted"],
            "supervisions_opened": totals["supervisions_opened"],
            "returns": totals["assignments_returned"],
            "reopen": Rate(totals["answered_reopened"], totals["answered"]).as_dict(),
        },
        "volume": {
            "logged": totals["logged"],
            "by_state": [
                {"state": state, "label": str(label), "count": totals[_STATE_COLUMNS[state]]}
                for state, label in CaseState.choices
            ],
            "by_measure": sorted(
                (
                    {"id": pk, "label": str(measures[pk]), "count": sums["logged"]}
                    for pk, sums in by_measure.items()
                    if pk in measures
                ),
                key=lambda row: (-row["count"], row["label"]),
            ),
            "by_district": sorted(
                (
                    {"code": districts[pk]["code"], "label": districts[pk]["label"], "count": sums["logged"]}
                    for pk, sums in by_district.items()
                    if pk in districts
                ),
                key=lambda row: (-row["count"], row["label"]),
            ),
        },
        "durations": _durations(period, filters),
        "trend": [
            {
                "month": month.strftime("%Y-%m"),
                "logged": sums["logged"],
                "answered": sums["answered"],
                "closed": sums["closed"],
                **sums.rates(),
            }
            for month in period.months()
            for sums in [by_month.get(month, _Sums(_EMPTY))]
        ],
    }


RANK_KEYS = tuple(RankBy.values)
# The column of the summaries that holds each kind of ranked unit.
UNIT_COLUMNS = {
    UnitKind.BUREAU: "bureau_id",
    UnitKind.DISTRICT: "district_id",
    UnitKind.MEASURE: "measure_id",
}


def ranking_rule(rank_by: str) -> str:
    if rank_by == "score":
        return _(
            "Ranked by the mean of the response, resolution and satisfaction rates that have data "
            "(each weighs the same); ties are broken by the response rate. Equal scores share a rank. "
            "Units with no data in the period are listed last, unranked."
        )
    names = {
        "response": _("response rate"),
        "resolution": _("resolution rate"),
        "satisfaction": _("satisfaction rate"),
    }
    return _(
        "Ranked by the %(rate)s, highest first; equal rates share a rank. "
        "Units with no data in the period are listed last, unranked."
    ) % {"rate": names[rank_by]}


def rank_units(units: list[dict], rank_by: str, *, name: str = "label") -> list[dict]:
    """The units in rank order, each given its `rank`. Units equal on the rule share a rank and are
    listed by `name`; those the rule has no value for come last, unranked (None)."""

    def key_value(unit: dict) -> float | None:
        return unit["score"] if rank_by == "score" else unit[rank_by]["rate"]

    with_data = [unit for unit in units if key_value(unit) is not None]
    without = [unit for unit in units if key_value(unit) is None]
    with_data.sort(key=lambda unit: (-key_value(unit), -(unit["response"]["rate"] or 0), unit[name]))
    rank, previous = 0, None
    for position, unit in enumerate(with_data, start=1):
        value = round(key_value(unit), 6)
        if value != previous:
            rank, previous = position, value
        unit["rank"] = rank
    for unit in sorted(without, key=lambda unit: unit[name]):
        unit["rank"] = None
        with_data.append(unit)
    return with_data


def unit_sums(*, kinds, period: Period, filters: FigureFilters) -> dict[str, dict[int, _Sums]]:
    """The period's sums per unit of each kind, in one query: each kind from the smallest summary that
    has its column (bureaus and districts have a rollup each, measures share the district one), so a
    ranking reads small rollups rather than the monthly table. Bureau 0 (a case not dispatched yet)
    is no unit."""
    selects, params = [], []
    for kind in kinds:
        column = UNIT_COLUMNS[kind]
        source, source_params = _monthly(filters, period=period, grouped_by=frozenset({column}))
        selects.append(f"(SELECT %s::text AS kind, {column} AS key, {_SUMS} {source} GROUP BY {column})")
        params += [kind, *source_params]
    found: dict[str, dict[int, _Sums]] = {kind: {} for kind in kinds}
    for row in _fetch(" UNION ALL ".join(selects), params):
        if row["kind"] != UnitKind.BUREAU or row["key"]:
            found[row["kind"]][row["key"]] = _Sums(row)
    return found


def unit_figures(sums: _Sums | None) -> dict:
    """What a ranking shows of a unit: the three rates, their mean (the score) and the returns.
    None: a unit with no figures in the period."""
    sums = sums or _Sums(_EMPTY)
    rates = sums.rates()
    known = [rate["rate"] for rate in rates.values() if rate["rate"] is not None]
    return {
        **rates,
        "score": round(sum(known) / len(known), 4) if known else None,
        "returns": sums["assignments_returned"],
    }


def _unit(label_row: dict, sums: _Sums, overdue: int) -> dict:
    return {
        "rank": None,
        "id": label_row["pk"],
        "code": label_row["code"],
        "label": label_row["label"],
        **unit_figures(sums),
        "overdue_now": overdue,
    }


def measure_code(measure: Measure) -> str:
    """A measure as a unit code: its programme and number, e.g. `shanghai_2024-9`."""
    return f"{measure.programme}-{measure.number}"


def measure_labels(ids) -> dict[int, dict]:
    return {
        measure.pk: {"pk": measure.pk, "code": measure_code(measure), "label": str(measure)}
        for measure in Measure.objects.filter(pk__in=ids)
    }


def rankings(
    *, period: Period, filters: FigureFilters, rank_by: str = "score", today: datetime.date | None = None
) -> dict:
    """Bureaus, districts and measures ranked on the three rates, with the rule that ranks them."""
    today = today or local_today()
    sums = unit_sums(kinds=list(UNIT_COLUMNS), period=period, filters=filters)
    overdue = _overdue_per_unit(filters, today=today)

    bureaus = _labels(Bureau, list(sums[UnitKind.BUREAU]), label=_own_name())
    district_rows = District.objects.all()
    if filters.district_id is not None:
        district_rows = district_rows.filter(pk=filters.district_id)
    districts = {row["pk"]: row for row in district_rows.values("pk", "code", label=_own_name())}
    measures = measure_labels(list(sums[UnitKind.MEASURE]))

    def ranked(kind: str, labels: dict[int, dict], *, every: bool = False) -> list[dict]:
        by_unit = sums[kind]
        return rank_units(
            [
                _unit(label_row, by_unit.get(pk), overdue[kind].get(pk, 0))
                for pk, label_row in labels.items()
                # Every district is listed, with data or not; bureaus and measures when they have rows.
                if every or pk in by_unit
            ],
            rank_by,
        )

    return {
        "rule": ranking_rule(rank_by),
        "rank_by": rank_by,
        "bureaus": ranked(UnitKind.BUREAU, bureaus),
        "districts": ranked(UnitKind.DISTRICT, districts, every=True),
        "measures": ranked(UnitKind.MEASURE, measures),
    }
