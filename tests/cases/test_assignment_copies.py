"""The assignments' copies of their case (what the bureau inbox and bureau visibility read) are the
database's: kept by triggers whoever writes the case, a move, a bulk update or raw SQL."""

from django.db import connection

from cases.models import Assignment, Case
from tests.factories import bureau


def _copies(case: Case) -> set[tuple]:
    return set(
        Assignment.objects.filter(case=case).values_list(
            "case_state", "case_is_confidential", "case_answer_due_on"
        )
    )


def test_a_move_copies_the_new_state_onto_every_assignment(case_in_state, client_for, science_staff):
    case = case_in_state("dispatched")

    assert (
        client_for(science_staff).post(f"/api/cases/{case.pk}/accept/", {}, format="json").status_code == 200
    )

    case.refresh_from_db()
    assert _copies(case) == {("in_progress", case.is_confidential, case.answer_due_on)}


def test_a_bulk_update_and_raw_sql_are_copied_too(case_in_state):
    case = case_in_state("in_progress")
    later = case.answer_due_on.replace(year=case.answer_due_on.year + 1)

    Case.objects.filter(pk=case.pk).update(answer_due_on=later)
    assert _copies(case) == {("in_progress", case.is_confidential, later)}

    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET is_confidential = NOT is_confidential WHERE id = %s", [case.pk])
    assert _copies(case) == {("in_progress", not case.is_confidential, later)}


def test_a_new_assignment_starts_with_its_case_copies(case_in_state):
    case = case_in_state("in_progress")

    added = Assignment.objects.create(case=case, bureau=bureau("sh-customs"), is_lead=False)

    added.refresh_from_db()
    assert (added.case_state, added.case_is_confidential, added.case_answer_due_on) == (
        "in_progress",
        case.is_confidential,
        case.answer_due_on,
    )


def test_copying_them_is_no_change_of_the_assignment(case_in_state, client_for, science_staff):
    """The copies are the case's history (its own change table has them): the co-handler's
    assignment, whose only change in an accept is its copy of the state, records nothing; the
    lead's, accepted, records its acceptance."""
    from django.apps import apps

    changes = apps.get_model("cases", "AssignmentChange").objects
    case = case_in_state("dispatched")
    lead, co = (Assignment.objects.get(case=case, is_lead=is_lead) for is_lead in (True, False))
    before = {assignment.pk: changes.filter(pgh_obj_id=assignment.pk).count() for assignment in (lead, co)}

    assert (
        client_for(science_staff).post(f"/api/cases/{case.pk}/accept/", {}, format="json").status_code == 200
    )

    assert changes.filter(pgh_obj_id=co.pk).count() == before[co.pk]
    (accepted,) = changes.filter(pgh_obj_id=lead.pk, pgh_label="update")
    assert accepted.status == Assignment.Status.ACCEPTED
    assert not hasattr(accepted, "case_state")
