"""`manage.py check_media`: every stored file a row names (each FileField of every model) is there.

Run after a restore (bin/restore does) or when a disk was replaced: it names the rows whose file is
missing and exits 1, so that a monitor can alert on it."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models


def file_fields() -> list[tuple[type[models.Model], str]]:
    """Each concrete model's file fields (attachments, briefing materials, ...), found, not listed, so
    that a new one is checked too."""
    return [
        (model, field.name)
        for model in apps.get_models()
        if not model._meta.proxy
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


class Command(BaseCommand):
    help = "Check that every file a row refers to exists in the media storage."

    def add_arguments(self, parser):
        parser.add_argument("--examples", type=int, default=10, help="Missing files named per field.")

    def handle(self, *args, examples, **options):
        missing_in_all = 0
        for model, name in file_fields():
            rows = model._default_manager.exclude(**{name: ""}).values_list("pk", name)
            present = missing = 0
            for pk, path in rows.iterator(chunk_size=2000):
                storage = model._meta.get_field(name).storage
                if storage.exists(path):
                    present += 1
                    continue
                missing += 1
                if missing <= examples:
                    self.stdout.write(f"  missing: {model._meta.label} #{pk}: {path}")
            missing_in_all += missing
            self.stdout.write(f"{model._meta.label}.{name}: {present} files present, {missing} missing")
        if missing_in_all:
            raise CommandError(f"{missing_in_all} file(s) named by rows are missing.", returncode=1)
        self.stdout.write("Every file named by a row is present.")
