"""`manage.py recount_figures`: the summary tables recounted from the facts, a tampered row found,
reported per table, and replaced with --fix."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from assessments.models import Assessment
from cases.services import workflow
from centres.models import GuidanceClass
from tests.dashboards.test_centre_figures import HQ, assessment, centre, cycle, finding
from tests.factories import bureau, shanghai_measure

S = Assessment.State

pytestmark = pytest.mark.django_db


@pytest.fixture
def facts(xuhui_commissioner, city_commissioner):
    """Cases in several states and an assessment with a finding: rows in every summary table."""
    place = centre(xuhui_commissioner)
    for number in (1, 1, 7):
        case = workflow.case_submit(
            actor=xuhui_commissioner,
            centre=place,
            measure=shanghai_measure(number),
            title="Programme funding is late",
            description="The grant was approved in March and has not arrived.",
        )
        if number == 1:
            workflow.case_dispatch(
                case=case,
                actor=city_commissioner,
                lead_bureau=bureau("sh-finance"),
                override_reason="Finance pays it.",
            )
    reviewed = assessment(
        cycle("2025", date(2025, 1, 1), date(2025, 12, 31)), place, S.REVIEWED, GuidanceClass.values[0]
    )
    finding(reviewed, HQ, 8, "sh-commerce")


def _recount(*arguments: str) -> str:
    out = StringIO()
    call_command("recount_figures", *arguments, stdout=out)
    return out.getvalue()


def _rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} ORDER BY id")
        return cursor.fetchall()


def test_figures_kept_by_the_triggers_equal_their_recount(facts):
    before = {table: _rows(table) for table in ("cases_casefiguremonth", "centres_findingfigure")}

    report = _recount()

    for table in (
        "cases_casefiguremonth",
        "cases_casefigurerollup",
        "cases_opencasedue",
        "centres_assessmentfigure",
        "centres_findingfigure",
        "centres_eligibilityfigure",
    ):
        assert f"{table}: " in report and f"{table}: 0 rows" not in report
    assert report.count(", exact") == 6
    assert "Every summary table equals its recount." in report
    # Without --fix the rebuild was rolled back: the very rows (ids included) are still there.
    assert {table: _rows(table) for table in before} == before


def test_a_tampered_row_is_reported_and_fixed_with_fix(facts):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_casefiguremonth SET logged = logged + 5 "
            "WHERE id = (SELECT min(id) FROM cases_casefiguremonth WHERE logged > 0)"
        )
        cursor.execute("DELETE FROM centres_findingfigure")

    with pytest.raises(CommandError, match="2 summary table") as failure:
        _recount()
    assert failure.value.returncode == 1

    out = StringIO()
    with pytest.raises(CommandError):
        call_command("recount_figures", stdout=out)
    report = out.getvalue()
    assert "cases_casefiguremonth: 1 differ, 0 missing, 0 extra" in report
    assert "logged kept" in report
    assert "centres_findingfigure: 0 differ, 1 missing, 0 extra" in report
    assert "cases_casefigurerollup: " in report and report.count(", exact") == 4

    fixed = _recount("--fix")
    assert "Fixed: cases_casefiguremonth, centres_findingfigure now hold the recount." in fixed
    assert "Every summary table equals its recount." in _recount()
