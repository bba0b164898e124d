"""The histories are append-only in the database itself: raw SQL, bulk ORM writes and the model's
own escape hatches are all refused; only `purge_history`, run on purpose, removes old rows."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from assessments.models import AssessmentEvent
from cases.models import CaseEvent

pytestmark = pytest.mark.django_db

HISTORIES = [("cases_caseevent", CaseEvent), ("centres_assessmentevent", AssessmentEvent)]


@pytest.fixture
def case_event(submitted_case, xuhui_commissioner):
    return CaseEvent.record(subject=submitted_case, actor=xuhui_commissioner, action="submit")


def _refused(statement, params=()):
    with pytest.raises(DatabaseError) as refusal, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
    assert "Cannot update or delete rows" in str(refusal.value), refusal.value


@pytest.fixture
def assessment_event(xuhui_centre, xuhui_commissioner):
    from assessments.models import Assessment, AssessmentCycle

    cycle = AssessmentCycle.objects.create(
        name="2026",
        period_start="2026-01-01",
        period_end="2026-12-31",
        opens_on="2026-01-05",
        due_on="2026-02-27",
    )
    assessment = Assessment.objects.create(cycle=cycle, centre=xuhui_centre, district=xuhui_centre.district)
    return AssessmentEvent.record(subject=assessment, actor=xuhui_commissioner, action="open")


@pytest.mark.parametrize(("table", "model"), HISTORIES)
def test_raw_sql_cannot_change_or_remove_history(table, model, case_event, assessment_event):
    _refused(f"UPDATE {table} SET note = 'rewritten'")
    _refused(f"DELETE FROM {table}")


def test_the_orm_escape_hatches_are_refused_too(case_event):
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent._base_manager.filter(pk=case_event.pk).update(note="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent._base_manager.filter(pk=case_event.pk)._raw_delete(using="default")
    with pytest.raises(DatabaseError), transaction.atomic():
        # Bypassing the model's own save() refusal: the database refuses as well.
        case_event.note = "rewritten"
        models.Model.save(case_event, update_fields=["note"])
    stored = CaseEvent.objects.get(pk=case_event.pk)
    assert stored.note == ""


def test_purge_history_counts_without_yes_and_removes_only_older_rows_with_it(case_event, submitted_case):
    old = CaseEvent.record(subject=submitted_case, actor=None, action="edit")
    with transaction.atomic(), connection.cursor() as cursor:
        # Backdating needs the same lifting of the trigger as the purge: the test does it the same way.
        import pgtrigger

        with pgtrigger.ignore("cases.CaseEvent:append_only"):
            cursor.execute(
                "UPDATE cases_caseevent SET created_at = %s WHERE id = %s",
                [timezone.now() - timedelta(days=3000), old.pk],
            )
    before = (timezone.localdate() - timedelta(days=365)).isoformat()

    counted = io.StringIO()
    call_command("purge_history", before=before, history=["cases.CaseEvent"], stdout=counted)
    assert "1 rows" in counted.getvalue() and "not removed" in counted.getvalue()
    assert CaseEvent.objects.filter(pk=old.pk).exists()

    call_command("purge_history", before=before, history=["cases.CaseEvent"], yes=True, stdout=io.StringIO())
    assert not CaseEvent.objects.filter(pk=old.pk).exists()
    assert CaseEvent.objects.filter(pk=case_event.pk).exists()
    # The protection is back once the purge is over.
    _refused("DELETE FROM cases_caseevent")


def test_purge_history_refuses_what_is_not_a_history():
    with pytest.raises(CommandError):
        call_command("purge_history", before="2020-01-01", history=["cases.Case"])
    with pytest.raises(CommandError):
        call_command("purge_history", before="last year")
