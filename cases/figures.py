"""The write side of the dashboards' case figures: the summary tables PostgreSQL's triggers keep
(migrations 0014-0016) are folded nightly and can be rebuilt from every case. The read side is
`dashboards.case_figures`."""

import datetime
from collections.abc import Callable

from django.db import connection, transaction

# The day every past deadline is folded into: before any case's.
FOLDED_DUE_ON = datetime.date(2000, 1, 1)


def fold_past_due_days(*, today: datetime.date) -> int:
    """Folds the open cases counted on the days before `today` into one row per key, dated
    FOLDED_DUE_ON, so that "overdue now" reads a row per key, not one per key and past day.

    Every read asks for the days before today, so the figures are the same before and after.
    The day rows are deleted first and their counts, as they are when deleted (a move that
    changed one meanwhile is waited for and counted), are added to the folded rows. A move that
    later takes a case off a folded day writes that day's row again, negative; the next fold
    adds it in. Idempotent: run daily by the beat; returns how many folded rows (keys) there are."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "WITH folded AS ("
            "  DELETE FROM cases_opencasedue WHERE due_on < %(today)s AND due_on > %(folded)s"
            "  RETURNING district_id, measure_id, bureau_id, urgency, open_cases"
            ") "
            "INSERT INTO cases_opencasedue AS t (due_on, district_id, measure_id, bureau_id, urgency, open_cases) "
            "SELECT %(folded)s, district_id, measure_id, bureau_id, urgency, sum(open_cases) FROM folded "
            "GROUP BY 2, 3, 4, 5 HAVING sum(open_cases) <> 0 ORDER BY 2, 3, 4, 5 "
            "ON CONFLICT (due_on, district_id, measure_id, bureau_id, urgency) DO UPDATE SET "
            "open_cases = t.open_cases + excluded.open_cases",
            {"today": today, "folded": FOLDED_DUE_ON},
        )
        cursor.execute("SELECT count(*) FROM cases_opencasedue WHERE due_on = %s", [FOLDED_DUE_ON])
        return cursor.fetchone()[0]


# Rebuilding from scratch: the same facts the triggers apply, summed over every row.
_REBUILD_BATCH = 50_000
_FACTS_OF_CASES = """
    SELECT f FROM cases_case AS c, cases_figure_case_facts(c, 1) AS f
    WHERE c.id BETWEEN %(low)s AND %(high)s
    UNION ALL
    SELECT f FROM cases_assignment AS a JOIN cases_case AS c ON c.id = a.case_id,
         cases_figure_assignment_facts(a, c.district_id, c.measure_id, c.urgency, 1) AS f
    WHERE c.id BETWEEN %(low)s AND %(high)s
    UNION ALL
    SELECT f FROM cases_extensionrequest AS e JOIN cases_case AS c ON c.id = e.case_id,
         cases_figure_extension_facts(e, c.district_id, c.measure_id, c.urgency, 1) AS f
    WHERE c.id BETWEEN %(low)s AND %(high)s
    UNION ALL
    SELECT f FROM cases_supervision AS v JOIN cases_case AS c ON c.id = v.case_id,
         cases_figure_supervision_facts(v, c.district_id, c.measure_id, c.lead_bureau_id, c.urgency, 1) AS f
    WHERE c.id BETWEEN %(low)s AND %(high)s
"""


@transaction.atomic
def rebuild_case_figures(*, on_batch: Callable[[int, int], None] | None = None) -> None:
    """Empties the summary tables and sums them again from every case: after a bulk load with the
    triggers off, or to prove that the triggers kept them exact. `on_batch(done, total)` is told
    of each batch of cases summed (a progress bar: at 10M cases this takes minutes)."""
    with connection.cursor() as cursor:
        cursor.execute("LOCK TABLE cases_case IN SHARE MODE")
        cursor.execute("TRUNCATE cases_casefiguremonth, cases_casefigurerollup, cases_opencasedue")
        cursor.execute("SELECT min(id), max(id) FROM cases_case")
        low, high = cursor.fetchone()
        if low is None:
            return
        starts = range(low, high + 1, _REBUILD_BATCH)
        for done, start in enumerate(starts, start=1):
            cursor.execute(
                f"SELECT cases_figure_apply_months(ARRAY({_FACTS_OF_CASES}))",
                {"low": start, "high": start + _REBUILD_BATCH - 1},
            )
            if on_batch is not None:
                on_batch(done, len(starts))
        # Every batch updated most monthly rows again, leaving a dead version of each: written out
        # afresh, the table is as compact as its rows, and so is every scan of it from now on.
        cursor.execute("CREATE TEMPORARY TABLE figures_rebuilt ON COMMIT DROP AS TABLE cases_casefiguremonth")
        cursor.execute("TRUNCATE cases_casefiguremonth")
        cursor.execute("INSERT INTO cases_casefiguremonth SELECT * FROM figures_rebuilt")
        # Dropped now, not at commit: a recount may rebuild twice in one transaction.
        cursor.execute("DROP TABLE figures_rebuilt")
        cursor.execute("SELECT cases_figure_rollups_from_months()")
        cursor.execute(
            "INSERT INTO cases_opencasedue (due_on, district_id, measure_id, bureau_id, urgency, open_cases) "
            "SELECT current_due_on, district_id, measure_id, coalesce(lead_bureau_id, 0), urgency, count(*) "
            "FROM cases_case WHERE current_due_on IS NOT NULL GROUP BY 1, 2, 3, 4, 5"
        )
