"""Loads the bilingual demo data set in one transaction (see `demo.seeding` for what it holds
and why running it again changes nothing), then prints its summary."""

import os
import sys

from django.core.management.base import BaseCommand
from django.db import transaction

from demo.seeding import seed


class Command(BaseCommand):
    help = "Load the bilingual demo data set (users for every role, centres across districts)."

    def handle(self, *args, **options):
        # Written out only once the data is committed: a reader that stops early (`| head`)
        # breaks the pipe, and inside the transaction that rolled the whole demo back.
        with transaction.atomic():
            lines = seed(self.style)
        try:
            for line in lines:
                self.stdout.write(line)
        except BrokenPipeError:
            # The data is in; the rest of the summary has nobody to read it.
            _silence_stdout()


def _silence_stdout() -> None:
    """Points stdout at /dev/null, so the interpreter's last flush to the closed pipe is quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
