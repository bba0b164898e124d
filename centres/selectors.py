"""Reads of centres; `centre_list_visible_to` is the one answer to "which centres may this user see?"."""

from datetime import timedelta

from django.db.models import Case, DateField, DurationField, F, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, TruncDate

from commissioners.models import Role, User
from commissioners.scopes import district_in_sight, sees_the_city

from .models import Centre, ContactRecord, FollowUp
from .scheduling import DEFAULT_INTERVAL_DAYS, contact_intervals


def centre_list_visible_to(*, user: User) -> QuerySet[Centre]:
    centres = Centre.objects.all()
    if sees_the_city(user):
        return centres
    if district_in_sight(user) is not None:
        return centres.filter(district_id=district_in_sight(user))
    if user.role == Role.BUREAU_STAFF:
        # A case routed to the bureau grants sight of its centre (cases point at centres,
        # so this follows the reverse relation rather than importing the cases app).
        routed = Centre.objects.filter(
            cases__assignments__bureau_id=user.bureau_id, cases__assignments__is_current=True
        ).values("pk")
        return centres.filter(pk__in=routed)
    return centres.none()


# Routine contact is the commissioners' own work: bureaus do not see it.
ROLES_SEEING_CONTACT_WORK = frozenset(
    {Role.DISTRICT_COMMISSIONER, Role.CITY_COMMISSIONER, Role.MANAGER, Role.ADMINISTRATOR}
)


def contact_record_list_visible_to(*, user: User) -> QuerySet[ContactRecord]:
    if user.role not in ROLES_SEEING_CONTACT_WORK:
        return ContactRecord.objects.none()
    return ContactRecord.objects.filter(centre__in=centre_list_visible_to(user=user))


def follow_up_list_visible_to(*, user: User) -> QuerySet[FollowUp]:
    """Follow-ups of the centres the user looks after: a district's for its commissioners, all for the city."""
    if user.role not in ROLES_SEEING_CONTACT_WORK:
        return FollowUp.objects.none()
    if district_in_sight(user) is not None:
        return FollowUp.objects.filter(centre__district_id=district_in_sight(user))
    return FollowUp.objects.all()


def with_next_contact_due(centres: QuerySet[Centre]) -> QuerySet[Centre]:
    """Annotates `next_contact_due`: the last contact day (or the registration day) plus the guidance
    class's contact interval. One SQL expression, so it sorts and filters lists of any length."""
    interval = Case(
        *(
            When(
                guidance_class=guidance_class, then=Value(timedelta(days=days), output_field=DurationField())
            )
            for guidance_class, days in contact_intervals().items()
        ),
        default=Value(timedelta(days=DEFAULT_INTERVAL_DAYS), output_field=DurationField()),
    )
    last_contact = Coalesce(F("last_contacted_on"), TruncDate("created_at"))
    return centres.annotate(next_contact_due=Cast(last_contact + interval, output_field=DateField()))
