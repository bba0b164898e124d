"""Reads of cases; `case_list_visible_to` is the one answer to "which cases may this user see?"."""

from django.db.models import BooleanField, DateField, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models import Case as Conditional
from django.db.models.functions import Coalesce

from cases.models import Appeal, Assignment, Case, CaseEvent, CaseState, ExtensionRequest, Supervision
from commissioners.models import Role, User, bilingual_name
from commissioners.scopes import district_in_sight
from core.time import local_today


def case_list_visible_to(*, user: User) -> QuerySet[Case]:
    """Cases the user may see. A confidential case only for its logging commissioner,
    city commissioners and its lead bureau; everyone else must get a 404."""
    cases = Case.objects.all()
    if user.role == Role.CITY_COMMISSIONER:
        return cases
    if user.role == Role.MANAGER:
        # A district's leadership reads its own district's cases; the city's managers all districts'.
        if district_in_sight(user) is not None:
            cases = cases.filter(district_id=district_in_sight(user))
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
        return cases.filter(mine & bureau_may_see(prefix="assignments__"))
    return cases.none()


def bureau_may_see(prefix: str = "") -> Q:
    """On an assignment: its bureau may see the case (a confidential one only as the lead)."""
    return Q(**{f"{prefix}case_is_confidential": False}) | Q(**{f"{prefix}is_lead": True})


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
    # What the rule table's conditions read, so that `allowed_moves` costs no query per row.
    if user.role == Role.CITY_COMMISSIONER:
        listed = listed.annotate(
            pending_appeal=Exists(Appeal.objects.filter(case=OuterRef("pk"), status="pending"))
        )
    if user.role != Role.BUREAU_STAFF:
        return listed
    listed = listed.annotate(
        supervision_awaiting_reply=Exists(
            Supervision.objects.filter(case=OuterRef("pk"), closed_at__isnull=True, replied_at__isnull=True)
        ),
        own_appeal_standing=Exists(
            Appeal.objects.filter(
                case=OuterRef("pk"), bureau_id=user.bureau_id, status__in=["pending", "upheld"]
            )
        ),
    )
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
            Prefetch("supervisions", queryset=Supervision.objects.select_related("bureau")),
            Prefetch("appeals", queryset=Appeal.objects.select_related("bureau")),
            "callback_tries",
        )
    )


# What a bureau must do on a case assigned to it: the lead accepts, then answers; a
# co-handling bureau accepts its part, then contributes.
LEAD_TO_ACCEPT = Q(is_lead=True, case_state=CaseState.DISPATCHED)
LEAD_TO_ANSWER = Q(is_lead=True, case_state=CaseState.IN_PROGRESS)
CO_TO_ACCEPT = Q(is_lead=False, status=Assignment.Status.PENDING)
CO_TO_CONTRIBUTE = Q(is_lead=False, status=Assignment.Status.ACCEPTED)


def awaiting_bureaus() -> QuerySet[Assignment]:
    """Current assignments on which a bureau must act and may see, every bureau's: the
    inbox, the reminders and the digests read this. Each has the date it must act by (`due_on`)
    and whether that act is accepting (`is_acceptance`)."""
    accepting = LEAD_TO_ACCEPT | CO_TO_ACCEPT
    return (
        Assignment.objects.filter(
            is_current=True, case_state__in=[CaseState.DISPATCHED, CaseState.IN_PROGRESS]
        )
        .filter(accepting | LEAD_TO_ANSWER | CO_TO_CONTRIBUTE)
        # A co-handling bureau neither sees nor is told about a confidential case.
        .filter(bureau_may_see())
        .annotate(
            is_acceptance=Conditional(
                When(accepting, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            # Accepting is due by the acceptance deadline, contributing by the co-handler's own and
            # answering by the answer's.
            due_on=Conditional(
                When(accepting, then="accept_due_on"),
                When(CO_TO_CONTRIBUTE, then=Coalesce("contribute_due_on", "case_answer_due_on")),
                default="case_answer_due_on",
                output_field=DateField(),
            ),
        )
    )


def bureau_inbox(*, user: User) -> QuerySet[Assignment]:
    """What the user's bureau must accept, contribute to or answer, soonest due first."""
    if user.role != Role.BUREAU_STAFF:
        return Assignment.objects.none()
    return awaiting_bureaus().filter(bureau_id=user.bureau_id).order_by("due_on", "id")


def inbox_items(*, ids: list[int]) -> list[Assignment]:
    """The full rows of one inbox page, in the page's order.

    The inbox is ordered over narrow rows first and only the page is read in full,
    so a bureau with thousands of assignments still answers quickly."""
    rows = Assignment.objects.select_related("case", "case__centre", "case__measure").in_bulk(ids)
    return [rows[pk] for pk in ids]
