"""Published rankings beside the live ones, and the cases behind a unit's figures, then and now.

A ranking is published for one whole month, for the city, without filters: what the commission
announces. Its units are ranked on the same figures and by the same rule (`case_figures`) as the live
ranking of that month, so the two differ only where the cases have moved since.
"""

import datetime
import math
import re
from collections import defaultdict

from django.db import connection
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound

from cases.models import Case, CaseState
from cases.selectors import case_list_visible_to
from commissioners.models import Bureau, District, User
from core.time import start_of_day
from dashboards.case_figures import (
    UNIT_COLUMNS,
    measure_code,
    rank_units,
    ranking_rule,
    unit_figures,
    unit_sums,
)
from dashboards.filters import FigureFilters
from dashboards.models import PublishedRanking, PublishedRankingCases, UnitKind
from dashboards.periods import Period, next_month
from dashboards.rates import Rate
from policies.models import Measure

RATES = ("response", "resolution", "satisfaction")
# The two lists of cases a unit's ranked figures stand on: the response rate's, and the call-back's
# (the resolution rate, and the satisfaction rate where the call-back asked).
CASE_FIGURES = ("response", "callback")
CASE_PAGE_SIZE = 100
BOTH = ""
# A measure's unit code: its programme and its number (`case_figures.measure_code`).
_MEASURE_CODE = re.compile(r"^([a-z0-9_]{1,30})-([0-9]{1,4})$")


def _in_english() -> bool:
    return (translation.get_language() or "zh-hans").startswith("en")


# --- What a snapshot keeps ------------------------------------------------------------------------


def unit_names(kind: str, ids: list[int] | None) -> dict[int, dict]:
    """Each unit's id, code and names in both languages, as they are now: what a snapshot copies.
    `ids` None: every unit of the kind."""
    if kind == UnitKind.MEASURE:
        measures = Measure.objects.all() if ids is None else Measure.objects.filter(pk__in=ids)
        names = {}
        for measure in measures:
            row = {"id": measure.pk, "code": measure_code(measure)}
            for language, field in (("zh-hans", "name_zh"), ("en", "name_en")):
                with translation.override(language):
                    row[field] = str(measure)
            names[measure.pk] = row
        return names
    model = Bureau if kind == UnitKind.BUREAU else District
    rows = model.objects.all() if ids is None else model.objects.filter(pk__in=ids)
    return {row["id"]: row for row in rows.order_by().values("id", "code", "name_zh", "name_en")}


def _kept(figures: dict) -> dict:
    """A unit's figures as a snapshot keeps them: the counts and the rate, not the words around them
    (the display is written in the reader's language when it is read)."""
    return {
        **{key: {part: figures[key][part] for part in ("numerator", "denominator", "rate")} for key in RATES},
        "score": figures["score"],
        "returns": figures["returns"],
    }


def month_units(*, month: datetime.date, kinds: list[str]) -> dict[str, list[dict]]:
    """Each kind's units for one month, city-wide and unranked, in the form a snapshot keeps: like the
    live ranking, every district, and the bureaus and measures that have figures in the month."""
    sums = unit_sums(kinds=kinds, period=Period(first_month=month, last_month=month), filters=FigureFilters())
    units = {}
    for kind in kinds:
        by_unit = sums[kind]
        names = unit_names(kind, None if kind == UnitKind.DISTRICT else list(by_unit))
        units[kind] = [{**names[pk], "rank": None, **_kept(unit_figures(by_unit.get(pk)))} for pk in names]
    return units


def ranked(units: list[dict], rank_by: str) -> list[dict]:
    """Copies of the units in rank order; ties by code, so a snapshot's order is the same in any language."""
    return rank_units([dict(unit) for unit in units], rank_by, name="code")


def rules_in_both_languages(rank_by: str) -> dict[str, str]:
    rules = {}
    for language, field in (("zh-hans", "rule_zh"), ("en", "rule_en")):
        with translation.override(language):
            rules[field] = ranking_rule(rank_by)
    return rules


# --- The cases behind a unit's figures --------------------------------------------------------------

# The cases behind the figures are read through the figure functions themselves (cases/0014 and
# after), not a second statement of their rule: whatever they count, and under whichever unit they
# file it, the lists follow. Each side is narrowed first by the timestamp that puts a fact in a month.
_CASES_BEHIND = """
SELECT 'response' AS figure, f.{column} AS unit, a.case_id
FROM cases_assignment AS a
JOIN cases_case AS c ON c.id = a.case_id
CROSS JOIN LATERAL cases_figure_assignment_facts(a, c.district_id, c.measure_id, c.urgency, 1) AS f
WHERE a.created_at >= %(start)s AND a.created_at < %(end)s AND f.month = %(month)s AND f.assignments <> 0
  AND f.{column} <> 0 {unit_condition}
UNION
SELECT 'callback', f.{column}, c.id
FROM cases_case AS c
CROSS JOIN LATERAL cases_figure_case_facts(c, 1) AS f
WHERE c.callback_at >= %(start)s AND c.callback_at < %(end)s AND f.month = %(month)s AND f.callbacks <> 0
  AND f.{column} <> 0 {unit_condition}
"""


def cases_behind(
    *, month: datetime.date, kind: str, unit_id: int | None = None
) -> dict[int, dict[str, set[int]]]:
    """The cases each unit's ranked figures for the month count, by unit: {"response": ids, "callback": ids}.

    As the figure functions count them, in Shanghai's months: the response rate the cases of the
    assignments dispatched in the month that ask something of a bureau (not one released before it
    acted), under the assignment's bureau and the case's district and measure; the resolution and
    satisfaction rates the cases whose (latest) call-back was made in the month with its resolution
    recorded, under the case's lead bureau (none: no unit), district and measure."""
    column = UNIT_COLUMNS[kind]
    sql = _CASES_BEHIND.format(
        column=column, unit_condition="" if unit_id is None else f"AND f.{column} = %(unit)s"
    )
    params = {
        "start": start_of_day(month),
        "end": start_of_day(next_month(month)),
        "month": month,
        "unit": unit_id,
    }
    behind: dict[int, dict[str, set[int]]] = defaultdict(lambda: {"response": set(), "callback": set()})
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for figure, unit, case_id in cursor.fetchall():
            behind[unit][figure].add(case_id)
    return behind


# --- Published beside live --------------------------------------------------------------------------


def published_ranking(*, month: datetime.date, kind: str, rank_by: str) -> PublishedRanking | None:
    return (
        PublishedRanking.objects.select_related("published_by")
        .filter(month=month, unit_kind=kind, rank_by=rank_by)
        .first()
    )


def _shown(row: dict) -> dict:
    return {
        "rank": row["rank"],
        **{key: Rate(row[key]["numerator"], row[key]["denominator"]).as_dict() for key in RATES},
        "score": row["score"],
        "returns": row["returns"],
    }


def _same(published: dict, live: dict) -> bool:
    def key(row: dict) -> tuple:
        return (
            row["rank"],
            row["returns"],
            *((row[rate]["numerator"], row[rate]["denominator"]) for rate in RATES),
        )

    return key(published) == key(live)


def _publication(ranking: PublishedRanking) -> dict:
    by = ranking.published_by
    return {
        # In Shanghai's offset, like every time the API gives.
        "published_at": timezone.localtime(ranking.published_at).isoformat(),
        "published_by": (by.get_full_name() or by.username) if by else None,
        "rule": ranking.rule,
    }


def _label(row: dict) -> str:
    return row["name_en"] if _in_english() else row["name_zh"]


def published_beside_live(
    *, month: datetime.date, kind: str, rank_by: str, source: str = BOTH, district_id: int | None = None
) -> dict:
    """The month's published ranking of `kind` by `rank_by` beside the same ranking computed now.

    Each unit: its published rank and figures, its live ones, and whether they differ. `source`
    "published" or "live" gives only that side; "published" with no snapshot is a 404. With
    `district_id`, only that unit's row (a district's leadership: its own district's place)."""
    ranking = published_ranking(month=month, kind=kind, rank_by=rank_by) if source != "live" else None
    if ranking is None and source == "published":
        raise NotFound(_("No ranking has been published for %(month)s.") % {"month": f"{month:%Y-%m}"})
    published = {row["id"]: row for row in ranking.rows} if ranking else {}
    live = {}
    if source != "published":
        live = {row["id"]: row for row in ranked(month_units(month=month, kinds=[kind])[kind], rank_by)}
    ids = list(published) + [pk for pk in live if pk not in published]
    if district_id is not None:
        ids = [pk for pk in ids if pk == district_id]

    def order(pk: int) -> tuple:
        ranks = [(side[pk]["rank"] if pk in side else None) for side in (published, live)]
        return (
            *(math.inf if rank is None else rank for rank in ranks),
            (published.get(pk) or live[pk])["code"],
        )

    units = []
    for pk in sorted(ids, key=order):
        then, now = published.get(pk), live.get(pk)
        units.append(
            {
                "id": pk,
                "code": (then or now)["code"],
                # The name it was published under; a unit only the live ranking has, its name now.
                "label": _label(then or now),
                "published": _shown(then) if then else None,
                "live": _shown(now) if now else None,
                "differs": None
                if ranking is None or source == "published"
                else not (then and now and _same(then, now)),
            }
        )
    return {
        "month": f"{month:%Y-%m}",
        "unit_kind": kind,
        "rank_by": rank_by,
        "rule": ranking_rule(rank_by),
        "published": _publication(ranking) if ranking else None,
        "units": units,
    }


# --- The drill-down ----------------------------------------------------------------------------------


def unit_in_ranking(ranking: PublishedRanking | None, *, kind: str, code: str) -> dict | None:
    """The unit a code names: as it was published if the snapshot has it (a code may change since),
    otherwise as it is now; None if neither knows it."""
    for row in ranking.rows if ranking else []:
        if row["code"] == code:
            return row
    if kind == UnitKind.MEASURE:
        match = _MEASURE_CODE.match(code)
        if not match:
            return None
        found = Measure.objects.filter(programme=match.group(1), number=int(match.group(2))).values_list(
            "pk", flat=True
        )
    else:
        found = (
            (Bureau if kind == UnitKind.BUREAU else District)
            .objects.filter(code=code)
            .values_list("pk", flat=True)
        )
    pk = found.first()
    return unit_names(kind, [pk])[pk] if pk is not None else None


def unit_cases(
    *,
    month: datetime.date,
    kind: str,
    unit: dict,
    ranking: PublishedRanking | None,
    source: str,
    user: User,
    page: int,
) -> dict:
    """The cases behind one unit's figures for the month: as the published ranking counted them, and
    as the live figures count them now, each a page of the cases the reader may see.

    `counted` is every case the figures count, confidential ones too; `count` those the reader may
    see, so for a manager it may be smaller by the confidential cases (as on the rest of the
    dashboard). Each case says which of the unit's figures count it, and whether the published and the
    live figures count it (null for a side not asked for or never published)."""
    sides: dict[str, dict[str, set[int]]] = {}
    if source != "live" and ranking is not None:
        frozen = PublishedRankingCases.objects.filter(ranking=ranking, unit_id=unit["id"]).first()
        sides["published"] = {
            "response": set(frozen.response_case_ids) if frozen else set(),
            "callback": set(frozen.callback_case_ids) if frozen else set(),
        }
    if source != "published":
        sides["live"] = cases_behind(month=month, kind=kind, unit_id=unit["id"]).get(
            unit["id"], {"response": set(), "callback": set()}
        )
    every = {pk for side in sides.values() for ids in side.values() for pk in ids}
    visible = set(
        case_list_visible_to(user=user).filter(pk__in=every).order_by().values_list("pk", flat=True)
    )

    pages = {}
    for name, side in sides.items():
        counted = side["response"] | side["callback"]
        shown = sorted(counted & visible)
        pages[name] = (counted, shown, shown[(page - 1) * CASE_PAGE_SIZE : page * CASE_PAGE_SIZE])
    rows = {
        row["id"]: row
        for row in Case.objects.filter(pk__in={pk for *_, on_page in pages.values() for pk in on_page})
        .order_by()
        .values(
            "id", "title", "state", district_code=F("district__code"), lead_bureau_code=F("lead_bureau__code")
        )
    }

    def listed(name: str) -> dict:
        counted, shown, on_page = pages[name]
        return {
            "counted": len(counted),
            "count": len(shown),
            "pages": max(1, math.ceil(len(shown) / CASE_PAGE_SIZE)),
            "results": [
                {
                    "id": pk,
                    "title": rows[pk]["title"],
                    "state": rows[pk]["state"],
                    "state_label": str(CaseState(rows[pk]["state"]).label),
                    "district": rows[pk]["district_code"],
                    "lead_bureau": rows[pk]["lead_bureau_code"],
                    "counted_in": [figure for figure in CASE_FIGURES if pk in sides[name][figure]],
                    **{
                        f"in_{side}": None
                        if side not in sides
                        else any(pk in ids for ids in sides[side].values())
                        for side in ("published", "live")
                    },
                }
                for pk in on_page
            ],
        }

    return {
        "month": f"{month:%Y-%m}",
        "unit_kind": kind,
        "unit": {"id": unit["id"], "code": unit["code"], "label": _label(unit)},
        "page": page,
        "page_size": CASE_PAGE_SIZE,
        "published": listed("published") if "published" in sides else None,
        "live": listed("live") if "live" in sides else None,
    }
