"""Reads of cases; `case_list_visible_to` is the one answer to "which cases may this user see?"."""

from django.db.models import BooleanField, DateField, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models import Case as Conditional

from cases.deadlines import local_today
from cases.models import Assignment, Case, CaseEvent, CaseState, ExtensionRequest
from commissioners.models import Role, User


def case_list_visible_to(*, user: User) -> QuerySet[Case]:
    """Cases the user may see. A confidential case only for its logging commissioner,
    city commissioners and its lead bureau; everyone else must get a 404."""
    cases = Case.objects.all()
    if user.role == Role.CITY_COMMISSIONER:
        return cases
    if user.role == Role.MANAGER:
        return cases.filter(is_confidential=False)
    if user.role == Role.DISTRICT_COMMISSIONER:
        return cases.filter(district_id=user.district_id).filter(
            Q(is_confidential=False) | Q(created_by=user)
        )
    if user.role == Role.BUREAU_STAFF:
        # The lead bureau's own assignment is what lets it see a confidential case.
        # A join, not a semi-join: a case has at most one current assignment per bureau
        # (a unique constraint), so no row repeats, and the planner may start from either side.
        # One filter() call, so both conditions are on the same joined assignment.
        mine = Q(assignments__bureau_id=user.bureau_id, assignments__is_current=True)
        return cases.filter(
            mine & (Q(assignments__case_is_confidential=False) | Q(assignments__is_lead=True))
        )
    return cases.none()


def overdue_condition(today=None) -> Q:
    today = today or local_today()
    return Q(state=CaseState.DISPATCHED, accept_due_on__lt=today) | Q(
        state=CaseState.IN_PROGRESS, answer_due_on__lt=today
    )


def with_overdue(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.annotate(
        is_overdue=Conditional(
            When(overdue_condition(), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def for_listing(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What the list shows and what `allowed_moves` needs, in a fixed number of queries."""
    return (
        with_overdue(cases)
        .select_related("centre", "district", "measure", "lead_bureau")
        .annotate(
            pending_extension=Exists(ExtensionRequest.objects.filter(case=OuterRef("pk"), status="pending"))
        )
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(is_current=True).select_related("bureau"),
                to_attr="prefetched_current_assignments",
            )
        )
    )


def for_detail(cases: QuerySet[Case]) -> QuerySet[Case]:
    return (
        for_listing(cases)
        .select_related("created_by", "referred_to")
        .prefetch_related(
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
            Prefetch(
                "assignments", queryset=Assignment.objects.select_related("bureau"), to_attr="all_assignments"
            ),
            "extension_requests",
            "supervisions",
        )
    )


def bureau_inbox(*, user: User) -> QuerySet[Assignment]:
    """What the user's bureau must accept, contribute to or answer, soonest due first."""
    if user.role != Role.BUREAU_STAFF:
        return Assignment.objects.none()
    lead_to_accept = Q(is_lead=True, case_state=CaseState.DISPATCHED)
    lead_to_answer = Q(is_lead=True, case_state=CaseState.IN_PROGRESS)
    co_to_accept = Q(is_lead=False, status=Assignment.Status.PENDING)
    co_to_contribute = Q(is_lead=False, status=Assignment.Status.ACCEPTED)
    return (
        Assignment.objects.filter(
            bureau_id=user.bureau_id,
            is_current=True,
            case_state__in=[CaseState.DISPATCHED, CaseState.IN_PROGRESS],
        )
        .filter(lead_to_accept | lead_to_answer | co_to_accept | co_to_contribute)
        .filter(Q(case_is_confidential=False) | Q(is_lead=True))
        .annotate(
            due_on=Conditional(
                # Accepting is due by the acceptance deadline; answering and contributing by the answer's.
                When(lead_to_answer | co_to_contribute, then="case_answer_due_on"),
                default="accept_due_on",
                output_field=DateField(),
            )
        )
        .order_by("due_on", "id")
    )


def inbox_items(*, ids: list[int]) -> list[Assignment]:
    """The full rows of one inbox page, in the page's order.

    The inbox is ordered over narrow rows first and only the page is read in full,
    so a bureau with thousands of assignments still answers quickly."""
    rows = Assignment.objects.select_related("case", "case__centre", "case__measure").in_bulk(ids)
    return [rows[pk] for pk in ids]
