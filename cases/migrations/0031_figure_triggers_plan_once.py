"""The figure triggers plan their statements once per connection, not once per row changed.

PostgreSQL (before 18) plans the body of a `LANGUAGE sql` function on every call, unless it can
inline it: a fact function called in a select list is not inlined, nor is a function that writes.
Per move that was 3.5-5 ms of planning (`track_functions`: the case's facts 0.8 ms a call, twice;
the monthly and rollup upserts 0.5 ms each, per trigger). Now:

- the trigger functions call the fact functions in FROM, where the planner inlines them into the
  trigger's own statement, whose plan PL/pgSQL keeps for the connection's life;
- the upserts are PL/pgSQL functions with the same statement, planned once per connection too.

The figures are the same (the facts and the upserts are unchanged): a case's accept went from
1.5 + 3.6 ms to 0.4 + 0.7 ms of PostgreSQL (`track_functions` over 100 accepts, 10k cases).
"""

import re

from django.db import migrations

UPSERTS = (
    "cases_figure_apply_months",
    "cases_figure_apply_rollups",
    "cases_figure_apply_open_due",
    "cases_figure_apply_open_due_rows",
)


def _definition(schema_editor, name: str) -> str:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_functiondef(oid) FROM pg_proc WHERE proname = %s", [name])
        return cursor.fetchone()[0]


def _relanguage(schema_editor, name: str, *, to_plpgsql: bool) -> None:
    head, body = _definition(schema_editor, name).split("AS $function$", 1)
    body = body.rsplit("$function$", 1)[0].strip()
    if to_plpgsql:
        head = head.replace("LANGUAGE sql", "LANGUAGE plpgsql")
        body = f"BEGIN\n{body.rstrip(';')};\nEND"
    else:
        head = head.replace("LANGUAGE plpgsql", "LANGUAGE sql")
        body = body.removeprefix("BEGIN").removesuffix("END").strip()
    schema_editor.execute(f"{head}AS $function$\n{body}\n$function$")


# The trigger functions, as 0014 and 0021 left them, call each fact function in a select list;
# called in FROM the same function is inlined. The rewrite goes both ways on their definitions.
TRIGGER_FUNCTIONS = ("cases_figure_case_changed", "cases_figure_child_changed")
IN_SELECT_LIST = re.compile(r"SELECT (cases_figure_\w+_facts)\(([^()]*)\)")
IN_FROM = re.compile(r"SELECT f FROM (cases_figure_\w+_facts)\(([^()]*)\) AS f")


def _recall(schema_editor, name: str, *, in_from: bool) -> None:
    definition = _definition(schema_editor, name)
    if in_from:
        rewritten = IN_SELECT_LIST.sub(r"SELECT f FROM \1(\2) AS f", definition)
    else:
        rewritten = IN_FROM.sub(r"SELECT \1(\2)", definition)
    if rewritten == definition:
        raise RuntimeError(f"{name}: no fact function call to rewrite")
    schema_editor.execute(rewritten)


def forwards(apps, schema_editor):
    # The figure triggers are PostgreSQL's; the embedded SQLite of a demo has none.
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in UPSERTS:
        _relanguage(schema_editor, name, to_plpgsql=True)
    for name in TRIGGER_FUNCTIONS:
        _recall(schema_editor, name, in_from=True)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in UPSERTS:
        _relanguage(schema_editor, name, to_plpgsql=False)
    for name in TRIGGER_FUNCTIONS:
        _recall(schema_editor, name, in_from=False)


class Migration(migrations.Migration):
    dependencies = [("cases", "0030_assignment_copies_by_trigger")]

    operations = [migrations.RunPython(forwards, backwards)]
