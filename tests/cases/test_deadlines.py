"""Working days on the Chinese official calendar, holidays and adjusted working days (调休) included."""

from datetime import date

import pytest

from cases.deadlines import WorkingCalendar, due_after
from cases.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def test_national_day_2024_is_skipped_and_the_adjusted_sunday_counts():
    # 29 Sep 2024 is a Sunday worked in lieu; 1-7 Oct are holidays; 12 Oct (Saturday) is worked.
    assert due_after(start=date(2024, 9, 28), working_days=1).due_on == date(2024, 9, 29)
    assert due_after(start=date(2024, 9, 29), working_days=2).due_on == date(2024, 10, 8)
    assert due_after(start=date(2024, 10, 11), working_days=1).due_on == date(2024, 10, 12)


def test_spring_festival_2024():
    # Holiday 10-17 Feb 2024; Sunday 4 Feb and Sunday 18 Feb are working days.
    assert due_after(start=date(2024, 2, 3), working_days=1).due_on == date(2024, 2, 4)
    assert due_after(start=date(2024, 2, 8), working_days=2).due_on == date(2024, 2, 18)
    deadline = due_after(start=date(2024, 2, 8), working_days=15)
    assert deadline.due_on == date(2024, 3, 6)  # 9 Feb, 18 Feb, then 13 weekdays
    assert deadline.is_provisional is False


def test_a_year_without_a_notice_counts_monday_to_friday_and_is_provisional():
    deadline = due_after(start=date(2027, 9, 30), working_days=2)  # Thursday

    assert deadline.due_on == date(2027, 10, 4)  # next Monday: no National Day data for 2027
    assert deadline.is_provisional is True


def test_a_deadline_crossing_into_an_uncovered_year_is_provisional():
    deadline = due_after(start=date(2026, 12, 28), working_days=5)

    assert deadline.is_provisional is True
    assert due_after(start=date(2026, 6, 1), working_days=5).is_provisional is False


def test_administrators_enter_a_new_years_notice_without_a_release():
    CalendarYear.objects.create(year=2027, note="State Council notice")
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=date(2027, 10, day), is_working_day=False, name="National Day")
            for day in range(1, 8)
        ]
    )

    deadline = due_after(start=date(2027, 9, 30), working_days=2)

    assert deadline.due_on == date(2027, 10, 11)
    assert deadline.is_provisional is False


def test_the_seeded_calendar_covers_every_year_chinesecalendar_knows():
    years = set(CalendarYear.objects.values_list("year", flat=True))

    assert {2004, 2024, 2026} <= years
    assert CalendarDay.objects.get(date=date(2024, 10, 12)).is_working_day is True
    assert CalendarDay.objects.get(date=date(2024, 10, 1)).is_working_day is False


def test_pure_calendar_arithmetic():
    calendar = WorkingCalendar(covered_years=frozenset({2025}), exceptions={date(2025, 6, 10): False})

    assert calendar.add_working_days(date(2025, 6, 9), 1).due_on == date(2025, 6, 11)
    assert calendar.add_working_days(date(2025, 6, 9), 0).due_on == date(2025, 6, 9)
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2025, 6, 9), -1)
