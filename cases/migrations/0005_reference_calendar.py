"""Reference data: the working-day calendar from chinesecalendar and the default deadline rules.

Only the exceptions to Monday to Friday are stored (weekday holidays and adjusted
working weekend days, 调休), with the years they cover. Administrators add a new
year's State Council notice in the admin. Loaded once.
"""

from datetime import date, timedelta

from django.db import migrations

DEFAULT_RULES = {"normal": (2, 15), "urgent": (1, 5)}


def covered_years():
    import chinese_calendar

    first = min(chinese_calendar.holidays).year
    last = max(chinese_calendar.holidays).year
    return range(first, last + 1)


def load(apps, schema_editor):
    import chinese_calendar

    CalendarYear = apps.get_model("cases", "CalendarYear")
    CalendarDay = apps.get_model("cases", "CalendarDay")
    DeadlineRule = apps.get_model("cases", "DeadlineRule")

    for urgency, (accept, answer) in DEFAULT_RULES.items():
        DeadlineRule.objects.get_or_create(
            urgency=urgency, defaults={"accept_working_days": accept, "answer_working_days": answer}
        )

    known_years = set(CalendarYear.objects.values_list("year", flat=True))
    exceptions = []
    for year in covered_years():
        if year in known_years:
            continue
        CalendarYear.objects.create(year=year, note="chinesecalendar")
        day = date(year, 1, 1)
        while day.year == year:
            weekday = day.weekday() < 5
            working = chinese_calendar.is_workday(day)
            if working != weekday:
                name = chinese_calendar.holidays.get(day) or chinese_calendar.workdays.get(day) or ""
                exceptions.append(CalendarDay(date=day, is_working_day=working, name=str(name)))
            day += timedelta(days=1)
    CalendarDay.objects.bulk_create(exceptions, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_cases_calendar")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
