"""Notifications: created set-wise and once per event, written out in the reader's language.

Every job that tells people something builds `Draft`s and calls `notify`; the
unique (recipient, key) constraint makes a repeated or concurrent run harmless.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.bulk import insert_new_rows
from core.queue import enqueue_on_commit

from . import mail
from .models import Notification, NotificationKind, OutgoingEmail, Role, User
from .preferences import wants_digest

K = NotificationKind

TITLES = {
    K.ACCEPT_DUE: _("Case #%(case)s is to be accepted by %(due_on)s"),
    K.ANSWER_DUE: _("Case #%(case)s is to be answered by %(due_on)s"),
    K.CASE_OVERDUE: _("Case #%(case)s is overdue: it was due by %(due_on)s"),
    K.CASES_OVERDUE: _("Cases past their deadline: %(count)s"),
    K.SUPERVISION_OPENED: _("Case #%(case)s is now under supervision (督办)"),
    K.CALLBACK_DUE: _("Call the centre back on case #%(case)s by %(due_on)s"),
    K.CALLBACK_MISSED: _("The call-back on case #%(case)s was due by %(due_on)s"),
    K.CALLBACK_REPORTED: _("A call-back on case #%(case)s is overdue since %(due_on)s"),
    K.CONTACT_DUE: _("Routine contact with %(centre)s is due by %(due_on)s"),
    K.ASSESSMENTS_OPENED: _("%(count)s development assessments of “%(cycle)s” to fill in by %(due_on)s"),
    K.ASSESSMENTS_DUE: _("%(count)s development assessments of “%(cycle)s” are due by %(due_on)s"),
    K.ASSESSMENTS_OVERDUE: _(
        "%(count)s development assessments of “%(cycle)s” were not submitted by %(due_on)s"
    ),
    K.ASSESSMENT_RETURNED: _("The assessment of %(centre)s (“%(cycle)s”) was returned for correction"),
    K.FINDING_ROUTED: _("Assessment finding for your bureau: %(centre)s"),
    K.FINDING_OUTCOME_DUE: _("Outcome due for an eligibility finding: %(centre)s"),
    K.CASE_LOGGED: _("Case #%(case)s was logged and waits for triage"),
    K.CASE_DISPATCHED: _("Case #%(case)s was dispatched to your bureau as %(role)s; accept it by %(due_on)s"),
    K.CASE_RETURNED: _("Case #%(case)s was returned as misrouted by %(bureau)s"),
    K.RETURN_RULED: _("The return of case #%(case)s was ruled on: %(upheld)s"),
    K.TRIAGE_OVERDUE: _("Case #%(case)s waits for dispatch: it was to be triaged by %(due_on)s"),
    K.CASE_ACCEPTED: _("Case #%(case)s was accepted"),
    K.CASE_ANSWERED: _("Case #%(case)s was answered"),
    K.CONTRIBUTION_RECEIVED: _("%(bureau)s contributed to case #%(case)s"),
    K.CONTRIBUTION_DUE: _("Your bureau's contribution to case #%(case)s is due by %(due_on)s"),
    K.EXTENSION_REQUESTED: _("An extension of %(working_days)s working days is requested on case #%(case)s"),
    K.EXTENSION_DECIDED: _("The extension requested on case #%(case)s was %(approved)s"),
    K.REFERRAL_FOLLOW_UP_DUE: _("Follow up the referral of case #%(case)s by %(due_on)s"),
    K.REFERRAL_OVERDUE: _("The referral of case #%(case)s is overdue: it was due by %(due_on)s"),
    K.REFERRAL_OUTCOME: _("The referral of case #%(case)s has an outcome"),
    K.SUPERVISION_REPLIED: _("%(bureau)s replied to the supervision of case #%(case)s"),
    K.SUPERVISION_DUE: _("A reply to the supervision of case #%(case)s is due by %(due_on)s"),
    K.SUPERVISION_OVERDUE: _(
        "The supervision of case #%(case)s was due by %(due_on)s and is escalated to %(level)s"
    ),
    K.CALLBACK_UNREACHABLE: _("The call-back on case #%(case)s could not reach the centre (%(count)s tries)"),
    K.APPEAL_FILED: _("%(bureau)s appealed the inclusion of case #%(case)s in its rates (申诉核减)"),
    K.APPEAL_DECIDED: _("The appeal against the inclusion of case #%(case)s in the rates was %(upheld)s"),
    K.POLICY_ISSUE_DISPATCHED: _(
        "Policy issue #%(issue)s was dispatched to your bureau as %(role)s; answer it by %(due_on)s"
    ),
    K.POLICY_ISSUE_ANSWERED: _("Policy issue #%(issue)s was answered; the answer reached %(count)s cases"),
    K.POLICY_ISSUE_SUPERVISED: _("Policy issue #%(issue)s is now under supervision (督办)"),
    K.POLICY_ISSUE_OVERDUE: _("Policy issue #%(issue)s is overdue: it was to be answered by %(due_on)s"),
}
CASE_BODY = _("“%(case_title)s”, %(centre)s")
CONTACT_BODY = _("Record the contact when it has taken place; that closes the follow-up.")
CASES_OVERDUE_BODY = _(
    "%(cases)s. Each is now under supervision (督办); the case list filtered on overdue shows them all."
)
ASSESSMENTS_BODY = _("The assessments list shows them; submit each when its figures are complete.")
ASSESSMENTS_OVERDUE_BODY = _("The assessments list filtered on overdue shows them.")
ASSESSMENT_RETURNED_BODY = _("Reason: %(reason)s")
REASON_LINE = ASSESSMENT_RETURNED_BODY
NOTE_LINE = _("Note: %(reason)s")
OUTCOME_LINE = _("Outcome: %(reason)s")
REPLY_LINE = _("Reply: %(reason)s")
REPLY_BY_LINE = _("Reply by %(due_on)s.")
ANSWER_BY_LINE = _("To be answered by %(due_on)s.")
FINDING_BODY = _(
    "A finding under Measure %(measure)s from the assessment “%(cycle)s”. The findings list shows it; "
    "mark it acknowledged or acted on."
)
FINDING_OUTCOME_BODY = _(
    "The finding under Measure %(measure)s from the assessment “%(cycle)s” was due its outcome on "
    "%(due_on)s: record whether the centre was briefed, applied, was granted it, is not interested or "
    "is not eligible after all."
)
ISSUE_BODY = _("“%(issue_title)s”")
# The body of each kind that does not quote a case.
BODIES = {
    K.CONTACT_DUE: CONTACT_BODY,
    K.CASES_OVERDUE: CASES_OVERDUE_BODY,
    K.ASSESSMENTS_OPENED: ASSESSMENTS_BODY,
    K.ASSESSMENTS_DUE: ASSESSMENTS_BODY,
    K.ASSESSMENTS_OVERDUE: ASSESSMENTS_OVERDUE_BODY,
    K.ASSESSMENT_RETURNED: ASSESSMENT_RETURNED_BODY,
    K.FINDING_ROUTED: FINDING_BODY,
    K.FINDING_OUTCOME_DUE: FINDING_OUTCOME_BODY,
    K.CASE_RETURNED: (CASE_BODY, REASON_LINE),
    K.RETURN_RULED: (CASE_BODY, REASON_LINE),
    K.EXTENSION_REQUESTED: (CASE_BODY, REASON_LINE),
    K.EXTENSION_DECIDED: (CASE_BODY, ANSWER_BY_LINE, NOTE_LINE),
    K.REFERRAL_OUTCOME: (CASE_BODY, OUTCOME_LINE),
    K.SUPERVISION_OPENED: (CASE_BODY, NOTE_LINE, REPLY_BY_LINE),
    K.SUPERVISION_REPLIED: (CASE_BODY, REPLY_LINE),
    K.APPEAL_FILED: (CASE_BODY, REASON_LINE),
    K.APPEAL_DECIDED: (CASE_BODY, REASON_LINE),
    K.POLICY_ISSUE_DISPATCHED: ISSUE_BODY,
    K.POLICY_ISSUE_ANSWERED: ISSUE_BODY,
    K.POLICY_ISSUE_SUPERVISED: (ISSUE_BODY, NOTE_LINE, ANSWER_BY_LINE),
    K.POLICY_ISSUE_OVERDUE: ISSUE_BODY,
}
# Parameters that hold a code or a yes/no, and the words they are written out as.
WORDS = {
    "role": {"lead": _("lead bureau"), "co": _("co-handling bureau")},
    "level": {"city": _("the city level"), "leadership": _("the leadership")},
    "upheld": {True: _("upheld"), False: _("rejected")},
    "approved": {True: _("approved"), False: _("rejected")},
}
# Every parameter a title or body may quote: a notification stored without one still renders.
PARAM_NAMES = (
    "case",
    "case_title",
    "issue",
    "issue_title",
    "due_on",
    "reason",
    "count",
    "cycle",
    "measure",
    "working_days",
    "role",
    "level",
    "upheld",
    "approved",
)
# How many case numbers a summary quotes.
SUMMARY_CASES = 20
OPEN_CASE = _("Open the case: %(url)s")
OPEN_POLICY_ISSUE = _("Open the policy issue: %(url)s")
OPEN_CASES = _("Open the cases:")
# Emails that are older than this are not sent any more: the in-app inbox still has them.
EMAIL_MAX_AGE = timedelta(days=1)
# A digest quotes the notifications since the last one; this covers the longest public holiday.
DIGEST_MAX_AGE = timedelta(days=14)


@dataclass(frozen=True)
class Draft:
    recipient_id: int
    kind: str
    # What happened, e.g. "case_overdue:42:dispatched:2026-11-20": one notification per recipient and key.
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


def notify(drafts: Iterable[Draft]) -> int:
    """Stores the notifications not stored yet and queues their e-mails; returns how many were offered.
    Written as column arrays (`core.bulk`): an escalation after a long weekend tells 100,000 people."""
    now = timezone.now()
    rows = [
        {
            "recipient": d.recipient_id,
            "kind": d.kind,
            "key": d.key,
            "params": dict(d.params),
            "created_at": now,
        }
        for d in drafts
    ]
    if not rows:
        return 0
    insert_new_rows(Notification, rows)
    enqueue_on_commit("commissioners.tasks.send_notification_emails")
    return len(rows)


PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _values(params: Mapping[str, Any], *, english: bool) -> dict[str, Any]:
    """The parameters as the texts quote them, in the active language."""
    values = dict.fromkeys(PARAM_NAMES, "")
    values.update({name: value for name, value in params.items() if value is not None})
    for name in ("centre", "bureau"):
        values[name] = params.get(f"{name}_en" if english else f"{name}_zh") or ""
    for name, words in WORDS.items():
        value = values[name]
        if isinstance(value, (bool, str)) and value in words:
            values[name] = str(words[value])
    listed = params.get("cases") or []
    values["cases"] = ", ".join(f"#{case_id}" for case_id in listed)
    if isinstance(params.get("count"), int) and params["count"] > len(listed):
        values["cases"] += " …"
    return values


def _body(template, values: Mapping[str, Any]) -> str:
    # A line that only quotes details the event did not have (no reason given, no deadline) is left out.
    lines = template if isinstance(template, tuple) else (template,)
    kept = []
    for line in map(str, lines):
        names = PLACEHOLDER.findall(line)
        if names and not any(values[name] not in ("", None) for name in names):
            continue
        kept.append(line % values)
    return "\n".join(kept)


def render(*, kind: str, params: Mapping[str, Any], language: str) -> tuple[str, str]:
    """The notification's title and body in `language`; a missing parameter is written as nothing."""
    with translation.override(language):
        values = _values(params, english=language.startswith("en"))
        title = str(TITLES[kind]) % values
        body = _body(BODIES.get(kind, CASE_BODY), values)
    return title, body


def case_url(case_id: int | str) -> str:
    """The case's page in the workbench: the one place that knows its address."""
    return f"{settings.PUBLIC_BASE_URL}/cases/{case_id}/"


def case_ids(params: Mapping[str, Any]) -> list[int]:
    """The cases a notification is about: its case, or a summary's cases."""
    return [params["case"]] if params.get("case") else list(params.get("cases") or [])


def policy_issue_url(issue_id: int | str) -> str:
    """The policy issue's page in the workbench."""
    return f"{settings.PUBLIC_BASE_URL}/policy-issues/{issue_id}/"


def case_links(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(number, page address) of each case a notification quotes, or of its policy issue."""
    if params.get("issue"):
        return [(f"#{params['issue']}", policy_issue_url(params["issue"]))]
    return [(f"#{case_id}", case_url(case_id)) for case_id in case_ids(params)]


def render_email(*, kind: str, params: Mapping[str, Any], language: str) -> tuple[str, str]:
    """The notification's e-mail subject and body in `language`; the body ends with the link to its
    case, or a summary's links to each case it quotes."""
    title, body = render(kind=kind, params=params, language=language)
    links = case_links(params)
    with translation.override(language):
        if params.get("issue"):
            footer = str(OPEN_POLICY_ISSUE) % {"url": links[0][1]}
        elif params.get("case"):
            footer = str(OPEN_CASE) % {"url": links[0][1]}
        elif links:
            footer = "\n".join([str(OPEN_CASES), *(f"{number} {url}" for number, url in links)])
        else:
            footer = ""
    return title, "\n\n".join(part for part in (body, footer) if part)


# --- Who is told ---------------------------------------------------------------


def _active(users: QuerySet[User]) -> QuerySet[User]:
    return users.filter(is_active=True)


def city_commissioner_ids() -> list[int]:
    return list(_active(User.objects.filter(role=Role.CITY_COMMISSIONER)).values_list("pk", flat=True))


def bureau_staff_by_bureau(bureau_ids: Iterable[int]) -> dict[int, list[int]]:
    staff: dict[int, list[int]] = defaultdict(list)
    rows = _active(User.objects.filter(role=Role.BUREAU_STAFF, bureau_id__in=set(bureau_ids)))
    for user_id, bureau_id in rows.values_list("pk", "bureau_id"):
        staff[bureau_id].append(user_id)
    return staff


def district_commissioners_by_district(district_ids: Iterable[int]) -> dict[int, list[int]]:
    commissioners: dict[int, list[int]] = defaultdict(list)
    rows = _active(User.objects.filter(role=Role.DISTRICT_COMMISSIONER, district_id__in=set(district_ids)))
    for user_id, district_id in rows.values_list("pk", "district_id"):
        commissioners[district_id].append(user_id)
    return commissioners


# --- The inbox -----------------------------------------------------------------


def notifications_of(*, user: User) -> QuerySet[Notification]:
    """A user's own notifications; nobody sees anyone else's."""
    return Notification.objects.filter(recipient=user)


def unread_count(*, user: User) -> int:
    return notifications_of(user=user).filter(read_at__isnull=True).count()


def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Marks the user's unread notifications read: the given ones, or all of them."""
    unread = notifications_of(user=user).filter(read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


# --- E-mail ---------------------------------------------------------------------


def _unsent() -> QuerySet[Notification]:
    return Notification.objects.filter(emailed_at__isnull=True, email__isnull=True)


@transaction.atomic
def queue_notification_emails(*, limit: int = 5000) -> int:
    """Writes the e-mails of notifications that have none yet into the outbox, in each recipient's
    language, with a link to what they are about. Kinds the recipient has in the daily digest are left
    to it; a notification older than EMAIL_MAX_AGE is left to the in-app inbox."""
    pending = (
        _unsent()
        .filter(created_at__gte=timezone.now() - EMAIL_MAX_AGE)
        .exclude(wants_digest())
        .exclude(recipient__email="")
        .select_related("recipient")
        # A digest being written holds its notifications: they are its, not this run's (and the other way round).
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("id")[:limit]
    )
    emails = []
    for notification in pending:
        title, body = render_email(
            kind=notification.kind, params=notification.params, language=notification.recipient.language
        )
        emails.append(
            OutgoingEmail(
                notification=notification, to=notification.recipient.email, subject=title, body=body
            )
        )
    return mail.queue_emails(emails)


def digest_notifications_pending() -> QuerySet[Notification]:
    """The notifications a daily digest is to quote: not e-mailed, of a kind the recipient has in the digest."""
    return _unsent().filter(wants_digest(), created_at__gte=timezone.now() - DIGEST_MAX_AGE)


def digest_notifications_claim(*, recipient_ids: Iterable[int]) -> dict[int, list[Notification]]:
    """Per recipient, the notifications their digest is to quote, oldest first, locked until the
    transaction ends; call `digest_notifications_mark_sent` when their digests are queued."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Claim digest notifications inside the transaction that queues the digests.")
    locked = list(
        digest_notifications_pending()
        .filter(recipient_id__in=list(recipient_ids))
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("pk", flat=True)
    )
    # Read again after the lock: an e-mail queued for one of them just before it was locked wins.
    claimed: dict[int, list[Notification]] = defaultdict(list)
    for notification in _unsent().filter(pk__in=locked).order_by("created_at", "id"):
        claimed[notification.recipient_id].append(notification)
    return claimed


def digest_notifications_mark_sent(*, ids: Iterable[int]) -> int:
    """The notifications are in a queued digest: they are never e-mailed on their own."""
    return Notification.objects.filter(pk__in=list(ids)).update(emailed_at=timezone.now())


def send_pending_emails(*, limit: int | None = None) -> int:
    """The notifications' e-mails into the outbox, then every due e-mail out; returns how many were sent."""
    queue_notification_emails()
    return mail.send_due_emails(limit=limit)
