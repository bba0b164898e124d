"""Reads of the field work: a commissioner's centres with what is due, a centre's whole story, and
the follow-ups to do. Each one narrows through the apps' own visibility selectors, so a centre's
timeline never shows a case, contact or assessment the user may not see elsewhere."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import CharField, Count, DateTimeField, F, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from assessments.models import Assessment, AssessmentState, FindingStatus
from assessments.selectors import assessment_list_visible_to, finding_list_visible_to
from cases import rules
from cases.models import CallbackAttempt, Case, CaseState
from cases.selectors import case_list_visible_to
from centres.models import Centre, ContactKind, FollowUp
from centres.selectors import (
    ROLES_SEEING_CONTACT_WORK,
    centre_list_visible_to,
    contact_record_list_visible_to,
    follow_up_list_visible_to,
)
from commissioners.models import Role, User
from landing.models import BenefitStatus, BriefingFormat
from landing.selectors import benefit_list_visible_to, briefing_list_visible_to


def centres_in_care(*, user: User, mine: bool = False) -> QuerySet[Centre]:
    """The centres the user looks after, next contact due first (the overdue at the top).

    `mine` keeps a district commissioner's own centres (those they are responsible for)."""
    centres = centre_list_visible_to(user=user)
    if mine and user.role == Role.DISTRICT_COMMISSIONER:
        centres = centres.filter(commissioner=user)
    return centres.select_related("district", "commissioner").order_by(
        # The id, not the name, breaks ties: sorting 50,000 names by the Chinese collation costs more
        # than the rest of the page.
        F("next_contact_due").asc(nulls_last=True),
        "id",
    )


def centres_by_id(*, user: User, ids: list[int]) -> list[Centre]:
    """The full rows of one page of centres, in the page's order.

    The list is ordered over ids alone and only the page's rows are read whole: sorting 50,000
    whole rows spilled to disk (110 ms), sorting their ids does not."""
    found = centre_list_visible_to(user=user).select_related("district", "commissioner").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def _count_per_centre(rows: QuerySet) -> dict[int, int]:
    return dict(rows.order_by().values("centre_id").annotate(n=Count("id")).values_list("centre_id", "n"))


@dataclass(frozen=True)
class CentreWork:
    """What is open at a centre, for its row in a list."""

    open_cases: int = 0
    open_follow_ups: int = 0


def centre_work(*, user: User, centre_ids: list[int]) -> dict[int, CentreWork]:
    """Open cases and open follow-ups per centre of one page: two grouped counts, whatever the
    page's length."""
    cases = _count_per_centre(
        case_list_visible_to(user=user).filter(centre_id__in=centre_ids, state__in=rules.NOT_FINISHED)
    )
    follow_ups = _count_per_centre(
        follow_up_list_visible_to(user=user).filter(centre_id__in=centre_ids, closed_at__isnull=True)
    )
    return {
        pk: CentreWork(open_cases=cases.get(pk, 0), open_follow_ups=follow_ups.get(pk, 0))
        for pk in centre_ids
    }


def centre_profile(*, user: User, pk: int) -> Centre:
    """One centre the user may see, with its next contact due (Centre.DoesNotExist otherwise)."""
    return (
        centre_list_visible_to(user=user)
        .select_related("district", "commissioner")
        .prefetch_related("research_fields", "contacts")
        .get(pk=pk)
    )


def latest_classification(*, user: User, centre: Centre) -> Assessment | None:
    """The reviewed assessment that put the centre in its guidance class: the class's "why"."""
    return (
        assessment_list_visible_to(user=user)
        .filter(centre=centre, state=AssessmentState.REVIEWED)
        .select_related("cycle")
        .order_by("-reviewed_at", "-id")
        .first()
    )


# --- The timeline ------------------------------------------------------------------------------

TIMELINE_KINDS = ("case", "contact", "callback", "assessment", "finding", "briefing", "benefit")
# The entries recorded by their day, not their moment.
WHOLE_DAY_KINDS = frozenset({"contact", "briefing", "benefit"})


def _midnight(field: str):
    # A contact is recorded by its day; on the timeline it sits at that day's start.
    return Cast(field, output_field=DateTimeField())


def _rows(queryset: QuerySet, *, kind: str, at, label, detail) -> QuerySet:
    """One kind of entry as the timeline's narrow row: (kind, item_id, at, label, detail)."""
    return (
        queryset.order_by()
        .annotate(
            entry_kind=Value(kind, output_field=CharField()),
            item_id=F("pk"),
            at=at,
            label=Cast(label, output_field=CharField()),
            detail=Cast(detail, output_field=CharField()),
        )
        .values_list("entry_kind", "item_id", "at", "label", "detail")
    )


def centre_timeline(*, user: User, centre: Centre) -> QuerySet:
    """Everything that happened with a centre, newest first, as far as the user may see it:
    cases logged, contacts, call-backs (reached or not), assessments and their findings, the
    policy briefings it attended and the benefits it applied for or received.

    One UNION of narrow rows, so a page of it is one query however long the story is; the rows
    are (kind, item_id, at, label, detail), with `detail` the entry's state or outcome."""
    cases = case_list_visible_to(user=user).filter(centre=centre)
    parts = [_rows(cases, kind="case", at=F("created_at"), label=F("title"), detail=F("state"))]
    if user.role in ROLES_SEEING_CONTACT_WORK:
        parts.append(
            _rows(
                contact_record_list_visible_to(user=user).filter(centre=centre),
                kind="contact",
                at=_midnight("contacted_on"),
                label=F("participants"),
                detail=F("kind"),
            )
        )
        parts.append(
            _rows(
                CallbackAttempt.objects.filter(case__in=cases),
                kind="callback",
                at=F("attempted_at"),
                label=F("case__title"),
                detail=Cast("reached", output_field=CharField()),
            )
        )
    assessments = assessment_list_visible_to(user=user).filter(centre=centre)
    parts.append(
        _rows(
            assessments,
            kind="assessment",
            at=Coalesce("reviewed_at", "submitted_at", "created_at"),
            label=F("cycle__name"),
            detail=F("state"),
        )
    )
    parts.append(
        _rows(
            finding_list_visible_to(user=user).filter(assessment__centre=centre),
            kind="finding",
            at=F("created_at"),
            label=F("rule"),
            detail=F("status"),
        )
    )
    parts.append(
        _rows(
            briefing_list_visible_to(user=user).filter(centres=centre),
            kind="briefing",
            at=_midnight("held_on"),
            label=F("title"),
            detail=F("format"),
        )
    )
    parts.append(
        _rows(
            benefit_list_visible_to(user=user).filter(centre=centre),
            kind="benefit",
            # A benefit stands on the story where it was last decided on, applied for or entered.
            at=Coalesce(_midnight("decided_on"), _midnight("applied_on"), "created_at"),
            label=F("title"),
            detail=F("status"),
        )
    )
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-at", "-entry_kind", "-item_id")


DETAIL_CHOICES = {
    "case": CaseState.choices,
    "contact": ContactKind.choices,
    "assessment": AssessmentState.choices,
    "finding": FindingStatus.choices,
    "briefing": BriefingFormat.choices,
    "benefit": BenefitStatus.choices,
}


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    item_id: int
    at: datetime
    label: str
    detail: str

    @property
    def day(self) -> date:
        return timezone.localtime(self.at).date() if timezone.is_aware(self.at) else self.at.date()

    @property
    def detail_label(self) -> str:
        """The entry's state or way, in words (a call-back says it in its own line)."""
        choices = DETAIL_CHOICES.get(self.kind)
        return str(dict(choices).get(self.detail, "")) if choices else ""

    @property
    def is_whole_day(self) -> bool:
        return self.kind in WHOLE_DAY_KINDS


def timeline_entries(rows) -> list[TimelineEntry]:
    entries = []
    for kind, item_id, at, label, detail in rows:
        if kind in WHOLE_DAY_KINDS and timezone.is_naive(at):
            at = timezone.make_aware(datetime.combine(at.date(), time.min))
        entries.append(
            TimelineEntry(kind=kind, item_id=item_id, at=at, label=label or "", detail=detail or "")
        )
    return entries


# --- Follow-ups --------------------------------------------------------------------------------


def follow_ups_to_do(*, user: User, mine: bool = True, kind: str | None = None) -> QuerySet[FollowUp]:
    """Open contacts and call-backs due, the overdue (soonest due) first.

    `mine`: a district commissioner's own (assigned to them, or of a centre they are responsible
    for) rather than the whole district's."""
    follow_ups = follow_up_list_visible_to(user=user).filter(closed_at__isnull=True)
    if mine and user.role == Role.DISTRICT_COMMISSIONER:
        follow_ups = follow_ups.filter(Q(assignee=user) | Q(assignee__isnull=True, centre__commissioner=user))
    if kind in FollowUp.Kind.values:
        follow_ups = follow_ups.filter(kind=kind)
    return follow_ups.select_related("centre", "case").order_by("due_on", "id")


def open_cases_of(*, user: User, centre: Centre) -> QuerySet[Case]:
    return (
        case_list_visible_to(user=user)
        .filter(centre=centre, state__in=rules.NOT_FINISHED)
        .select_related("measure")
        .order_by("-created_at", "-id")
    )


def cases_raised_by(*, user: User, record) -> list[Case]:
    """The cases a contact raised, as far as the user may see them."""
    return list(
        case_list_visible_to(user=user)
        .filter(contact_record=record)
        .select_related("measure")
        .order_by("created_at", "id")
    )


def cases_of_callbacks(*, ids: list[int]) -> dict[int, int]:
    """The case of each call-back try of a timeline page (the entry links to its case)."""
    if not ids:
        return {}
    return dict(CallbackAttempt.objects.filter(pk__in=ids).values_list("pk", "case_id"))
