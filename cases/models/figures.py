"""Summary tables behind the managers' dashboards, kept exactly in step with the cases by the database.

Triggers on cases, assignments, extension requests and supervisions (migration 0014) add each row's
contribution when it is written and take the old one away, in the same transaction, so the figures
never drift and reading them costs the same however many cases there are. `cases.figures` rebuilds
them from scratch with the same definition (`cases_figure_facts` in SQL).
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

# The counts kept per month, district, measure, bureau and urgency; the SQL functions name them alike.
FIGURE_COUNTS = (
    # Cases logged in the month, and the state they are in now.
    "logged",
    "now_submitted",
    "now_dispatched",
    "now_in_progress",
    "now_answered",
    "now_closed",
    "now_referred_up",
    "now_withdrawn",
    # Answers given in the month (the latest answer of each case), and of those on time / reopened before.
    "answered",
    "answered_on_time",
    "answered_reopened",
    # Call-backs made in the month (the latest of each case): resolved, and the satisfaction asked.
    "callbacks",
    "resolved",
    "satisfaction_given",
    "satisfied",
    # Cases closed in the month.
    "closed",
    # Bureaus' assignments dispatched in the month: accepted within the deadline, returned as misrouted.
    "assignments",
    "assignments_on_time",
    "assignments_returned",
    # Deadline extensions granted and supervisions opened in the month.
    "extensions_granted",
    "supervisions_opened",
)

# Histograms: element i (counting from 0) holds how many cases took i days; the last bucket is "or more".
HISTOGRAM_DAYS_CAP = 365


class FigureRow(models.Model):
    """A summary row: its key (a month, district, measure, bureau and urgency) and what it counts
    (FIGURE_COUNTS, then the two histograms)."""

    month = models.DateField(_("month"))
    district_id = models.IntegerField(_("district"))
    measure_id = models.IntegerField(_("measure"))
    bureau_id = models.IntegerField(_("bureau"))
    urgency = models.CharField(_("urgency"), max_length=20)
    logged = models.IntegerField(default=0)
    now_submitted = models.IntegerField(default=0)
    now_dispatched = models.IntegerField(default=0)
    now_in_progress = models.IntegerField(default=0)
    now_answered = models.IntegerField(default=0)
    now_closed = models.IntegerField(default=0)
    now_referred_up = models.IntegerField(default=0)
    now_withdrawn = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    answered_on_time = models.IntegerField(default=0)
    answered_reopened = models.IntegerField(default=0)
    callbacks = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    satisfaction_given = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    assignments = models.IntegerField(default=0)
    assignments_on_time = models.IntegerField(default=0)
    assignments_returned = models.IntegerField(default=0)
    extensions_granted = models.IntegerField(default=0)
    supervisions_opened = models.IntegerField(default=0)
    # Days from logging to the answer, and to closing, as histograms (see HISTOGRAM_DAYS_CAP).
    answer_days = ArrayField(models.IntegerField(), default=list)
    close_days = ArrayField(models.IntegerField(), default=list)

    class Meta:
        abstract = True


class CaseFigureMonth(FigureRow):
    """What happened to cases in one month, for one district, measure, bureau and urgency.

    The bureau is the lead bureau for the case's own figures and the assignment's bureau for the
    assignments', so filtering by a bureau gives the cases it leads and every assignment it got.
    0 stands for "no bureau" (a case not dispatched yet). The dimensions are plain numbers, not
    foreign keys: a summary row must never stop a district or bureau from being edited.
    """

    class Meta:
        verbose_name = _("monthly case figures")
        verbose_name_plural = _("monthly case figures")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "district_id", "measure_id", "bureau_id", "urgency"],
                name="case_figure_month_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} d{self.district_id} m{self.measure_id} b{self.bureau_id} {self.urgency}"


class FigureGrain(models.TextChoices):
    """The dimensions a rollup row keeps besides the month and the urgency (which every grain keeps,
    so that an urgency filter reads a rollup too); the others are summed away (0)."""

    DISTRICT = "district", _("month, district and urgency")
    DISTRICT_MEASURE = "district_measure", _("month, district, measure and urgency")
    BUREAU = "bureau", _("month, bureau and urgency")


# The columns each grain keeps besides the month, smallest grain first: a read grouped and filtered by
# no other columns may use it.
GRAIN_COLUMNS = {
    FigureGrain.DISTRICT: frozenset({"district_id", "urgency"}),
    FigureGrain.BUREAU: frozenset({"bureau_id", "urgency"}),
    FigureGrain.DISTRICT_MEASURE: frozenset({"district_id", "measure_id", "urgency"}),
}
# No grain of the month alone: its one row a month would be updated by every write, and a statement
# writing thousands of cases (a sweep's batch) would walk that row's thousands of versions each time.


class CaseFigureRollup(FigureRow):
    """`CaseFigureMonth` summed over the dimensions its grain drops, kept by the same trigger function.

    The monthly table has a row per month and combination of district, measure, bureau and urgency,
    and the more cases there are, the more combinations fill. A city-wide figure grouped by district
    and measure, or a ranking of bureaus, needs none of that detail: its rollup rows are bounded by
    the months times the districts and measures (or the bureaus), whatever the number of cases.
    Every write to the monthly table writes its rollups in the same statement's function, so they
    lock in the same transaction and are never out of step.
    """

    grain = models.CharField(_("grain"), max_length=20, choices=FigureGrain.choices)

    class Meta:
        verbose_name = _("rolled-up monthly case figures")
        verbose_name_plural = _("rolled-up monthly case figures")
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "month", "district_id", "measure_id", "bureau_id", "urgency"],
                name="case_figure_rollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.month:%Y-%m} d{self.district_id} m{self.measure_id} b{self.bureau_id}"


class OpenCaseDue(models.Model):
    """Cases waiting for a bureau (to accept or to answer), counted by the day that step is due.

    "Overdue now" is the sum over the days before today: a few thousand rows at most, however many
    cases there are.
    """

    due_on = models.DateField(_("due on"))
    district_id = models.IntegerField(_("district"))
    measure_id = models.IntegerField(_("measure"))
    bureau_id = models.IntegerField(_("bureau"))
    urgency = models.CharField(_("urgency"), max_length=20)
    open_cases = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("open cases by due date")
        verbose_name_plural = _("open cases by due date")
        constraints = [
            models.UniqueConstraint(
                fields=["due_on", "district_id", "measure_id", "bureau_id", "urgency"],
                name="open_case_due_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.due_on} d{self.district_id} m{self.measure_id} b{self.bureau_id}: {self.open_cases}"
