"""Reads of cases; `case_list_visible_to` is the one answer to "which cases may this user see?"."""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models import Case as Conditional
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone, translation
from django.utils.translation import get_language

from cases import rules
from cases.models import (
    Appeal,
    Assignment,
    CallbackAttempt,
    Case,
    CaseEvent,
    CaseState,
    ExtensionRequest,
    PolicyIssue,
    PolicyIssueEvent,
    PolicyIssueState,
    SavedCaseView,
    Supervision,
)
from centres.models import Centre
from commissioners.models import Bureau, District, Role, User, bilingual_name, name_column
from commissioners.scopes import district_in_sight
from core.changes import changes_referring_to
from core.compiled import AnyOf, Pages, Statement
from core.nested_rows import nested_rows, rows_from_json
from core.time import local_today
from policies.models import Measure


def case_list_visible_to(*, user: User, cases: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """Cases the user may see (of `cases`, all by default). A confidential case only for its logging
    commissioner, city commissioners and its lead bureau; everyone else must get a 404."""
    cases = Case.objects.all() if cases is None else cases
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


def sight_of(user: User) -> tuple:
    """All `case_list_visible_to` reads of the user: two users alike in these see the same cases
    (the key of a statement compiled once for all of them). Kept beside it, in step with it."""
    return (
        user.role,
        district_in_sight(user),
        user.bureau_id,
        user.pk if user.role == Role.DISTRICT_COMMISSIONER else None,
    )


def case_pk(value) -> int | None:
    """The case id a URL names, or None where it names none (not a number, or beyond any id)."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk < 2**63 else None


def bureau_case_ids(*, user: User) -> QuerySet:
    """The ids of the cases a bureau's staff may see, in the case list's order (newest first), read
    from the bureau's current assignments: counting them reads one index (`assignment_bureau_cases`),
    not the case table too. The same cases as `case_list_visible_to` (one current assignment per
    case and bureau)."""
    return (
        Assignment.objects.filter(bureau_id=user.bureau_id, is_current=True)
        .filter(bureau_may_see())
        .order_by("-case__created_at", "-case_id")
        .values_list("case_id", flat=True)
    )


def extension_pending() -> Exists:
    """On a case: an extension request waits for the city's decision."""
    return Exists(
        ExtensionRequest.objects.filter(case=OuterRef("pk"), status=ExtensionRequest.Status.PENDING)
    )


def appeal_pending() -> Exists:
    """On a case: a bureau's appeal waits for the city's decision."""
    return Exists(Appeal.objects.filter(case=OuterRef("pk"), status=Appeal.Status.PENDING))


def city_queues(*, user: User) -> dict[str, QuerySet[Case]]:
    """The city commissioners' work lists, each oldest or soonest due first: cases to dispatch,
    returns to rule on, extensions and appeals to decide, referrals to chase."""
    cases = case_list_visible_to(user=user)
    logged = cases.filter(state=CaseState.SUBMITTED)
    return {
        "triage": logged.filter(return_pending=False).order_by("created_at", "id"),
        "returns": logged.filter(return_pending=True).order_by("created_at", "id"),
        "extensions": cases.filter(extension_pending()).order_by("answer_due_on", "id"),
        "appeals": cases.filter(appeal_pending()).order_by("created_at", "id"),
        "referrals": cases.filter(state=CaseState.REFERRED_UP).order_by("referral_due_on", "id"),
    }


def open_supervisions() -> QuerySet[Supervision]:
    """Every open supervision with its case and bureau, the soonest reply first."""
    return (
        Supervision.objects.filter(closed_at__isnull=True)
        .select_related("case", "case__centre", "bureau")
        .order_by("due_on", "id")
    )


def saved_views_of(*, user: User) -> QuerySet[SavedCaseView]:
    """A user's named case searches; nobody sees anyone else's."""
    return SavedCaseView.objects.filter(owner=user)


def bureau_may_see(prefix: str = "") -> Q:
    """On an assignment: its bureau may see the case (a confidential one only as the lead)."""
    return Q(**{f"{prefix}case_is_confidential": False}) | Q(**{f"{prefix}is_lead": True})


def overdue_condition(today=None) -> Q:
    """Dispatched and not accepted in time, or in progress and not answered in time."""
    return Q(current_due_on__lt=today or local_today())


def with_overdue(cases: QuerySet[Case], *, today: date | None = None) -> QuerySet[Case]:
    return cases.annotate(
        is_overdue=Conditional(
            When(overdue_condition(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def _column_of(model, key: str, column: str) -> Subquery:
    """A column of the row `key` names, as a scalar subquery rather than a join: PostgreSQL plans a
    subquery on its own, while every join widens its search for the join order. The detail, with
    six joins, spent 1.6 ms planning for 0.3 ms of execution; 0.5 ms with the names as subqueries."""
    return Subquery(model.objects.filter(pk=OuterRef(key)).values(column))


def for_listing(
    cases: QuerySet[Case],
    *,
    user: User,
    current_assignments: bool = True,
    today: date | None = None,
    names_by_subquery: bool = False,
) -> QuerySet[Case]:
    """What a list row shows and what `allowed_moves` needs, in a fixed number of queries.

    The names and codes of the related rows are read as columns of the row's own query:
    building a model object for each centre, district, measure and bureau was most of a
    page's time. Only a bureau's moves depend on the case's assignments. A page joins the
    tables the names are in; one case (`names_by_subquery`) reads them as subqueries, which
    PostgreSQL plans in a third of the time the joins take (`_column_of`), and a page's rows
    would compile four subqueries for what the joins save."""
    if names_by_subquery:
        names = {
            "centre_name": _column_of(Centre, "centre_id", name_column()),
            "district_code": _column_of(District, "district_id", "code"),
            "measure_number": _column_of(Measure, "measure_id", "number"),
            "lead_bureau_code": _column_of(Bureau, "lead_bureau_id", "code"),
        }
    else:
        names = {
            "centre_name": bilingual_name("centre"),
            "district_code": F("district__code"),
            "measure_number": F("measure__number"),
            "lead_bureau_code": F("lead_bureau__code"),
        }
    listed = with_overdue(cases, today=today).annotate(**names, pending_extension=extension_pending())
    # What the rule table's conditions read, so that `allowed_moves` costs no query per row.
    if user.role == Role.CITY_COMMISSIONER:
        listed = listed.annotate(pending_appeal=appeal_pending())
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
    if not current_assignments:
        return listed
    return listed.prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(is_current=True),
            to_attr="prefetched_current_assignments",
        )
    )


# A list page's rows, compiled once per viewer, day and language (`core.compiled`); their ids are one
# array, so one statement serves a page of any length.
_LIST_PAGE = Statement(
    lambda *, user, ids: _rows_as_shown(user, detail=False).filter(AnyOf(F("pk"), ids)),
    integer_lists=("ids",),
)


def case_list_page(*, ids: list[int], user: User) -> list[Case]:
    """The full rows of one list page, in the page's order.

    Like the inbox, the list is filtered, counted and ordered over the case table alone;
    the joins for the names are made for the page's rows only."""
    if not ids:
        return []
    rows = {case.pk: case for case in _LIST_PAGE.rows(_shown_to(user), arguments={"user": user}, ids=ids)}
    return [rows[pk] for pk in ids]


@dataclass(frozen=True)
class _Viewer:
    """What of a user the list's and the detail's columns depend on, and nothing else: building
    them for a viewer reads no other attribute of the user (one that did would fail here at once,
    not show one user's columns to another)."""

    role: str
    bureau_id: int | None


@lru_cache(maxsize=256)
def _columns_for(viewer: _Viewer, *, detail: bool, today: date, language: str) -> QuerySet[Case]:
    # Never evaluated itself: every caller filters a copy. `today` and `language` are what the
    # overdue flag and the names are built with (`local_today()`, the request's language).
    cases = Case.objects.all()
    with translation.override(language):
        if detail:
            return for_case_detail(cases, user=viewer, today=today)
        return for_listing(cases, user=viewer, today=today)


def _viewer_of(user: User) -> _Viewer:
    return _Viewer(role=user.role, bureau_id=user.bureau_id)


def _shown_to(user: User) -> tuple[_Viewer, date, str]:
    """All that the columns a list row or the detail shows depend on (`_columns_for`): the viewer,
    the day (the overdue flag) and the request's language (the names)."""
    return _viewer_of(user), local_today(), get_language() or settings.LANGUAGE_CODE


def _rows_as_shown(user: User, *, detail: bool) -> QuerySet[Case]:
    """Every case with the columns a list row (or the detail) shows this user, built once per
    role, bureau, day and language in a process and copied for each request: building them was a
    third of a detail's CPU. They depend on nothing else (`_shown_to`), so a copy cannot be stale."""
    viewer, today, language = _shown_to(user)
    # A copy: what a caller evaluates is cached on the copy, never on the kept queryset.
    return _columns_for(viewer, detail=detail, today=today, language=language).all()


def case_detail_rows(*, user: User, visible_only: bool = True) -> QuerySet[Case]:
    """The cases (those the user may see, or any with `visible_only` False) with what the API's
    detail shows the user (`for_case_detail`); filter it to the case wanted."""
    rows = _rows_as_shown(user, detail=True)
    return case_list_visible_to(user=user, cases=rows) if visible_only else rows


# The detail's query, compiled once per viewer, day and language (`core.compiled`): compiling it took
# three quarters of the Python its read cost.
_CASE_DETAIL = Statement(
    lambda *, user, visible_only, pk: case_detail_rows(user=user, visible_only=visible_only).filter(pk=pk),
    integers=("pk",),
)


def case_detail(*, user: User, pk: int, visible_only: bool = True) -> Case | None:
    """The case `pk` with all the API's detail shows the user (`for_case_detail`, then
    `complete_case_detail`), or None if there is none the user may see (with `visible_only`
    False: none at all)."""
    key = (_shown_to(user), sight_of(user) if visible_only else None)
    rows = _CASE_DETAIL.rows(key, arguments={"user": user, "visible_only": visible_only}, pk=pk)
    return complete_case_detail(rows[0], user=user) if rows else None


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


# The detail's lists that most cases have none of: the case's own query says whether each has rows,
# and only those that have are read (four queries fewer for most cases).
_DETAIL_PARTS_SELDOM_THERE = {
    "extension_requests": (ExtensionRequest, ExtensionRequest.objects.all()),
    "supervisions": (Supervision, Supervision.objects.select_related("bureau")),
    "appeals": (Appeal, Appeal.objects.select_related("bureau")),
    "callback_tries": (CallbackAttempt, CallbackAttempt.objects.all()),
}


# The detail's lists every case has: on PostgreSQL read as columns of the case's own row
# (`core.nested_rows`), elsewhere prefetched. (list name, model, related rows, where the detail keeps it)
_DETAIL_PARTS_ALWAYS_THERE = (
    ("events", CaseEvent, ("actor",), None),
    ("assignments", Assignment, ("bureau",), "all_assignments"),
)


def for_case_detail(cases: QuerySet[Case], *, user: User, today: date | None = None) -> QuerySet[Case]:
    """The detail's case row, its history and its assignments; `complete_case_detail` adds the rest.
    What the API's detail shows, from the same rows as `for_detail`, in four to eight queries fewer:
    on PostgreSQL the history and the assignments come in the case's own row."""
    detail = (
        for_listing(cases, user=user, current_assignments=False, today=today, names_by_subquery=True)
        .select_related("created_by", "referred_to")
        .annotate(
            **{
                f"has_{name}": Exists(model.objects.filter(case=OuterRef("pk")))
                for name, (model, _rows) in _DETAIL_PARTS_SELDOM_THERE.items()
            }
        )
    )
    if connection.vendor == "postgresql":
        return detail.annotate(
            **{
                f"{name}_rows": nested_rows(model.objects.filter(case=OuterRef("pk")), related=related)
                for name, model, related, _attr in _DETAIL_PARTS_ALWAYS_THERE
            }
        )
    return detail.prefetch_related(
        *(
            Prefetch(name, queryset=model.objects.select_related(*related), to_attr=attr)
            for name, model, related, attr in _DETAIL_PARTS_ALWAYS_THERE
        )
    )


def _hold_as_prefetched(case: Case, name: str, rows: list) -> None:
    """`rows` as the case's `name` list, held as Django's prefetch holds one: read without a query
    of its own (an empty list, or rows read in the case's row)."""
    relation = Case._meta.get_field(name)
    # A bare queryset of the rows' model: the related manager's own (`manager.none()`) builds its
    # filters first, a tenth of a millisecond for each of the detail's five lists.
    held = QuerySet(model=relation.related_model)
    held._result_cache, held._prefetch_done = rows, True
    case._prefetched_objects_cache = getattr(case, "_prefetched_objects_cache", {})
    case._prefetched_objects_cache[relation.cache_name] = held


def complete_case_detail(case: Case, *, user: User) -> Case:
    """Reads the lists of a `for_case_detail` case that it has rows in, and a bureau's current
    assignments from all of them (what `allowed_moves` reads)."""
    for name, model, related, attr in _DETAIL_PARTS_ALWAYS_THERE:
        if hasattr(case, f"{name}_rows"):
            rows = rows_from_json(model, getattr(case, f"{name}_rows"), related=related, db=case._state.db)
            if attr is None:
                _hold_as_prefetched(case, name, rows)
            else:
                setattr(case, attr, rows)
    present = []
    for name, (_model, rows) in _DETAIL_PARTS_SELDOM_THERE.items():
        if getattr(case, f"has_{name}"):
            present.append(Prefetch(name, queryset=rows))
        else:
            _hold_as_prefetched(case, name, [])  # an empty list known without a query
    prefetch_related_objects([case], *present)
    if user.role == Role.BUREAU_STAFF:
        case.prefetched_current_assignments = [a for a in case.all_assignments if a.is_current]
    return case


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


# The inbox's five kinds of work, in the order the page shows their counts.
INBOX_ACTIONS = ("accept", "accept_assignment", "contribute", "answer", "reply_supervision")
ASSIGNMENT_ACTIONS = {
    "accept": LEAD_TO_ACCEPT,
    "accept_assignment": CO_TO_ACCEPT,
    "contribute": CO_TO_CONTRIBUTE,
    "answer": LEAD_TO_ANSWER,
}


@dataclass(frozen=True)
class InboxItem:
    case: Case
    action: str
    due_on: date | None

    @property
    def is_lead(self) -> bool:
        return self.action in ("accept", "answer", "reply_supervision")

    def is_overdue(self, today: date) -> bool:
        return self.due_on is not None and self.due_on < today


def _awaiting_my_bureau(user: User) -> QuerySet[Assignment]:
    return awaiting_bureaus().filter(bureau_id=user.bureau_id)


def _supervisions_awaiting_my_reply(user: User) -> QuerySet[Supervision]:
    """Open supervisions of cases my bureau leads that wait for its written reply (the rule table's
    `reply_supervision`)."""
    return Supervision.objects.filter(
        case__lead_bureau_id=user.bureau_id,
        case__is_supervised=True,
        case__state__in=rules.NOT_FINISHED | {rules.CLOSED},
        closed_at__isnull=True,
        replied_at__isnull=True,
    )


_INBOX_COLUMNS = ("case_id", "due_on", "action")


def bureau_inbox(*, user: User, action: str | None = None) -> QuerySet:
    """What the user's bureau must accept, contribute to, answer or reply to (a supervision),
    soonest due first: narrow rows of (case_id, due_on, action), one per thing to do.

    `action` keeps one kind of work only (one of INBOX_ACTIONS)."""
    if user.role != Role.BUREAU_STAFF or (action is not None and action not in INBOX_ACTIONS):
        return (
            Assignment.objects.none()
            .annotate(action=Value("", output_field=CharField()))
            .values(*_INBOX_COLUMNS)
        )
    # Built once per bureau and kind of work (it depends on nothing else), copied for each request.
    return _inbox_of(_viewer_of(user), action=action).all()


# The inbox's count and pages, compiled once per bureau and kind of work (`core.compiled`): compiling
# the union and its count was two fifths of the inbox's CPU.
_INBOX = Statement(lambda *, user, action: bureau_inbox(user=user, action=action))


def bureau_inbox_pages(*, user: User, action: str | None = None) -> Pages:
    """`bureau_inbox` for a paginator: the same rows, counted and paged by compiled statements."""
    return _INBOX.pages((_viewer_of(user), action), arguments={"user": user, "action": action})


@lru_cache(maxsize=256)
def _inbox_of(user: _Viewer, *, action: str | None) -> QuerySet:
    assignments = _awaiting_my_bureau(user)
    if action in ASSIGNMENT_ACTIONS:
        assignments = assignments.filter(ASSIGNMENT_ACTIONS[action])
    # Each half unordered (the models' default orderings would sort every row for nothing).
    assignments = (
        assignments.order_by()
        .annotate(
            action=Conditional(
                *(When(condition, then=Value(name)) for name, condition in ASSIGNMENT_ACTIONS.items()),
                output_field=CharField(),
            )
        )
        .values(*_INBOX_COLUMNS)
    )
    replies = (
        _supervisions_awaiting_my_reply(user)
        .order_by()
        .annotate(action=Value("reply_supervision", output_field=CharField()))
        .values(*_INBOX_COLUMNS)
    )
    if action == "reply_supervision":
        rows = replies
    elif action is not None:
        rows = assignments
    else:
        rows = assignments.union(replies, all=True)
    # PostgreSQL puts a supervision without a reply date last.
    return rows.order_by("due_on", "case_id")


def bureau_inbox_counts(*, user: User, today: date | None = None) -> dict[str, int]:
    """How many of each kind of work wait for the user's bureau, in all and overdue: two queries."""
    if user.role != Role.BUREAU_STAFF:
        return dict.fromkeys((*INBOX_ACTIONS, "all", "overdue"), 0)
    today = today or local_today()
    counts = _awaiting_my_bureau(user).aggregate(
        **{name: Count("id", filter=condition) for name, condition in ASSIGNMENT_ACTIONS.items()},
        overdue=Count("id", filter=Q(due_on__lt=today)),
    )
    replies = _supervisions_awaiting_my_reply(user).aggregate(
        reply_supervision=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today))
    )
    counts["reply_supervision"] = replies["reply_supervision"]
    counts["overdue"] += replies["overdue"]
    counts["all"] = sum(counts[name] for name in INBOX_ACTIONS)
    return counts


def _inbox_cases(*, ids) -> QuerySet[Case]:
    return (
        Case.objects.select_related("centre", "measure")
        .only(
            "id",
            "title",
            "state",
            "urgency",
            "is_supervised",
            "is_confidential",
            "centre__name_zh",
            "centre__name_en",
            "measure__number",
            "measure__programme",
        )
        .filter(AnyOf(F("pk"), ids))
    )


# Compiled once (`core.compiled`): an inbox page's cases, however many.
_INBOX_PAGE = Statement(_inbox_cases, integer_lists=("ids",))


def inbox_items(*, rows: list[dict]) -> list[InboxItem]:
    """The full rows of one inbox page, in the page's order.

    The inbox is ordered over narrow rows first and only the page's cases are read,
    so a bureau with thousands of assignments still answers quickly."""
    ids = list({row["case_id"] for row in rows})
    if not ids:
        return []
    cases = {case.pk: case for case in _INBOX_PAGE.rows(None, ids=ids)}
    return [InboxItem(case=cases[row["case_id"]], action=row["action"], due_on=row["due_on"]) for row in rows]


# The case's own row and the rows that belong to it, in the change history (core.changes).
CASE_CHANGE_TABLES = [
    "CaseChange",
    "AssignmentChange",
    "CommentChange",
    "AttachmentChange",
    "ExtensionRequestChange",
    "SupervisionChange",
    "AppealChange",
    "CallbackAttemptChange",
]


def case_changes(*, case: Case):
    """The change history of a case (the caller has checked that the user may see the case)."""
    return changes_referring_to(case, tables=[apps.get_model("cases", table) for table in CASE_CHANGE_TABLES])


# How alike two texts must be (pg_trgm's similarity, 0 to 1) for a case to be suggested.
SIMILAR_CASE_THRESHOLD = 0.2


def similar_cases(*, case: Case, user: User, limit: int = 10) -> list[Case]:
    """Cases of the same measure, from other centres first, whose title or description reads like
    this case's (trigram similarity, which works on Chinese text too), most alike first: the
    candidates for one policy issue (共性问题) or, from the same centre, a duplicate. Only cases the
    user may see; open and closed alike (a closed one may hold the answer)."""
    candidates = case_list_visible_to(user=user).filter(measure_id=case.measure_id).exclude(pk=case.pk)
    if connection.vendor != "postgresql":  # the embedded demo database has no trigrams
        unknown = Value(None, output_field=FloatField())
        return list(
            candidates.annotate(similarity=unknown)
            .select_related("centre", "district")
            .order_by("-created_at")[:limit]
        )
    return list(
        candidates.annotate(
            similarity=Greatest(
                TrigramSimilarity("title", case.title), TrigramSimilarity("description", case.description)
            )
        )
        .filter(similarity__gte=SIMILAR_CASE_THRESHOLD)
        .select_related("centre", "district")
        .order_by("-similarity", "-created_at", "-id")[:limit]
    )


def policy_issue_list_visible_to(*, user: User) -> QuerySet[PolicyIssue]:
    """Policy issues the user may see: the city all; managers all, or those touching their
    district; a district commissioner those with a case of the district; bureau staff those routed
    to their bureau, as lead or co-handler. Everyone else: a 404."""
    issues = PolicyIssue.objects.all()
    if user.role == Role.CITY_COMMISSIONER:
        return issues
    if user.role == Role.MANAGER:
        district = district_in_sight(user)
        return issues if district is None else issues.filter(Exists(_cases_of_district(district)))
    if user.role == Role.DISTRICT_COMMISSIONER:
        return issues.filter(Exists(_cases_of_district(user.district_id)))
    if user.role == Role.BUREAU_STAFF:
        co = PolicyIssue.co_bureaus.through.objects.filter(
            policyissue_id=OuterRef("pk"), bureau_id=user.bureau_id
        )
        return issues.exclude(state=PolicyIssueState.OPEN).filter(
            Q(lead_bureau_id=user.bureau_id) | Exists(co)
        )
    return issues.none()


def _cases_of_district(district_id: int) -> QuerySet[Case]:
    return Case.objects.filter(policy_issue_id=OuterRef("pk"), district_id=district_id)


def policy_issue_detail(issues: QuerySet[PolicyIssue], *, user: User) -> QuerySet[PolicyIssue]:
    """What the issue's page and API show, in a fixed number of queries: its bureaus, its cases as
    far as the user may see them, its history."""
    visible_cases = (
        case_list_visible_to(user=user)
        .select_related("centre", "district", "lead_bureau")
        .order_by("district_id", "created_at", "id")
    )
    co_of_mine = PolicyIssue.co_bureaus.through.objects.filter(
        policyissue_id=OuterRef("pk"), bureau_id=getattr(user, "bureau_id", None)
    )
    return (
        issues.select_related("measure", "lead_bureau", "created_by")
        .annotate(
            user_bureau_co_handles=Exists(co_of_mine),
            case_count=Count("cases", distinct=True),
        )
        .prefetch_related(
            "co_bureaus",
            Prefetch("cases", queryset=visible_cases, to_attr="visible_cases"),
            Prefetch("events", queryset=PolicyIssueEvent.objects.select_related("actor")),
        )
    )


def policy_issue_candidates(*, issue: PolicyIssue, user: User, limit: int = 20) -> list[Case]:
    """Cases that could join the issue: being handled, in no issue, not confidential, of the
    issue's measure, whose title or description reads like the issue's (or like one of its cases'),
    most alike first."""
    candidates = (
        case_list_visible_to(user=user)
        .filter(
            measure_id=issue.measure_id,
            state__in=rules.BEING_HANDLED,
            policy_issue__isnull=True,
            is_confidential=False,
        )
        .select_related("centre", "district")
    )
    if connection.vendor != "postgresql":
        unknown = Value(None, output_field=FloatField())
        return list(candidates.annotate(similarity=unknown).order_by("-created_at")[:limit])
    # The issue's words and those of the cases it holds (the first few: each is one more comparison).
    texts = [issue.title, issue.description, *issue.cases.order_by("pk").values_list("title", flat=True)[:5]]
    return list(
        candidates.annotate(
            similarity=Greatest(
                *(TrigramSimilarity(field, text) for text in texts for field in ("title", "description"))
            )
        )
        .filter(similarity__gte=SIMILAR_CASE_THRESHOLD)
        .order_by("-similarity", "-created_at", "-id")[:limit]
    )


def open_policy_issues_by_age(*, user: User, today: date | None = None) -> list[dict]:
    """For managers: the issues still being handled, per state, with how many cases each holds and
    how many days it has been open (the oldest first)."""
    today = today or local_today()
    rows = (
        policy_issue_list_visible_to(user=user)
        .filter(state__in=rules.ISSUE_BEING_HANDLED)
        .select_related("measure", "lead_bureau")
        .annotate(case_count=Count("cases"))
        .order_by("created_at", "id")
    )
    return [
        {
            "issue": issue,
            "age_days": (today - timezone.localdate(issue.created_at)).days,
            "is_overdue": issue.answer_due_on is not None and issue.answer_due_on < today,
        }
        for issue in rows
    ]
