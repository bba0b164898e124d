"""Many rows in one statement per batch: the same rows `bulk_create(ignore_conflicts=True)` writes."""

import pytest

from cases.models import CaseEvent, CaseState, Supervision
from core.bulk import insert_new_rows

pytestmark = pytest.mark.django_db


def test_rows_are_written_in_batches_and_a_conflicting_row_is_skipped(
    case_in_state, django_assert_max_num_queries
):
    cases = [case_in_state(CaseState.IN_PROGRESS) for _ in range(3)]
    Supervision.objects.create(case=cases[0], note="Already open.")
    rows = [
        {
            "case": case.pk,
            "reason": Supervision.Reason.OVERDUE,
            "note": "Overdue.",
            "bureau": case.lead_bureau_id,
            "level": Supervision.Level.CITY,
            "due_on": case.answer_due_on,
            "opened_at": case.created_at,
            "reply": "",
            "closing_note": "",
        }
        for case in cases
    ]
    with django_assert_max_num_queries(2):
        insert_new_rows(Supervision, rows, batch_size=2)
    # The first case keeps its one open supervision (a unique constraint); the others get theirs.
    assert list(Supervision.objects.filter(case=cases[0]).values_list("note", flat=True)) == ["Already open."]
    made = Supervision.objects.filter(case__in=cases[1:])
    assert sorted(made.values_list("case_id", "bureau_id", "due_on")) == sorted(
        (case.pk, case.lead_bureau_id, case.answer_due_on) for case in cases[1:]
    )


def test_json_and_nulls_arrive_as_written(case_in_state):
    case = case_in_state(CaseState.DISPATCHED)
    insert_new_rows(
        CaseEvent,
        [
            {
                "case": case.pk,
                "actor": None,
                "action": "supervise",
                "from_state": "dispatched",
                "to_state": "dispatched",
                "reason": "",
                "note": "中文 and 'quotes'",
                "changes": {"due_on": "2024-10-08", "nested": [1, {"a": None}]},
                "created_at": case.created_at,
            }
        ],
    )
    event = CaseEvent.objects.get(case=case, action="supervise")
    assert (event.actor, event.note) == (None, "中文 and 'quotes'")
    assert event.changes == {"due_on": "2024-10-08", "nested": [1, {"a": None}]}
