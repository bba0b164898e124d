"""Trigram indexes (pg_trgm) on a case's title and description: the similar-case suggestions read
them, and the list's search (`?search=`, a case-insensitive substring) uses them instead of reading
every case; trigrams work on Chinese text too (the database's ctype is UTF-8).

PostgreSQL only: the embedded SQLite of a demo has neither the extension nor the need."""

from django.db import migrations

INDEXES = {
    "case_title_trgm": "title",
    "case_description_trgm": "description",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON cases_case USING gin ({column} gin_trgm_ops)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0025_case_source_briefing")]

    operations = [migrations.RunPython(forwards, backwards)]
