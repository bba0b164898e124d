"""Reads of cases; `case_list_visible_to` is the one answer to "which cases may this user see?"."""

from django.db.models import BooleanField, DateField, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models import Case as Conditional

from cases.deadlines import local_today
from cases.models import Assignment, Case, CaseEvent, CaseState, ExtensionRequest
from commissioners.models import Role, User, bilingual_name


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
    """Dispatched and not accepted in time, or in progress and not answered in time."""
    return Q(current_due_on__lt=today or local_today())


def with_overdue(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.annotate(
        is_overdue=Conditional(
            When(overdue_condition(), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def for_listing(cases: QuerySet[Case], *, user: User) -> QuerySet[Case]:
    """What a list row shows and what `allowed_moves` needs, in a fixed number of queries.

    The names and codes of the related rows are read as columns of the row's own query:
    building a model object for each centre, district, measure and bureau was most of a
    page's time. Only a bureau's moves depend on the case's assignments."""
    listed = with_overdue(cases).annotate(
        centre_name=bilingual_name("centre"),
        district_code=F("district__code"),
        measure_number=F("measure__number"),
        lead_bureau_code=F("lead_bureau__code"),
        pending_extension=Exists(ExtensionRequest.objects.filter(case=OuterRef("pk"), status="pending")),
    )
    if user.role != Role.BUREAU_STAFF:
        return listed
    return listed.prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(is_current=True),
            to_attr="prefetched_current_assignments",
        )
    )


def case_list_page(*, ids: list[int], user: User) -> list[Case]:
    """The full rows of one list page, in the page's order.

    Like the inbox, the list is filtered, counted and ordered over the case table alone;
    the joins for the names are made for the page's rows only."""
    rows = for_listing(Case.objects.filter(pk__in=ids), user=user).in_bulk()
    return [rows[pk] for pk in ids]


def for_detail(cases: QuerySet[Case], *, user: User) -> QuerySet[Case]:
    return (
        for_listing(cases, user=user)
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
