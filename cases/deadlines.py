"""Working-day arithmetic on the Chinese official calendar.

`WorkingCalendar` is pure: it knows which years have their holiday notice entered
and the exceptions to Monday to Friday. A day in a year without a notice counts
Monday to Friday, and a deadline that crosses such a day is provisional.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from cases.models import CalendarDay, CalendarYear, DeadlineRule

MONDAY_TO_FRIDAY = range(5)


@dataclass(frozen=True)
class Deadline:
    due_on: date
    is_provisional: bool


@dataclass(frozen=True)
class WorkingCalendar:
    covered_years: frozenset[int] = frozenset()
    # date -> is it a working day, for the days that differ from Monday to Friday
    exceptions: Mapping[date, bool] = field(default_factory=dict)

    def is_working_day(self, day: date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() in MONDAY_TO_FRIDAY

    def working_days_left(self, *, today: date, due_on: date) -> int:
        """Working days from `today` to `due_on`: 0 when due today, 1 when due the next working day;
        negative once passed (-1 on the first working day after it)."""
        step = 1 if due_on >= today else -1
        start, end = (today, due_on) if step == 1 else (due_on, today)
        days = sum(
            1 for n in range(1, (end - start).days + 1) if self.is_working_day(start + timedelta(days=n))
        )
        return days * step

    def is_provisional_between(self, start: date, end: date) -> bool:
        """Whether a day between the two falls in a year without its holiday notice."""
        low, high = sorted((start, end))
        return any(year not in self.covered_years for year in range(low.year, high.year + 1))

    def add_working_days(self, start: date, working_days: int) -> Deadline:
        """The `working_days`-th working day after `start` (which itself does not count)."""
        if working_days < 0:
            raise ValueError("working_days must not be negative")
        day, counted, provisional = start, 0, False
        while counted < working_days:
            day += timedelta(days=1)
            provisional = provisional or day.year not in self.covered_years
            if self.is_working_day(day):
                counted += 1
        return Deadline(due_on=day, is_provisional=provisional)


def load_calendar(*, start: date, end: date) -> WorkingCalendar:
    """The calendar rows administrators keep, for the days from `start` to `end`."""
    years = frozenset(
        CalendarYear.objects.filter(year__gte=start.year, year__lte=end.year).values_list("year", flat=True)
    )
    exceptions = dict(
        CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_working_day")
    )
    return WorkingCalendar(covered_years=years, exceptions=exceptions)


def calendar_for(*, start: date, working_days: int, end: date | None = None) -> WorkingCalendar:
    """The calendar from `start` far enough to count `working_days` from any day up to `end`."""
    # Holidays never last more than ~10 days in a row, so this window always suffices.
    return load_calendar(start=start, end=(end or start) + timedelta(days=working_days * 2 + 30))


@dataclass(frozen=True)
class Countdown:
    """A deadline as a page shows it: the day, the working days left (None when too far off to
    count) and whether the calendar of a year it crosses is still unknown."""

    due_on: date
    days_left: int | None
    is_provisional: bool

    @property
    def is_overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.is_overdue else 0


# Deadlines further off than this are shown by their date alone (a typed 9999-12-31, say).
COUNTDOWN_HORIZON = timedelta(days=400)


def countdowns(*, dates: list[date | None], today: date) -> dict[date, Countdown]:
    """The countdown of each given date, from one read of the calendar for all of them."""
    near = {d for d in dates if d is not None and abs(d - today) <= COUNTDOWN_HORIZON}
    far = {d for d in dates if d is not None} - near
    counted: dict[date, Countdown] = {}
    if near:
        calendar = load_calendar(start=min(near | {today}), end=max(near | {today}))
        for day in near:
            counted[day] = Countdown(
                due_on=day,
                days_left=calendar.working_days_left(today=today, due_on=day),
                is_provisional=calendar.is_provisional_between(today, day),
            )
    for day in far:
        counted[day] = Countdown(due_on=day, days_left=None, is_provisional=day > today)
    return counted


def due_after(*, start: date, working_days: int) -> Deadline:
    """The deadline `working_days` working days after `start`, read from the calendar table."""
    return calendar_for(start=start, working_days=working_days).add_working_days(start, working_days)


# The clocks of `DeadlineRule`, each a number of working days per urgency.
CLOCKS = ("triage", "accept", "answer", "contribute", "referral", "supervision")


def rule_deadlines(*, clock: str, start: date) -> dict[str, date]:
    """Per urgency, the day `clock` (one of CLOCKS) runs out for a step started on `start`: one read of
    the rules and the calendar, for a sweep's whole batch."""
    days = dict(DeadlineRule.objects.values_list("urgency", f"{clock}_working_days"))
    calendar = calendar_for(start=start, working_days=max(days.values(), default=0))
    return {urgency: calendar.add_working_days(start, n).due_on for urgency, n in days.items()}


def rule_deadline(*, clock: str, urgency: str, start: date) -> date:
    """The day `clock` runs out for a step of a case of `urgency` started on `start`."""
    days = getattr(DeadlineRule.objects.get(urgency=urgency), f"{clock}_working_days")
    return due_after(start=start, working_days=days).due_on
