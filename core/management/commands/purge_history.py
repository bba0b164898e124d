"""The one way to remove history: rows of the append-only histories older than a date, removed by
an administrator on purpose (a retention rule), and logged. Without --yes it only counts."""

import datetime
import getpass
import logging

import pgtrigger
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from pghistory.models import Event

from core.changes import change_tables
from core.history import APPEND_ONLY_TRIGGER, AppendOnlyModel
from core.time import start_of_day

logger = logging.getLogger(__name__)


def history_models() -> list[type[models.Model]]:
    """The workflow histories and every change table (`core.changes`)."""
    return [model for model in apps.get_models() if issubclass(model, AppendOnlyModel)] + change_tables()


def _recorded_at_column(model: type[models.Model]) -> str:
    return "pgh_created_at" if issubclass(model, Event) else "created_at"


class Command(BaseCommand):
    help = (
        "Remove rows older than a date from the append-only histories and change tables (a retention rule)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="YYYY-MM-DD: rows recorded before this day go.")
        parser.add_argument(
            "--history",
            action="append",
            help="app_label.Model of one history (repeatable); every history when left out.",
        )
        parser.add_argument("--yes", action="store_true", help="Remove them; without it, only count.")

    def handle(self, *args, before, history, yes, **options):
        try:
            day = datetime.date.fromisoformat(before)
        except ValueError as error:
            raise CommandError("--before must be a date, YYYY-MM-DD.") from error
        known = {model._meta.label: model for model in history_models()}
        chosen = history or sorted(known)
        unknown = set(chosen) - set(known)
        if unknown:
            raise CommandError(
                f"Not a history: {', '.join(sorted(unknown))}. Histories: {', '.join(sorted(known))}."
            )
        cutoff = start_of_day(day)
        with transaction.atomic():
            for label in chosen:
                model = known[label]
                table = connection.ops.quote_name(model._meta.db_table)
                recorded_at = _recorded_at_column(model)
                with connection.cursor() as cursor:
                    if not yes:
                        cursor.execute(f"SELECT count(*) FROM {table} WHERE {recorded_at} < %s", [cutoff])  # noqa: S608
                        self.stdout.write(f"{label}: {cursor.fetchone()[0]} rows before {day} (not removed)")
                        continue
                    with pgtrigger.ignore(f"{label}:{APPEND_ONLY_TRIGGER}"):
                        cursor.execute(f"DELETE FROM {table} WHERE {recorded_at} < %s", [cutoff])  # noqa: S608
                        removed = cursor.rowcount
                logger.warning(
                    "purge_history: %s removed %s rows of %s recorded before %s",
                    getpass.getuser(),
                    removed,
                    label,
                    day,
                )
                self.stdout.write(f"{label}: {removed} rows before {day} removed")
