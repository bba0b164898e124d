from django.db import migrations

# The figure triggers of migration 0014 fired once per row. A statement inserting thousands of rows
# (a sweep's batch of supervisions, a bulk load) then updated the same summary rows once per row, in
# one transaction, and each update walked every earlier version of its row. Inserts and deletes now
# fire once per statement, with the statement's rows (transition tables), and apply all their facts
# at once: each summary row is written once.
#
# What a row contributes is unchanged (the cases_figure_*_facts functions of 0014). Updates keep
# 0014's row triggers: their WHEN clause lets the many bulk updates that change no figure column (a
# sweep's flags, the assignments' copies of their case) pass at no cost, where a statement trigger
# would have to capture and compare every old and new row (260 ms per 5,000 cases).

# The facts of each kind of row below a case, with the case's dimensions (the functions of 0014).
CHILDREN = {
    "cases_assignment": "cases_figure_assignment_facts(r, c.district_id, c.measure_id, c.urgency, s)",
    "cases_extensionrequest": "cases_figure_extension_facts(r, c.district_id, c.measure_id, c.urgency, s)",
    "cases_supervision": (
        "cases_figure_supervision_facts(r, c.district_id, c.measure_id, c.lead_bureau_id, c.urgency, s)"
    ),
}


def _rows_of_statement(table: str) -> str:
    """plpgsql: `olds` or `news` set to the rows the statement deleted or inserted."""
    return f"""
  IF TG_OP = 'INSERT' THEN
    news := ARRAY(SELECT n::{table} FROM new_rows AS n);
  ELSE
    olds := ARRAY(SELECT o::{table} FROM old_rows AS o);
  END IF;"""


# The statement triggers of a table: a transition table may serve one event only.
EVENTS = {
    "inserted": ("INSERT", "NEW TABLE AS new_rows"),
    "deleted": ("DELETE", "OLD TABLE AS old_rows"),
}


def _statement_triggers(table: str, function: str) -> str:
    return "\n".join(
        f"CREATE TRIGGER {table}_figures_{name} AFTER {event} ON {table} "
        f"REFERENCING {transitions} FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
        for name, (event, transitions) in EVENTS.items()
    )


def _child_sql(table: str, facts: str) -> str:
    return f"""
-- The facts of a set of {table} rows, with their case's dimensions as they are now.
CREATE FUNCTION {table}_figure_facts(rows {table}[], s integer) RETURNS SETOF cases_figure_fact
LANGUAGE sql STABLE AS $$
  SELECT f FROM unnest(rows) AS r JOIN cases_case AS c ON c.id = r.case_id, {facts} AS f
$$;

CREATE FUNCTION {table}_figures_written() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  olds {table}[] := '{{}}';
  news {table}[] := '{{}}';
BEGIN{_rows_of_statement(table)}
  IF cardinality(olds) + cardinality(news) > 0 THEN
    PERFORM cases_figure_apply(ARRAY(
      SELECT f FROM {table}_figure_facts(olds, -1) AS f
      UNION ALL
      SELECT f FROM {table}_figure_facts(news, 1) AS f));
  END IF;
  RETURN NULL;
END $$;

{_statement_triggers(table, f"{table}_figures_written")}
"""


INSTALL = f"""
DROP TRIGGER cases_figure_case_written ON cases_case;
DROP TRIGGER cases_figure_assignment_written ON cases_assignment;
DROP TRIGGER cases_figure_extension_written ON cases_extensionrequest;
DROP TRIGGER cases_figure_supervision_written ON cases_supervision;

-- Open cases by due date, for a set of old (-1) and new (+1) case rows at once.
CREATE FUNCTION cases_figure_apply_open_due_rows(olds cases_case[], news cases_case[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO cases_opencasedue AS t (due_on, district_id, measure_id, bureau_id, urgency, open_cases)
  SELECT due_on, district_id, measure_id, bureau_id, urgency, sum(delta)
  FROM (
    SELECT o.current_due_on, o.district_id, o.measure_id, coalesce(o.lead_bureau_id, 0), o.urgency, -1
    FROM unnest(olds) AS o WHERE o.current_due_on IS NOT NULL
    UNION ALL
    SELECT n.current_due_on, n.district_id, n.measure_id, coalesce(n.lead_bureau_id, 0), n.urgency, 1
    FROM unnest(news) AS n WHERE n.current_due_on IS NOT NULL
  ) AS d(due_on, district_id, measure_id, bureau_id, urgency, delta)
  GROUP BY due_on, district_id, measure_id, bureau_id, urgency
  HAVING sum(delta) <> 0
  ORDER BY due_on, district_id, measure_id, bureau_id, urgency
  ON CONFLICT (due_on, district_id, measure_id, bureau_id, urgency) DO UPDATE SET
    open_cases = t.open_cases + excluded.open_cases
$$;

CREATE FUNCTION cases_case_figures_written() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  olds cases_case[] := '{{}}';
  news cases_case[] := '{{}}';
BEGIN{_rows_of_statement("cases_case")}
  PERFORM cases_figure_apply(ARRAY(
    SELECT f FROM unnest(olds) AS o, cases_figure_case_facts(o, -1) AS f
    UNION ALL
    SELECT f FROM unnest(news) AS n, cases_figure_case_facts(n, 1) AS f));
  PERFORM cases_figure_apply_open_due_rows(olds, news);
  RETURN NULL;
END $$;

{_statement_triggers("cases_case", "cases_case_figures_written")}
{"".join(_child_sql(table, facts) for table, facts in CHILDREN.items())}
"""

_DROP_STATEMENT_TRIGGERS = "".join(
    f"DROP TRIGGER IF EXISTS {table}_figures_{name} ON {table};\n"
    for table in ("cases_case", *CHILDREN)
    for name in EVENTS
)
_DROP_CHILD_FUNCTIONS = "".join(
    f"DROP FUNCTION IF EXISTS {table}_figures_written();\n"
    f"DROP FUNCTION IF EXISTS {table}_figure_facts({table}[], integer);\n"
    for table in CHILDREN
)


_ROW_TRIGGERS_OF_0014 = "".join(
    f"CREATE TRIGGER cases_figure_{name}_written AFTER INSERT OR DELETE ON {table} "
    f"FOR EACH ROW EXECUTE FUNCTION cases_figure_{kind}_changed();\n"
    for name, table, kind in (
        ("case", "cases_case", "case"),
        ("assignment", "cases_assignment", "child"),
        ("extension", "cases_extensionrequest", "child"),
        ("supervision", "cases_supervision", "child"),
    )
)

UNINSTALL = f"""
{_DROP_STATEMENT_TRIGGERS}
DROP FUNCTION IF EXISTS cases_case_figures_written();
DROP FUNCTION IF EXISTS cases_figure_apply_open_due_rows(cases_case[], cases_case[]);
{_DROP_CHILD_FUNCTIONS}
{_ROW_TRIGGERS_OF_0014}
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNINSTALL)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_case_figure_rollup"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
