from django.db import migrations

# The figure triggers of migration 0014 fired once per row. A statement writing thousands of rows (a
# sweep's batch of supervisions, a bulk load) then updated the same summary rows once per row, in
# one transaction, and each update walked every earlier version of its row: 5,000 cases moved in
# one statement took 20 s. These fire once per statement, with the statement's old and new rows
# (transition tables), and apply all their facts at once: each summary row is written once.
#
# What a row contributes is unchanged (the cases_figure_*_facts functions of 0014): old rows count
# -1, new rows +1, and an update counts only where a column a figure reads changed.

# The columns a figure reads, per table, as 0014's row triggers listed them in their WHEN clauses.
CASE_COLUMNS = (
    "created_at", "district_id", "measure_id", "lead_bureau_id", "urgency", "state", "answered_at",
    "answer_due_on", "accept_due_on", "reopen_count", "callback_at", "callback_resolved",
    "callback_satisfaction", "closed_at",
)
# A case's rows below it are keyed by these: when one changes, all of them move with the case.
CASE_DIMENSIONS = ("district_id", "measure_id", "urgency", "lead_bureau_id")
CHILDREN = {
    "cases_assignment": (
        ("case_id", "bureau_id", "status", "accepted_at", "accept_due_on", "created_at"),
        "cases_figure_assignment_facts(r, c.district_id, c.measure_id, c.urgency, s)",
    ),
    "cases_extensionrequest": (
        ("case_id", "bureau_id", "status", "decided_at"),
        "cases_figure_extension_facts(r, c.district_id, c.measure_id, c.urgency, s)",
    ),
    "cases_supervision": (
        ("case_id", "opened_at"),
        "cases_figure_supervision_facts(r, c.district_id, c.measure_id, c.lead_bureau_id, c.urgency, s)",
    ),
}


def _changed(columns: tuple[str, ...]) -> str:
    return f"({', '.join(f'o.{c}' for c in columns)}) IS DISTINCT FROM ({', '.join(f'n.{c}' for c in columns)})"


def _rows_of_statement(table: str, columns: tuple[str, ...]) -> str:
    """plpgsql: `olds` and `news` set to the statement's rows (for an update, those that changed)."""
    return f"""
  IF TG_OP = 'UPDATE' THEN
    olds := ARRAY(SELECT o::{table} FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
                  WHERE {_changed(columns)});
    news := ARRAY(SELECT n::{table} FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
                  WHERE {_changed(columns)});
  ELSIF TG_OP = 'INSERT' THEN
    news := ARRAY(SELECT n::{table} FROM new_rows AS n);
  ELSE
    olds := ARRAY(SELECT o::{table} FROM old_rows AS o);
  END IF;"""


# The three statement triggers of a table: a transition table may serve one event only.
EVENTS = {
    "inserted": ("INSERT", "NEW TABLE AS new_rows"),
    "updated": ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    "deleted": ("DELETE", "OLD TABLE AS old_rows"),
}


def _statement_triggers(table: str, function: str) -> str:
    return "\n".join(
        f"CREATE TRIGGER {table}_figures_{name} AFTER {event} ON {table} "
        f"REFERENCING {transitions} FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
        for name, (event, transitions) in EVENTS.items()
    )


def _child_sql(table: str, columns: tuple[str, ...], facts: str) -> str:
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
BEGIN{_rows_of_statement(table, columns)}
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


_MOVED = _changed(CASE_DIMENSIONS)

INSTALL = f"""
DROP TRIGGER cases_figure_case_written ON cases_case;
DROP TRIGGER cases_figure_case_updated ON cases_case;
DROP TRIGGER cases_figure_assignment_written ON cases_assignment;
DROP TRIGGER cases_figure_assignment_updated ON cases_assignment;
DROP TRIGGER cases_figure_extension_written ON cases_extensionrequest;
DROP TRIGGER cases_figure_extension_updated ON cases_extensionrequest;
DROP TRIGGER cases_figure_supervision_written ON cases_supervision;
DROP TRIGGER cases_figure_supervision_updated ON cases_supervision;

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
BEGIN{_rows_of_statement("cases_case", CASE_COLUMNS)}
  IF cardinality(olds) + cardinality(news) = 0 THEN
    RETURN NULL;
  END IF;
  -- A case whose dimensions changed takes the rows below it along (all its facts move); any other
  -- changes only its own facts. Inserted and deleted cases have only their own.
  PERFORM cases_figure_apply(ARRAY(
    SELECT f FROM unnest(olds) AS o LEFT JOIN unnest(news) AS n ON n.id = o.id,
           cases_figure_all_facts(o, -1) AS f WHERE n.id IS NOT NULL AND {_MOVED}
    UNION ALL
    SELECT f FROM unnest(news) AS n LEFT JOIN unnest(olds) AS o ON o.id = n.id,
           cases_figure_all_facts(n, 1) AS f WHERE o.id IS NOT NULL AND {_MOVED}
    UNION ALL
    SELECT f FROM unnest(olds) AS o LEFT JOIN unnest(news) AS n ON n.id = o.id,
           cases_figure_case_facts(o, -1) AS f WHERE n.id IS NULL OR NOT ({_MOVED})
    UNION ALL
    SELECT f FROM unnest(news) AS n LEFT JOIN unnest(olds) AS o ON o.id = n.id,
           cases_figure_case_facts(n, 1) AS f WHERE o.id IS NULL OR NOT ({_MOVED})));
  PERFORM cases_figure_apply_open_due_rows(olds, news);
  RETURN NULL;
END $$;

{_statement_triggers("cases_case", "cases_case_figures_written")}
{"".join(_child_sql(table, columns, facts) for table, (columns, facts) in CHILDREN.items())}
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


def _row_trigger_when(columns: tuple[str, ...]) -> str:
    return f"(({', '.join(f'OLD.{c}' for c in columns)}) IS DISTINCT FROM ({', '.join(f'NEW.{c}' for c in columns)}))"


_ROW_TRIGGERS_OF_0014 = "".join(
    f"CREATE TRIGGER cases_figure_{name}_written AFTER INSERT OR DELETE ON {table} "
    f"FOR EACH ROW EXECUTE FUNCTION cases_figure_child_changed();\n"
    f"CREATE TRIGGER cases_figure_{name}_updated AFTER UPDATE ON {table} FOR EACH ROW "
    f"WHEN {_row_trigger_when(columns)} EXECUTE FUNCTION cases_figure_child_changed();\n"
    for name, (table, (columns, _facts)) in zip(
        ("assignment", "extension", "supervision"), CHILDREN.items(), strict=True
    )
)

UNINSTALL = f"""
{_DROP_STATEMENT_TRIGGERS}
DROP FUNCTION IF EXISTS cases_case_figures_written();
DROP FUNCTION IF EXISTS cases_figure_apply_open_due_rows(cases_case[], cases_case[]);
{_DROP_CHILD_FUNCTIONS}
CREATE TRIGGER cases_figure_case_written AFTER INSERT OR DELETE ON cases_case
FOR EACH ROW EXECUTE FUNCTION cases_figure_case_changed();
CREATE TRIGGER cases_figure_case_updated AFTER UPDATE ON cases_case FOR EACH ROW
WHEN {_row_trigger_when(CASE_COLUMNS)} EXECUTE FUNCTION cases_figure_case_changed();
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
