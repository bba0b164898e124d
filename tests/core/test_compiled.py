"""A statement compiled once gives, for every value, the rows its queryset gives, read afresh."""

import threading
from unittest import mock

import pytest
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.db.models.sql.compiler import SQLCompiler

from cases.models import Assignment, Case, CaseEvent, CaseState
from core.compiled import Statement

pytestmark = pytest.mark.django_db


def _cases_with_their_parts(*, pk):
    return (
        Case.objects.filter(pk=pk)
        .select_related("centre", "lead_bureau")
        .annotate(
            assignment_count=Count("assignments"),
            has_events=Exists(CaseEvent.objects.filter(case=OuterRef("pk"))),
        )
        .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.order_by("pk")))
    )


def _as_read(case: Case) -> dict:
    return {
        "columns": {field.attname: getattr(case, field.attname) for field in Case._meta.concrete_fields},
        "centre": case.centre.name_en,
        "lead": case.lead_bureau.code if case.lead_bureau else None,
        "assignment_count": case.assignment_count,
        "has_events": case.has_events,
        "assignments": [(a.pk, a.bureau_id, a.status) for a in case.assignments.all()],
    }


def test_each_run_gives_what_the_queryset_gives_for_its_value(case_in_state, django_assert_num_queries):
    statement = Statement(_cases_with_their_parts, integers=("pk",))
    cases = [case_in_state(state) for state in (CaseState.SUBMITTED, CaseState.DISPATCHED, CaseState.CLOSED)]
    for case in cases:
        (expected,) = _cases_with_their_parts(pk=case.pk)
        with django_assert_num_queries(2):  # the case and its prefetched assignments, as the queryset
            (read,) = statement.rows("one key", pk=case.pk)
        assert _as_read(read) == _as_read(expected)
    assert statement.rows("one key", pk=max(case.pk for case in cases) + 1) == []


def test_it_is_compiled_once_per_key_and_connection(case_in_state):
    statement = Statement(_cases_with_their_parts, integers=("pk",))
    cases = [case_in_state(CaseState.DISPATCHED) for _ in range(3)]
    with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql) as compiles:
        statement.rows("one key", pk=cases[0].pk)
        first = compiles.call_count  # the case's query, its subquery and the prefetch's
        for case in cases[1:]:
            statement.rows("one key", pk=case.pk)
        # Then only each case's prefetch of its assignments, which is not a statement of its own.
        assert compiles.call_count == first + len(cases[1:])
        statement.rows("another key", pk=cases[0].pk)
        assert compiles.call_count == first * 2 + len(cases[1:])


def test_a_run_reads_the_rows_as_they_are_now(case_in_state):
    """Only the SQL is kept: a row changed between two runs is read as changed (no stale read)."""
    statement = Statement(_cases_with_their_parts, integers=("pk",))
    case = case_in_state(CaseState.DISPATCHED)
    assert statement.rows("key", pk=case.pk)[0].title == case.title
    Case.objects.filter(pk=case.pk).update(title="Renamed meanwhile")
    Assignment.objects.filter(case=case).delete()
    (read,) = statement.rows("key", pk=case.pk)
    assert (read.title, read.assignment_count, list(read.assignments.all())) == ("Renamed meanwhile", 0, [])


def test_text_slots_and_a_queryset_that_matches_nothing(case_in_state):
    case = case_in_state(CaseState.DISPATCHED)
    by_title = Statement(lambda *, title: Case.objects.filter(title=title).order_by("pk"), texts=("title",))
    assert [row.pk for row in by_title.rows(None, title=case.title)] == [case.pk]
    assert by_title.rows(None, title="no case is called this") == []
    nothing = Statement(lambda *, pk: Case.objects.none().filter(pk=pk), integers=("pk",))
    assert nothing.rows(None, pk=case.pk) == []


def test_a_statement_must_use_its_slot():
    ignoring = Statement(lambda *, pk: Case.objects.all(), integers=("pk",))
    with pytest.raises(ValueError, match="slot 'pk'"):
        ignoring.rows(None, pk=1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_thread_runs_on_its_own_connection(case_in_state):
    statement = Statement(_cases_with_their_parts, integers=("pk",))
    case = case_in_state(CaseState.DISPATCHED)
    statement.rows("key", pk=case.pk)
    seen = {}

    def read_in_a_thread():
        try:
            (row,) = statement.rows("key", pk=case.pk)
            seen["title"] = row.title
            compiled_here = connections["default"].__dict__.get("_compiled_statements", {})
            seen["compiled for"] = [key[0] for key in compiled_here]
        finally:
            connections.close_all()

    thread = threading.Thread(target=read_in_a_thread)
    thread.start()
    thread.join()
    assert seen["title"] == case.title
    assert seen["compiled for"] == [id(statement)]  # compiled again on the thread's own connection


def test_counts_and_pages_are_the_querysets_own(case_in_state, django_assert_num_queries):
    from django.core.paginator import Paginator

    cases = [case_in_state(state) for state in (CaseState.DISPATCHED,) * 5 + (CaseState.CLOSED,) * 2]
    centre = cases[0].centre_id
    statement = Statement(
        lambda *, centre, state: (
            Case.objects.filter(centre_id=centre, state=state).order_by("-pk").values("pk")
        ),
        integers=("centre",),
        texts=("state",),
    )
    for state in (CaseState.DISPATCHED, CaseState.CLOSED, CaseState.SUBMITTED):
        expected = Case.objects.filter(centre_id=centre, state=state).order_by("-pk").values("pk")
        count = expected.count()
        with django_assert_num_queries(1):  # nothing sent while compiling the count
            assert statement.count("key", centre=centre, state=state) == count
        ours = Paginator(statement.pages("key", centre=centre, state=state), 2)
        theirs = Paginator(expected, 2)
        assert ours.num_pages == theirs.num_pages
        for number in theirs.page_range:
            assert list(ours.page(number)) == list(theirs.page(number))


def test_it_is_prepared_once_on_the_server(case_in_state):
    """Planned once a connection: after a few runs the statement is among the session's prepared
    statements, once, and still reads each value's row."""
    statement = Statement(_cases_with_their_parts, integers=("pk",))
    cases = [case_in_state(CaseState.DISPATCHED) for _ in range(3)]

    def prepared() -> int:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            return cursor.fetchone()[0]

    before = prepared()
    for case in cases * 2:
        assert statement.rows("key", pk=case.pk)[0].pk == case.pk
    assert prepared() == before + 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_locking_statement_is_refused_outside_a_transaction(case_in_state):
    """As Django refuses to compile select_for_update outside a transaction, a statement compiled
    once (inside one) is refused when run outside one."""
    from django.db import transaction
    from django.db.transaction import TransactionManagementError

    case = case_in_state(CaseState.DISPATCHED)
    locking = Statement(lambda *, pk: Case.objects.select_for_update().filter(pk=pk), integers=("pk",))
    with transaction.atomic():
        assert locking.rows("key", pk=case.pk)[0].pk == case.pk
    with pytest.raises(TransactionManagementError):
        locking.rows("key", pk=case.pk)
