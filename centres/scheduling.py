"""The routine-contact sweep: every active centre is contacted within its guidance class's interval."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, DateField, Q, QuerySet, When
from django.db.models.functions import Coalesce, TruncDate

from commissioners import notifications
from commissioners.models import NotificationKind

from .models import Centre, CentreStatus, ContactInterval, FollowUp, GuidanceClass

DEFAULT_INTERVAL_DAYS = 90


def contact_intervals() -> dict[str, int]:
    """Days between contacts per guidance class, as administrators set them."""
    days = dict(ContactInterval.objects.values_list("guidance_class", "days"))
    fallback = days.get(GuidanceClass.UNCLASSIFIED, DEFAULT_INTERVAL_DAYS)
    return {guidance_class: days.get(guidance_class, fallback) for guidance_class in GuidanceClass.values}


def last_contact_expression() -> Coalesce:
    """The day of a centre row's last contact, or of its registration if there was none."""
    return Coalesce("last_contacted_on", TruncDate("created_at"))


def with_last_contact(centres: QuerySet[Centre]) -> QuerySet[Centre]:
    """Annotates `last_contact` (`last_contact_expression`)."""
    return centres.annotate(last_contact=last_contact_expression())


def next_contact_due_expression(intervals: dict[str, int]) -> Case:
    """The next contact day of a centre row: its last contact (or registration) plus its class's interval."""
    return Case(
        *(
            When(guidance_class=guidance_class, then=last_contact_expression() + timedelta(days=days))
            for guidance_class, days in intervals.items()
        ),
        output_field=DateField(),
    )


def refresh_next_contact_due(centres: QuerySet[Centre]) -> int:
    """Recomputes the stored `next_contact_due` of these centres in one UPDATE; returns how many.

    Called by every write it rests on: a centre registered or imported, a contact recorded, a
    guidance class set by a reviewed assessment, an interval changed by an administrator."""
    return centres.order_by().update(next_contact_due=next_contact_due_expression(contact_intervals()))


def contact_due_by(day: date, *, intervals: dict[str, int]) -> Q:
    """On `with_last_contact` centres: those whose next contact falls due on or before `day`."""
    due = Q()
    for guidance_class, days in intervals.items():
        due |= Q(guidance_class=guidance_class, last_contact__lte=day - timedelta(days=days))
    return due


def open_contact_follow_ups(*, today: date) -> int:
    """Opens a follow-up for each active centre whose next contact falls due within the lead time.

    Set-wise: one query finds the centres, one bulk insert opens the follow-ups (the
    one-open-per-centre constraint makes a second run or a concurrent one a no-op),
    one more tells their commissioners. Returns the number of centres found due."""
    lead = timedelta(days=settings.SCHEDULING["CONTACT_FOLLOW_UP_LEAD_DAYS"])
    intervals = contact_intervals()
    # NOT IN over the open follow-ups' centres, not NOT EXISTS: PostgreSQL hashes the set
    # whatever its statistics say; right after a large first run they are stale, and a
    # nested-loop anti join then took 17 s for 50,000 centres.
    with_open_follow_up = FollowUp.objects.filter(kind=FollowUp.Kind.CONTACT, closed_at__isnull=True).values(
        "centre_id"
    )
    centres = list(
        with_last_contact(Centre.objects.filter(status=CentreStatus.ACTIVE))
        .filter(contact_due_by(today + lead, intervals=intervals))
        .exclude(pk__in=with_open_follow_up)
        .values(
            "pk", "district_id", "commissioner_id", "guidance_class", "last_contact", "name_zh", "name_en"
        )
    )
    if not centres:
        return 0
    for centre in centres:
        centre["due_on"] = centre["last_contact"] + timedelta(days=intervals[centre["guidance_class"]])
    commissioners = notifications.district_commissioners_by_district(
        c["district_id"] for c in centres if c["commissioner_id"] is None
    )
    city = notifications.city_commissioner_ids() if any(not c["commissioner_id"] for c in centres) else []
    drafts = []
    for centre in centres:
        # A centre without its own commissioner is everyone's in its district, and the
        # city's where the district has no commissioner at all: nobody may be left untold.
        recipients = (
            [centre["commissioner_id"]]
            if centre["commissioner_id"]
            else commissioners[centre["district_id"]] or city
        )
        params = {
            "centre_zh": centre["name_zh"],
            "centre_en": centre["name_en"],
            "due_on": centre["due_on"].isoformat(),
        }
        drafts += [
            notifications.Draft(
                recipient_id=user_id,
                kind=NotificationKind.CONTACT_DUE,
                key=f"contact_due:{centre['pk']}:{centre['due_on']}",
                params=params,
            )
            for user_id in recipients
        ]
    with transaction.atomic():
        FollowUp.objects.bulk_create(
            [
                FollowUp(
                    kind=FollowUp.Kind.CONTACT,
                    centre_id=centre["pk"],
                    assignee_id=centre["commissioner_id"],
                    due_on=centre["due_on"],
                )
                for centre in centres
            ],
            ignore_conflicts=True,
            batch_size=2000,
        )
        notifications.notify(drafts)
    return len(centres)
