"""Notifications: created set-wise and once per event, written out in the reader's language.

Every job that tells people something builds `Draft`s and calls `notify`; the
unique (recipient, key) constraint makes a repeated or concurrent run harmless.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.queue import enqueue_on_commit

from . import mail
from .models import Notification, NotificationKind, OutgoingEmail, Role, User

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
}
CASE_BODY = _("“%(case_title)s”, %(centre)s")
CONTACT_BODY = _("Record the contact when it has taken place; that closes the follow-up.")
CASES_OVERDUE_BODY = _(
    "%(cases)s. Each is now under supervision (督办); the case list filtered on overdue shows them all."
)
ASSESSMENTS_BODY = _("The assessments list shows them; submit each when its figures are complete.")
ASSESSMENTS_OVERDUE_BODY = _("The assessments list filtered on overdue shows them.")
ASSESSMENT_RETURNED_BODY = _("Reason: %(reason)s")
FINDING_BODY = _(
    "A finding under Measure %(measure)s from the assessment “%(cycle)s”. The findings list shows it; "
    "mark it acknowledged or acted on."
)
# The body of each kind that does not quote a case.
BODIES = {
    K.CONTACT_DUE: CONTACT_BODY,
    K.CASES_OVERDUE: CASES_OVERDUE_BODY,
    K.ASSESSMENTS_OPENED: ASSESSMENTS_BODY,
    K.ASSESSMENTS_DUE: ASSESSMENTS_BODY,
    K.ASSESSMENTS_OVERDUE: ASSESSMENTS_OVERDUE_BODY,
    K.ASSESSMENT_RETURNED: ASSESSMENT_RETURNED_BODY,
    K.FINDING_ROUTED: FINDING_BODY,
}
# How many case numbers a summary quotes.
SUMMARY_CASES = 20
# Emails that are older than this are not sent any more: the in-app inbox still has them.
EMAIL_MAX_AGE = timedelta(days=1)


@dataclass(frozen=True)
class Draft:
    recipient_id: int
    kind: str
    # What happened, e.g. "case_overdue:42:dispatched:2026-11-20": one notification per recipient and key.
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


def notify(drafts: Iterable[Draft]) -> int:
    """Stores the notifications not stored yet and queues their e-mails; returns how many were offered."""
    rows = [
        Notification(recipient_id=d.recipient_id, kind=d.kind, key=d.key, params=dict(d.params))
        for d in drafts
    ]
    if not rows:
        return 0
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=10_000)
    enqueue_on_commit("commissioners.tasks.send_notification_emails")
    return len(rows)


def render(*, kind: str, params: Mapping[str, Any], language: str) -> tuple[str, str]:
    """The notification's title and body in `language`."""
    with translation.override(language):
        values = dict(params)
        values["centre"] = params.get("centre_en" if language.startswith("en") else "centre_zh", "")
        values.setdefault("case", "")
        for name in ("due_on", "cycle", "reason", "count", "measure"):
            values.setdefault(name, "")
        listed = params.get("cases", [])
        values["cases"] = ", ".join(f"#{case_id}" for case_id in listed)
        if params.get("count", 0) > len(listed):
            values["cases"] += " …"
        title = str(TITLES[kind]) % values
        body = str(BODIES.get(kind, CASE_BODY)) % values
    return title, body


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


def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Marks the user's unread notifications read: the given ones, or all of them."""
    unread = notifications_of(user=user).filter(read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


# --- E-mail ---------------------------------------------------------------------


def queue_notification_emails(*, limit: int = 5000) -> int:
    """Writes the e-mails of notifications that have none yet into the outbox, in each recipient's
    language, with a link to what they are about; a notification older than EMAIL_MAX_AGE is left to
    the in-app inbox."""
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True, email__isnull=True, created_at__gte=timezone.now() - EMAIL_MAX_AGE
        )
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("id")[:limit]
    )
    emails = []
    for notification in pending:
        title, body = render(
            kind=notification.kind, params=notification.params, language=notification.recipient.language
        )
        emails.append(
            OutgoingEmail(
                notification=notification, to=notification.recipient.email, subject=title, body=body
            )
        )
    return mail.queue_emails(emails)


def send_pending_emails(*, limit: int | None = None) -> int:
    """The notifications' e-mails into the outbox, then every due e-mail out; returns how many were sent."""
    queue_notification_emails()
    return mail.send_due_emails(limit=limit)
