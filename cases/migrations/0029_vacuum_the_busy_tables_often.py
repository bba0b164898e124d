"""The case and assignment tables are vacuumed after a few thousand changed rows, not after a fifth
of the table: a list's count is an index-only scan, which reads the table itself for every page a
move changed since the last vacuum, so with the default thresholds (20 % of a million cases) it
slowed 7-10x between vacuums. The history tables, only ever appended to, are vacuumed as often, so
their pages are marked all-visible too. A vacuum of a table with few changed pages reads only those."""

from django.db import migrations

BUSY = {
    "cases_case": 2000,
    "cases_assignment": 2000,
    "cases_caseevent": 5000,
}


def _set(table: str, threshold: int) -> str:
    return (
        f"ALTER TABLE {table} SET ("
        f"autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = {threshold}, "
        f"autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = {threshold}, "
        f"autovacuum_analyze_scale_factor = 0.02)"
    )


def _reset(table: str) -> str:
    return (
        f"ALTER TABLE {table} RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, "
        "autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold, "
        "autovacuum_analyze_scale_factor)"
    )


def _each(statement):
    def run(apps, schema_editor):
        # Storage parameters are PostgreSQL's; the embedded SQLite of a demo has no autovacuum.
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, threshold in BUSY.items():
            schema_editor.execute(statement(table, threshold))

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0028_policy_issues")]

    operations = [
        migrations.RunPython(_each(_set), _each(lambda table, threshold: _reset(table))),
    ]
