"""What the workbench pages show, put together from what the selectors read: rows, clocks, labels."""

from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases import rules, selectors
from cases.deadlines import Countdown, countdowns
from cases.models import Case, CaseState, Satisfaction, Supervision, Urgency
from cases.selectors import INBOX_ACTIONS, InboxItem
from cases.services.notes import may_write_notes
from commissioners.models import Bureau, District, Role, User
from policies.models import Measure, Programme

# What the history calls the entries that are not moves of the rule table.
EVENT_LABELS = {
    "submit": _("logged"),
    "attach": _("attached a document"),
    "comment": _("added an internal note"),
    "merge": _("merged a duplicate into this case"),
    "triage_overdue": _("not dispatched in time"),
    "referral_overdue": _("referral not followed up in time"),
    "co_handling_overdue": _("a co-handling bureau missed its deadline"),
    "supervision_escalated": _("supervision raised to the leadership"),
    "supervision_overdue": _("supervision reply overdue"),
}

STATE_LABELS = dict(CaseState.choices)

# The column a list's countdown is shown under, by the date it counts down to.
CLOCK_LABELS = {
    "triage_due_on": _("Dispatch by"),
    "answer_due_on": _("Answer by"),
    "referral_due_on": _("Follow up by"),
}


def event_label(action: str) -> str:
    if action in rules.MOVES:
        return str(rules.MOVES[action].label)
    return str(EVENT_LABELS.get(action, action))


@dataclass(frozen=True)
class Counted:
    """Rows whose number is already known, for a paginator not to count them again."""

    rows: QuerySet
    total: int

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        return self.rows[index]


@dataclass
class CaseRow:
    case: Case
    countdown: Countdown | None


@dataclass
class InboxRow:
    item: InboxItem
    countdown: Countdown | None

    @property
    def action_label(self) -> str:
        return capfirst(rules.MOVES[self.item.action].label)


@dataclass
class SupervisionRow:
    supervision: Supervision
    countdown: Countdown | None


@dataclass(frozen=True)
class Queue:
    """One of the city's work lists (`selectors.city_queues`) as its page shows it: the date its
    countdown counts to, and the search that lists all of it."""

    key: str
    title: str
    clock: str | None
    search: str

    @property
    def clock_label(self) -> str:
        return str(CLOCK_LABELS.get(self.clock, ""))

    def due_of(self, case: Case) -> date | None:
        return getattr(case, self.clock) if self.clock else None


CITY_QUEUES = (
    Queue("triage", _("To dispatch"), "triage_due_on", "state=submitted&return_pending=false"),
    Queue("returns", _("Returns awaiting your ruling"), "triage_due_on", "return_pending=true"),
    Queue("extensions", _("Extension requests to decide"), "answer_due_on", "extension_pending=true"),
    Queue("appeals", _("Appeals to decide"), None, "appeal_pending=true"),
    Queue("referrals", _("Referred upward"), "referral_due_on", "state=referred_up"),
)


@dataclass(frozen=True)
class CaseSection:
    queue: Queue
    count: int
    rows: list[CaseRow]


@dataclass(frozen=True)
class Tab:
    action: str | None
    label: str
    count: int
    current: bool


def inbox_tabs(*, counts: dict[str, int], current: str | None) -> list[Tab]:
    tabs = [Tab(None, str(_("All")), counts["all"], current is None)]
    tabs += [Tab(a, capfirst(rules.MOVES[a].label), counts[a], current == a) for a in INBOX_ACTIONS]
    return tabs


def text_search(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """The API's `search` over title and description (a case number finds its case). PostgreSQL
    text holds no NUL, and no title is longer than 200 characters."""
    text = text.replace("\x00", "")[:200]
    condition = Q(title__icontains=text) | Q(description__icontains=text)
    number = text.lstrip("#")
    if number.isdigit() and len(number) < 18:
        condition |= Q(pk=int(number))
    return cases.filter(condition)


@dataclass(frozen=True)
class Filter:
    name: str
    label: str
    kind: str  # select, multiple, boolean, date
    choices: list[tuple[str, str]]
    value: object


YES_NO_ANY = [("", "—"), ("true", _("yes")), ("false", _("no"))]


def search_filters(params, *, user: User) -> list[Filter]:
    """The search form's inputs: the API's case filters, with what the user chose."""
    districts = [("", "—"), *((d.code, d.name) for d in District.objects.order_by("code"))]
    bureaus = [
        ("", "—"),
        *((b.code, b.name) for b in Bureau.objects.exclude(level=Bureau.Level.NATIONAL).order_by("code")),
    ]
    measures = [
        ("", "—"),
        *(
            (str(m.number), f"{m.number}. {m.title}")
            for m in Measure.objects.filter(programme=Programme.SHANGHAI_2024).order_by("number")
        ),
    ]
    one = params.get
    filters = [
        Filter("state", str(_("State")), "multiple", list(CaseState.choices), params.getlist("state")),
        Filter("district", str(_("District")), "select", districts, one("district", "")),
        Filter("lead_bureau", str(_("Lead bureau")), "select", bureaus, one("lead_bureau", "")),
        Filter("bureau", str(_("Bureau (lead or co-handling)")), "select", bureaus, one("bureau", "")),
        Filter("measure_number", str(_("Measure")), "select", measures, one("measure_number", "")),
        Filter("urgency", str(_("Urgency")), "select", [("", "—"), *Urgency.choices], one("urgency", "")),
        Filter("overdue", str(_("Overdue now")), "boolean", YES_NO_ANY, one("overdue", "")),
        Filter("supervised", str(_("Under supervision")), "boolean", YES_NO_ANY, one("supervised", "")),
        Filter("confidential", str(_("Confidential")), "boolean", YES_NO_ANY, one("confidential", "")),
        Filter(
            "return_pending",
            str(_("Return awaiting a ruling")),
            "boolean",
            YES_NO_ANY,
            one("return_pending", ""),
        ),
        Filter(
            "extension_pending",
            str(_("Extension awaiting a decision")),
            "boolean",
            YES_NO_ANY,
            one("extension_pending", ""),
        ),
        Filter(
            "appeal_pending",
            str(_("Appeal awaiting a decision")),
            "boolean",
            YES_NO_ANY,
            one("appeal_pending", ""),
        ),
        Filter(
            "triage_overdue",
            str(_("Not dispatched in time")),
            "boolean",
            YES_NO_ANY,
            one("triage_overdue", ""),
        ),
        Filter(
            "satisfaction",
            str(_("Satisfaction")),
            "multiple",
            list(Satisfaction.choices),
            params.getlist("satisfaction"),
        ),
        Filter("created_after", str(_("Logged from")), "date", [], one("created_after", "")),
        Filter("created_before", str(_("Logged until")), "date", [], one("created_before", "")),
        Filter("due_after", str(_("Answer due from")), "date", [], one("due_after", "")),
        Filter("due_before", str(_("Answer due until")), "date", [], one("due_before", "")),
    ]
    if user.role == Role.DISTRICT_COMMISSIONER:
        # A district commissioner sees their own district only: the choice would be empty words.
        filters = [f for f in filters if f.name != "district"]
    return filters


@dataclass(frozen=True)
class Clock:
    label: str
    countdown: Countdown
    note: str = ""


def _clocks(case: Case, *, today: date) -> list[Clock]:
    """Every deadline running on the case, with its working-day countdown."""
    wanted: list[tuple[str, date | None, str, bool]] = []

    def run(label, due_on: date | None, note: str = "", *, provisional: bool = False) -> None:
        if due_on is not None:
            wanted.append((str(label), due_on, note, provisional))

    if case.state == CaseState.SUBMITTED:
        run(_("Dispatch by"), case.triage_due_on)
    if case.state == CaseState.DISPATCHED:
        run(_("Accept by"), case.accept_due_on)
    if case.state in (CaseState.DISPATCHED, CaseState.IN_PROGRESS):
        extended = case.answer_due_original and case.answer_due_original != case.answer_due_on
        note = str(_("extended from %(date)s")) % {"date": case.answer_due_original} if extended else ""
        # The deadline was counted over a year whose holiday notice was missing then.
        run(_("Answer by"), case.answer_due_on, note, provisional=case.due_is_provisional)
        for assignment in case.all_assignments:
            if assignment.is_current and not assignment.is_lead:
                names = {"bureau": assignment.bureau.name}
                if assignment.status == "pending":
                    run(_("%(bureau)s accepts its part by") % names, assignment.accept_due_on)
                elif assignment.status == "accepted":
                    run(_("%(bureau)s contributes by") % names, assignment.contribute_due_on)
    if case.state == CaseState.REFERRED_UP:
        run(_("Follow up the referral by"), case.referral_due_on)
    for supervision in case.supervisions.all():
        if supervision.closed_at is None and supervision.replied_at is None:
            run(_("Reply to the supervision by"), supervision.due_on, supervision.get_level_display())
    counted = countdowns(dates=[due for _label, due, _note, _provisional in wanted], today=today)
    return [
        Clock(
            label=label,
            countdown=replace(counted[due], is_provisional=True) if provisional else counted[due],
            note=note,
        )
        for label, due, note, provisional in wanted
    ]


@dataclass(frozen=True)
class HistoryLine:
    at: object
    actor: str
    action: str
    from_state: str
    to_state: str
    reason: str
    note: str


def _history(case: Case) -> list[HistoryLine]:
    lines = []
    for event in case.events.all():
        actor = event.actor.get_full_name() or event.actor.username if event.actor else str(_("the system"))
        lines.append(
            HistoryLine(
                at=event.created_at,
                actor=actor,
                action=event_label(event.action),
                from_state=str(STATE_LABELS.get(event.from_state, event.from_state)),
                to_state=str(STATE_LABELS.get(event.to_state, event.to_state)),
                reason=event.reason,
                note=event.note,
            )
        )
    return lines


def case_context(*, case: Case, user: User, today: date) -> dict:
    """What the case page shows besides its move forms."""
    return {
        "case": case,
        "clocks": _clocks(case, today=today),
        "assignments": case.all_assignments,
        "history": _history(case),
        "comments": list(case.comments.select_related("author")),
        "attachments": list(case.attachments.all()),
        "may_write_notes": may_write_notes(user),
        **_policy_issue_context(case, user),
    }


def _policy_issue_context(case: Case, user: User) -> dict:
    """The policy issue the case belongs to, when the user may open it; for the city, the way to
    raise one from this case and the cases like it."""
    issue = None
    if case.policy_issue_id is not None:
        issue = selectors.policy_issue_list_visible_to(user=user).filter(pk=case.policy_issue_id).first()
    return {
        "policy_issue": issue,
        "policy_issue_id": case.policy_issue_id,
        "may_raise_policy_issue": user.role == Role.CITY_COMMISSIONER
        and case.policy_issue_id is None
        and case.state in rules.BEING_HANDLED
        and not case.is_confidential,
    }
