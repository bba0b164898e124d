"""The daily digest: one e-mail per user on a working day, with what is due for them and the
notifications they chose to receive in the digest rather than at once."""

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cases import selectors
from cases.deadlines import load_calendar
from cases.models import Case, ExtensionRequest
from centres.models import FollowUp
from commissioners import mail, notifications
from commissioners.models import DailyDigest, Notification, OutgoingEmail, User

from .scheduling import CASE_COLUMNS, K, bureau_work, case_params, reminder_cutoff, scheduling_setting

DIGEST_SUBJECT = _("What is due for you today (%(day)s)")
DIGEST_GREETING = _("Good morning %(name)s, this is what is due for you:")
DIGEST_OVERDUE_CASES = _("%(count)s cases are overdue.")
DIGEST_REPORTED_CALLBACKS = _("%(count)s call-backs were reported as missed.")
DIGEST_PENDING_EXTENSIONS = _("%(count)s deadline extension requests wait for a decision.")
DIGEST_MORE = _("… and %(count)s more.")
DIGEST_NEWS_GREETING = _("Good morning %(name)s, this is what happened since your last digest:")
DIGEST_NEWS = _("Since your last digest:")
DIGEST_LINES = 30


def _digest_items(*, today: date) -> dict[int, list[tuple[str, dict[str, Any]]]]:
    """Per user, what is due for them: (notification kind or summary line, params). A fixed number of queries."""
    items: dict[int, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    horizon = today + timedelta(days=scheduling_setting("CONTACT_FOLLOW_UP_LEAD_DAYS"))
    follow_ups = (
        FollowUp.objects.filter(closed_at__isnull=True, due_on__lte=horizon, assignee__isnull=False)
        # A contact follow-up has no case: its centre is its own.
        .annotate(case_title=F("case__title"), centre_zh=F("centre__name_zh"), centre_en=F("centre__name_en"))
        .values("assignee_id", "kind", "case_id", "due_on", *CASE_COLUMNS)
        .order_by("due_on", "pk")
    )
    for row in follow_ups:
        kind = K.CALLBACK_DUE if row["kind"] == FollowUp.Kind.CALLBACK else K.CONTACT_DUE
        items[row["assignee_id"]].append((kind, case_params(row, row["due_on"])))

    due_soon = selectors.awaiting_bureaus().filter(due_on__lte=reminder_cutoff(today))
    for user_id, kind, _assignment, params in bureau_work(due_soon.order_by("due_on", "pk")):
        items[user_id].append((kind, params))

    summary = {
        DIGEST_OVERDUE_CASES: Case.objects.filter(selectors.overdue_condition(today)).count(),
        DIGEST_REPORTED_CALLBACKS: FollowUp.objects.filter(
            kind=FollowUp.Kind.CALLBACK, closed_at__isnull=True, reported_at__isnull=False
        ).count(),
        DIGEST_PENDING_EXTENSIONS: ExtensionRequest.objects.filter(status="pending").count(),
    }
    for user_id in notifications.city_commissioner_ids():
        for line, count in summary.items():
            if count:
                items[user_id].append((line, {"count": count}))
    return items


def _links(params: dict[str, Any]) -> list[str]:
    links = notifications.case_links(params)
    if len(links) == 1:
        return [f"  {links[0][1]}"]
    return [f"  {number} {url}" for number, url in links]


def _digest_body(
    *, user: User, day: date, items: list[tuple[str, dict[str, Any]]], news: list[Notification]
) -> tuple[str, str]:
    with translation.override(user.language):
        name = user.get_full_name() or user.username
        greeting = DIGEST_GREETING if items else DIGEST_NEWS_GREETING
        lines = [str(greeting) % {"name": name}, ""]
        for kind, params in items[:DIGEST_LINES]:
            if kind in notifications.TITLES:
                title, body = notifications.render(kind=kind, params=params, language=user.language)
                body = body.replace("\n", " ")
                lines.append(f"- {title}: {body}" if params.get("case") else f"- {title}")
                lines.extend(_links(params))
            else:
                lines.append(f"- {kind % params}")
        if len(items) > DIGEST_LINES:
            lines.append(str(DIGEST_MORE) % {"count": len(items) - DIGEST_LINES})
        if news:
            if items:
                lines.extend(["", str(DIGEST_NEWS)])
            for notification in news[:DIGEST_LINES]:
                title, _body = notifications.render(
                    kind=notification.kind, params=notification.params, language=user.language
                )
                lines.append(f"- {title}")
                lines.extend(_links(notification.params))
            if len(news) > DIGEST_LINES:
                lines.append(str(DIGEST_MORE) % {"count": len(news) - DIGEST_LINES})
        return str(DIGEST_SUBJECT) % {"day": day.isoformat()}, "\n".join(lines)


def send_daily_digests(*, today: date, send: bool = True) -> int:
    """On working days, one e-mail per user with something due or notifications they have in the
    digest; once per user and day. Each of those notifications is quoted by one digest and then
    counts as e-mailed, so it never goes out on its own as well. A fixed number of queries."""
    if not load_calendar(start=today, end=today).is_working_day(today):
        return 0
    items = _digest_items(today=today)
    news_count = (
        notifications.digest_notifications_pending()
        .filter(recipient_id=OuterRef("pk"))
        .order_by()
        .values("recipient_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    recipients = (
        User.objects.annotate(news=Coalesce(Subquery(news_count), 0))
        .filter(Q(pk__in=list(items)) | Q(news__gt=0), is_active=True)
        .exclude(email="")
    )
    DailyDigest.objects.bulk_create(
        [
            DailyDigest(recipient_id=user_id, day=today, item_count=len(items.get(user_id, [])) + news)
            for user_id, news in recipients.values_list("pk", "news")
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )

    with transaction.atomic():
        # Locked, so two runs at once write each digest once and quote each notification once.
        pending = list(
            DailyDigest.objects.filter(day=today, sent_at__isnull=True, email__isnull=True)
            .select_related("recipient")
            .select_for_update(skip_locked=True, of=("self",))
        )
        news = notifications.digest_notifications_claim(recipient_ids=[d.recipient_id for d in pending])
        emails, quoted = [], []
        for digest in pending:
            user_news = news.get(digest.recipient_id, [])
            subject, body = _digest_body(
                user=digest.recipient, day=today, items=items.get(digest.recipient_id, []), news=user_news
            )
            emails.append(OutgoingEmail(digest=digest, to=digest.recipient.email, subject=subject, body=body))
            quoted.extend(notification.pk for notification in user_news)
        queued = mail.queue_emails(emails)
        notifications.digest_notifications_mark_sent(ids=quoted)
    # Sending goes message by message through the outbox (`send=False` leaves it to the e-mail task).
    if send:
        mail.send_due_emails()
    return queued
