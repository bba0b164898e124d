"""The figure triggers plan their statements once per connection, not once per row changed.

PostgreSQL (before 18) plans the body of a `LANGUAGE sql` function on every call, unless it can
inline it: a fact function called in a select list is not inlined, nor is a function that writes.
Per move that was 3.5-5 ms of planning (`track_functions`: the case's facts 0.8 ms a call, twice;
the monthly and rollup upserts 0.5 ms each, per trigger). Now:

- the trigger functions call the fact functions in FROM, where the planner inlines them into the
  trigger's own statement, whose plan PL/pgSQL keeps for the connection's life;
- the upserts are PL/pgSQL functions with the same statement, planned once per connection too.

The figures are the same (the facts and the upserts are unchanged): a case's accept went from
1.5 + 3.6 ms to 0.5 + 0.9 ms of PostgreSQL (bench/cases_bench.py, 10k cases).
"""

from django.db import migrations

UPSERTS = (
    "cases_figure_apply_months",
    "cases_figure_apply_rollups",
    "cases_figure_apply_open_due",
    "cases_figure_apply_open_due_rows",
)


def _relanguage(schema_editor, name: str, *, to_plpgsql: bool) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_functiondef(oid) FROM pg_proc WHERE proname = %s", [name])
        definition = cursor.fetchone()[0]
    head, body = definition.split("AS $function$", 1)
    body = body.rsplit("$function$", 1)[0].strip()
    if to_plpgsql:
        head = head.replace("LANGUAGE sql", "LANGUAGE plpgsql")
        body = f"BEGIN\n{body.rstrip(';')};\nEND"
    else:
        head = head.replace("LANGUAGE plpgsql", "LANGUAGE sql")
        body = body.removeprefix("BEGIN").removesuffix("END").strip()
    schema_editor.execute(f"{head}AS $function$\n{body}\n$function$")


CASE_CHANGED = """
CREATE OR REPLACE FUNCTION cases_figure_case_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moves_children boolean := TG_OP = 'UPDATE' AND (
    (OLD.district_id, OLD.measure_id, OLD.urgency, OLD.lead_bureau_id)
    IS DISTINCT FROM (NEW.district_id, NEW.measure_id, NEW.urgency, NEW.lead_bureau_id));
  facts cases_figure_fact[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    facts := ARRAY(SELECT f FROM cases_figure_case_facts(NEW, 1) AS f);
  ELSIF TG_OP = 'DELETE' THEN
    facts := ARRAY(SELECT f FROM cases_figure_case_facts(OLD, -1) AS f);
  ELSIF moves_children THEN
    -- The rows under the case are keyed by its dimensions: they move with it.
    facts := ARRAY(SELECT f FROM cases_figure_all_facts(OLD, -1) AS f
                   UNION ALL SELECT f FROM cases_figure_all_facts(NEW, 1) AS f);
  ELSE
    facts := ARRAY(SELECT f FROM cases_figure_case_facts(OLD, -1) AS f
                   UNION ALL SELECT f FROM cases_figure_case_facts(NEW, 1) AS f);
  END IF;
  PERFORM cases_figure_apply(facts);
  PERFORM cases_figure_apply_open_due(
    CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD END,
    CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW END
  );
  RETURN NULL;
END $$;
"""

CHILD_CHANGED = """
CREATE OR REPLACE FUNCTION cases_figure_child_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_case cases_case;
  new_case cases_case;
  facts cases_figure_fact[];
BEGIN
  IF TG_OP <> 'INSERT' THEN
    SELECT * INTO old_case FROM cases_case WHERE id = OLD.case_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    SELECT * INTO new_case FROM cases_case WHERE id = NEW.case_id;
  END IF;
  IF TG_TABLE_NAME = 'cases_assignment' THEN
    facts := ARRAY(
      SELECT f FROM cases_figure_assignment_facts(
        OLD, old_case.district_id, old_case.measure_id, old_case.urgency, -1) AS f
      WHERE TG_OP <> 'INSERT'
      UNION ALL
      SELECT f FROM cases_figure_assignment_facts(
        NEW, new_case.district_id, new_case.measure_id, new_case.urgency, 1) AS f
      WHERE TG_OP <> 'DELETE');
  ELSIF TG_TABLE_NAME = 'cases_extensionrequest' THEN
    facts := ARRAY(
      SELECT f FROM cases_figure_extension_facts(
        OLD, old_case.district_id, old_case.measure_id, old_case.urgency, -1) AS f
      WHERE TG_OP <> 'INSERT'
      UNION ALL
      SELECT f FROM cases_figure_extension_facts(
        NEW, new_case.district_id, new_case.measure_id, new_case.urgency, 1) AS f
      WHERE TG_OP <> 'DELETE');
  ELSE
    facts := ARRAY(
      SELECT f FROM cases_figure_supervision_facts(
        OLD, old_case.district_id, old_case.measure_id, old_case.lead_bureau_id, old_case.urgency, -1) AS f
      WHERE TG_OP <> 'INSERT'
      UNION ALL
      SELECT f FROM cases_figure_supervision_facts(
        NEW, new_case.district_id, new_case.measure_id, new_case.lead_bureau_id, new_case.urgency, 1) AS f
      WHERE TG_OP <> 'DELETE');
  END IF;
  PERFORM cases_figure_apply(facts);
  RETURN NULL;
END $$;
"""

# As 0021 left them: the fact functions called in the select list.
CASE_CHANGED_BEFORE = (
    CASE_CHANGED.replace(
        "SELECT f FROM cases_figure_case_facts(NEW, 1) AS f", "SELECT cases_figure_case_facts(NEW, 1)"
    )
    .replace("SELECT f FROM cases_figure_case_facts(OLD, -1) AS f", "SELECT cases_figure_case_facts(OLD, -1)")
    .replace("SELECT f FROM cases_figure_all_facts(OLD, -1) AS f", "SELECT cases_figure_all_facts(OLD, -1)")
    .replace("SELECT f FROM cases_figure_all_facts(NEW, 1) AS f", "SELECT cases_figure_all_facts(NEW, 1)")
)


def _child_changed_before() -> str:
    body = CHILD_CHANGED
    for name in ("assignment", "extension", "supervision"):
        body = body.replace(f"SELECT f FROM cases_figure_{name}_facts(", f"SELECT cases_figure_{name}_facts(")
    return body.replace(") AS f\n", ")\n")


def forwards(apps, schema_editor):
    # The figure triggers are PostgreSQL's; the embedded SQLite of a demo has none.
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in UPSERTS:
        _relanguage(schema_editor, name, to_plpgsql=True)
    schema_editor.execute(CASE_CHANGED)
    schema_editor.execute(CHILD_CHANGED)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in UPSERTS:
        _relanguage(schema_editor, name, to_plpgsql=False)
    schema_editor.execute(CASE_CHANGED_BEFORE)
    schema_editor.execute(_child_changed_before())


class Migration(migrations.Migration):
    dependencies = [("cases", "0030_assignment_copies_by_trigger")]

    operations = [migrations.RunPython(forwards, backwards)]
