"""`manage.py recount_figures [--fix]`: the dashboards' summary tables recounted from the facts.

Exit status 0 when every table was exact (or --fix wrote the recount), 1 when a difference was found
and left: a cron job or a monitor can run it nightly and alert on the status."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from dashboards.recount import STEPS, recount_figures


class Command(BaseCommand):
    help = "Recount every dashboard summary table from the facts and report, per table, any difference."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Keep the recount (replace what differed).")
        parser.add_argument("--examples", type=int, default=5, help="Rows named per table (default 5).")

    def handle(self, *args, fix, examples, **options):
        # The bar goes to stderr, and only on a terminal: stdout is the report, for a log or a mail.
        console = Console(stderr=True)
        with Progress(
            TextColumn("{task.description:<45}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            disable=not console.is_terminal,
        ) as progress:
            task = progress.add_task("locking the facts", total=STEPS)
            batches = progress.add_task("cases recounted, in batches", total=None)

            def on_step(step: str) -> None:
                progress.update(task, description=step, advance=1)

            def on_batch(done: int, total: int) -> None:
                progress.update(batches, completed=done, total=total)

            differences = recount_figures(
                fix=fix, today=timezone.localdate(), examples=examples, on_step=on_step, on_batch=on_batch
            )
            progress.update(task, description="done", completed=STEPS)

        for difference in differences:
            if difference.exact:
                self.stdout.write(f"{difference.table}: {difference.rows} rows, exact")
                continue
            self.stdout.write(
                f"{difference.table}: {difference.differing} differ, {difference.missing} missing, "
                f"{difference.extra} extra (of {difference.rows} recounted rows)"
            )
            for example in difference.examples:
                self.stdout.write(f"  {example}")
        wrong = [d.table for d in differences if not d.exact]
        if not wrong:
            self.stdout.write("Every summary table equals its recount.")
        elif fix:
            self.stdout.write(f"Fixed: {', '.join(wrong)} now hold the recount.")
        else:
            sys.stdout.flush()
            raise CommandError(
                f"{len(wrong)} summary table(s) differ from the recount; run with --fix to replace them.",
                returncode=1,
            )
