import django.contrib.postgres.fields
from django.db import migrations, models

# The counts of cases_figure_fact and of the summary tables, as migration 0014 defined them.
COUNTS = (
    "logged", "now_submitted", "now_dispatched", "now_in_progress", "now_answered", "now_closed",
    "now_referred_up", "now_withdrawn", "answered", "answered_on_time", "answered_reopened",
    "callbacks", "resolved", "satisfaction_given", "satisfied", "closed",
    "assignments", "assignments_on_time", "assignments_returned", "extensions_granted",
    "supervisions_opened",
)
FINE_KEY = ("month", "district_id", "measure_id", "bureau_id", "urgency")
ROLLUP_KEY = ("grain", *FINE_KEY)
# What each grain keeps of a fact's key; a dimension it drops is 0. Every grain keeps the urgency.
ROLLUP_KEY_OF_FACT = (
    "g.grain",
    "f.month",
    "CASE WHEN g.grain IN ('district', 'district_measure') THEN f.district_id ELSE 0 END",
    "CASE WHEN g.grain = 'district_measure' THEN f.measure_id ELSE 0 END",
    "CASE WHEN g.grain = 'bureau' THEN f.bureau_id ELSE 0 END",
    "f.urgency",
)
GRAINS = "(VALUES ('district'), ('bureau'), ('district_measure')) AS g(grain)"


def _upsert(table: str, key: tuple[str, ...], key_values: tuple[str, ...], source: str, sums: str) -> str:
    """Adds summed rows to a summary table: grouped per key first (ON CONFLICT may touch a row once per
    statement) and in key order, so that two transactions lock shared rows in the same order."""
    positions = ", ".join(str(i) for i in range(1, len(key) + 1))
    updates = ",\n    ".join(
        [f"{c} = t.{c} + excluded.{c}" for c in COUNTS]
        # Most facts (assignments, supervisions, ...) carry no days: nothing to merge into a long histogram.
        + [
            f"{h} = CASE WHEN cardinality(excluded.{h}) = 0 THEN t.{h} "
            f"ELSE cases_figure_hist_merge(t.{h}, excluded.{h}) END"
            for h in ("answer_days", "close_days")
        ]
    )
    return f"""
  INSERT INTO {table} AS t ({", ".join(key)}, {", ".join(COUNTS)}, answer_days, close_days)
  SELECT {", ".join(key_values)}, {sums}
  FROM {source}
  GROUP BY {positions}
  ORDER BY {positions}
  ON CONFLICT ({", ".join(key)}) DO UPDATE SET
    {updates}"""


FACT_SUMS = ", ".join(f"sum({c})" for c in COUNTS) + (
    ", cases_figure_hist(answer_day, sign), cases_figure_hist(close_day, sign)"
)
ROW_SUMS = ", ".join(f"sum({c})" for c in COUNTS) + (
    ", cases_figure_hist_sum(answer_days), cases_figure_hist_sum(close_days)"
)

# Facts now go to the monthly table and to both rollups, in the one function every trigger and the
# rebuild call: the rollups can never disagree with the monthly rows they sum.
INSTALL = f"""
CREATE AGGREGATE cases_figure_hist_sum(integer[]) (
  SFUNC = cases_figure_hist_merge, STYPE = integer[], INITCOND = '{{}}'
);

CREATE FUNCTION cases_figure_apply_months(facts cases_figure_fact[]) RETURNS void
LANGUAGE sql AS $$
{_upsert("cases_casefiguremonth", FINE_KEY, FINE_KEY, "unnest(facts)", FACT_SUMS)}
$$;

CREATE FUNCTION cases_figure_apply_rollups(facts cases_figure_fact[]) RETURNS void
LANGUAGE sql AS $$
{_upsert("cases_casefigurerollup", ROLLUP_KEY, ROLLUP_KEY_OF_FACT, f"unnest(facts) AS f CROSS JOIN {GRAINS}", FACT_SUMS)}
$$;

CREATE OR REPLACE FUNCTION cases_figure_apply(facts cases_figure_fact[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cases_figure_apply_months(facts);
  PERFORM cases_figure_apply_rollups(facts);
END $$;

-- The rollups summed from the monthly table in one statement: here, and at the end of a rebuild from
-- scratch (which fills the monthly table batch by batch; upserting the few rollup rows in every batch
-- would leave a dead version of each per batch).
CREATE FUNCTION cases_figure_rollups_from_months() RETURNS void
LANGUAGE sql AS $$
{_upsert(
    "cases_casefigurerollup",
    ROLLUP_KEY,
    tuple(value.replace("f.", "m.") for value in ROLLUP_KEY_OF_FACT),
    f"cases_casefiguremonth AS m CROSS JOIN {GRAINS}",
    ROW_SUMS,
)}
$$;

SELECT cases_figure_rollups_from_months();
"""

UNINSTALL = f"""
CREATE OR REPLACE FUNCTION cases_figure_apply(facts cases_figure_fact[]) RETURNS void
LANGUAGE sql AS $$
{_upsert("cases_casefiguremonth", FINE_KEY, FINE_KEY, "unnest(facts)", FACT_SUMS)}
$$;

DROP FUNCTION IF EXISTS cases_figure_rollups_from_months();
DROP FUNCTION IF EXISTS cases_figure_apply_rollups(cases_figure_fact[]);
DROP FUNCTION IF EXISTS cases_figure_apply_months(cases_figure_fact[]);

DROP AGGREGATE IF EXISTS cases_figure_hist_sum(integer[]);
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNINSTALL)


def _count_field():
    return models.IntegerField(default=0)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_case_figures"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseFigureRollup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                *[(name, _count_field()) for name in COUNTS],
                (
                    "answer_days",
                    django.contrib.postgres.fields.ArrayField(base_field=models.IntegerField(), default=list, size=None),
                ),
                (
                    "close_days",
                    django.contrib.postgres.fields.ArrayField(base_field=models.IntegerField(), default=list, size=None),
                ),
                (
                    "grain",
                    models.CharField(
                        choices=[
                            ("district", "month, district and urgency"),
                            ("district_measure", "month, district, measure and urgency"),
                            ("bureau", "month, bureau and urgency"),
                        ],
                        max_length=20,
                        verbose_name="grain",
                    ),
                ),
                ("month", models.DateField(verbose_name="month")),
                ("district_id", models.IntegerField(verbose_name="district")),
                ("measure_id", models.IntegerField(verbose_name="measure")),
                ("bureau_id", models.IntegerField(verbose_name="bureau")),
                ("urgency", models.CharField(max_length=20, verbose_name="urgency")),
            ],
            options={
                "verbose_name": "rolled-up monthly case figures",
                "verbose_name_plural": "rolled-up monthly case figures",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("grain", "month", "district_id", "measure_id", "bureau_id", "urgency"),
                        name="case_figure_rollup_key",
                    )
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
