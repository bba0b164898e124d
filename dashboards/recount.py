"""The dashboards' recount: every summary table summed again from the facts and compared with what the
triggers kept. Without `fix` nothing changes (the rebuild is rolled back); with it the recount stays.

While it runs, writes to the counted tables wait (a SHARE lock), so that the kept figures and the
recount describe the same rows. At the benches' scale the rebuild takes seconds (docs/deployment.md)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction

from assessments.figures import rebuild_assessment_figures
from cases.figures import fold_past_due_days, rebuild_case_figures

# Each summary table and the columns that key its rows; every other column (but the id) is a count.
SUMMARY_TABLES: dict[str, tuple[str, ...]] = {
    "cases_casefiguremonth": ("month", "district_id", "measure_id", "bureau_id", "urgency"),
    "cases_casefigurerollup": ("grain", "month", "district_id", "measure_id", "bureau_id", "urgency"),
    "cases_opencasedue": ("due_on", "district_id", "measure_id", "bureau_id", "urgency"),
    "centres_assessmentfigure": ("cycle_id", "district_id", "state", "guidance_class"),
    "centres_findingfigure": ("cycle_id", "district_id", "bureau_id", "rule", "status"),
    "centres_eligibilityfigure": ("cycle_id", "district_id", "rule"),
}
# The facts: the tables whose triggers write the summaries.
_FACT_TABLES = (
    "cases_case",
    "cases_assignment",
    "cases_extensionrequest",
    "cases_supervision",
    "centres_assessment",
    "centres_finding",
)
# Steps reported to `on_step`: reading every table kept, two rebuilds, reading every table recounted.
STEPS = 2 * len(SUMMARY_TABLES) + 2

Row = dict[tuple, tuple]


@dataclass
class TableDifference:
    """How one summary table kept differs from its recount; `examples` names a few rows."""

    table: str
    rows: int
    missing: int = 0  # rows the recount has and the table lacks
    extra: int = 0  # rows the table has and the recount lacks
    differing: int = 0  # rows in both, with other counts
    examples: list[str] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return not (self.missing or self.extra or self.differing)


def _is_empty(value) -> bool:
    return value == 0 or value == ()


def _read(cursor, table: str) -> Row:
    """The table's rows by key, leaving out rows that count nothing and trailing empty histogram days:
    a trigger may leave a row at zero where a rebuild writes none, and both mean the same figure."""
    keys = SUMMARY_TABLES[table]
    cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (a table of SUMMARY_TABLES)
    columns = [column.name for column in cursor.description]
    rows: Row = {}
    for values in cursor.fetchall():
        row = dict(zip(columns, values, strict=True))
        row.pop("id", None)
        counts = []
        for name, value in row.items():
            if name in keys:
                continue
            if isinstance(value, list):
                while value and value[-1] == 0:
                    value = value[:-1]
                value = tuple(value)
            counts.append((name, value))
        if all(_is_empty(value) for _, value in counts):
            continue
        rows[tuple(row[key] for key in keys)] = tuple(counts)
    return rows


def _compare(table: str, kept: Row, recounted: Row, *, examples: int) -> TableDifference:
    difference = TableDifference(table=table, rows=len(recounted))
    for key in sorted(kept.keys() | recounted.keys(), key=repr):
        was, now = kept.get(key), recounted.get(key)
        if was == now:
            continue
        if was is None:
            difference.missing += 1
            note = f"missing {key}: recounted {dict(now)}"
        elif now is None:
            difference.extra += 1
            note = f"extra {key}: kept {dict(was)}"
        else:
            difference.differing += 1
            changed = [
                f"{name} kept {value!r}, recounted {dict(now)[name]!r}"
                for name, value in was
                if dict(now)[name] != value
            ]
            note = f"differs {key}: {'; '.join(changed)}"
        if len(difference.examples) < examples:
            difference.examples.append(note)
    return difference


def recount_figures(
    *,
    fix: bool,
    today: datetime.date,
    examples: int = 5,
    on_step: Callable[[str], None] = lambda step: None,
    on_batch: Callable[[int, int], None] | None = None,
) -> list[TableDifference]:
    """Rebuilds every summary table from the facts and returns, per table, how the kept one differed.

    Past due days are folded on both sides first (the nightly fold, idempotent), so that a fold done
    or not done yet is no difference. Rolled back unless `fix`. `on_batch` is told of each batch of
    cases recounted (`rebuild_case_figures`)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {', '.join(_FACT_TABLES)} IN SHARE MODE")
        fold_past_due_days(today=today)
        kept = {}
        for table in SUMMARY_TABLES:
            on_step(f"reading {table}")
            kept[table] = _read(cursor, table)
        on_step("recounting the case figures")
        rebuild_case_figures(on_batch=on_batch)
        fold_past_due_days(today=today)
        on_step("recounting the assessment figures")
        rebuild_assessment_figures()
        differences = []
        for table in SUMMARY_TABLES:
            on_step(f"comparing {table}")
            differences.append(_compare(table, kept[table], _read(cursor, table), examples=examples))
        if not fix:
            transaction.set_rollback(True)
    return differences
