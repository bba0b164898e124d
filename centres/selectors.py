"""Reads of centres; `centre_list_visible_to` is the one answer to "which centres may this user see?"."""

from django.db.models import QuerySet

from commissioners.models import Role, User

from .models import Assessment, AssessmentCycle, Centre, ContactRecord, Finding, FollowUp

ROLES_SEEING_EVERY_CENTRE = frozenset({Role.CITY_COMMISSIONER, Role.MANAGER, Role.ADMINISTRATOR})


def _sees_the_city(user: User) -> bool:
    """City-wide roles, but for a manager who leads a district (the district's leadership). The
    user model's constraint leaves `district` empty for every role but district commissioners and
    such managers, so `user.district_id`, where set, is the one district the user's sight ends at."""
    return user.role in ROLES_SEEING_EVERY_CENTRE and user.district_id is None


def centre_list_visible_to(*, user: User) -> QuerySet[Centre]:
    centres = Centre.objects.all()
    if _sees_the_city(user):
        return centres
    if user.district_id is not None:
        return centres.filter(district_id=user.district_id)
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
    if user.district_id is not None:
        return FollowUp.objects.filter(centre__district_id=user.district_id)
    return FollowUp.objects.all()


# --- Assessments -----------------------------------------------------------------


def assessment_cycle_list_visible_to(*, user: User) -> QuerySet[AssessmentCycle]:
    """Cycles are the calendar of the assessments: every role may read them."""
    return AssessmentCycle.objects.all()


def finding_list_visible_to(*, user: User) -> QuerySet[Finding]:
    """A bureau sees the findings addressed to it; a district (its commissioners and its leadership)
    its centres'; the city all."""
    if _sees_the_city(user):
        return Finding.objects.all()
    if user.district_id is not None:
        return Finding.objects.filter(assessment__district_id=user.district_id)
    if user.role == Role.BUREAU_STAFF:
        return Finding.objects.filter(bureau_id=user.bureau_id)
    return Finding.objects.none()


def assessment_list_visible_to(*, user: User) -> QuerySet[Assessment]:
    """Scoped like the centres, except that a bureau sees only the assessments behind the
    findings addressed to it: the figures of a centre are not every bureau's business."""
    if _sees_the_city(user):
        return Assessment.objects.all()
    if user.district_id is not None:
        return Assessment.objects.filter(district_id=user.district_id)
    if user.role == Role.BUREAU_STAFF:
        return Assessment.objects.filter(
            pk__in=Finding.objects.filter(bureau_id=user.bureau_id).values("assessment_id")
        )
    return Assessment.objects.none()
