"""Reads of assessments; one answer each to "which cycles, assessments and findings may this user see?"."""

from django.db.models import QuerySet

from assessments.models import Assessment, AssessmentCycle, Finding
from commissioners.models import Role, User
from commissioners.scopes import district_in_sight, sees_the_city


def assessment_cycle_list_visible_to(*, user: User) -> QuerySet[AssessmentCycle]:
    """Cycles are the calendar of the assessments: every role may read them."""
    return AssessmentCycle.objects.all()


def finding_list_visible_to(*, user: User) -> QuerySet[Finding]:
    """A bureau sees the findings addressed to it; a district (its commissioners and its leadership)
    its centres'; the city all."""
    if sees_the_city(user):
        return Finding.objects.all()
    if district_in_sight(user) is not None:
        return Finding.objects.filter(assessment__district_id=district_in_sight(user))
    if user.role == Role.BUREAU_STAFF:
        return Finding.objects.filter(bureau_id=user.bureau_id)
    return Finding.objects.none()


def assessment_list_visible_to(*, user: User) -> QuerySet[Assessment]:
    """Scoped like the centres, except that a bureau sees only the assessments behind the
    findings addressed to it: the figures of a centre are not every bureau's business."""
    if sees_the_city(user):
        return Assessment.objects.all()
    if district_in_sight(user) is not None:
        return Assessment.objects.filter(district_id=district_in_sight(user))
    if user.role == Role.BUREAU_STAFF:
        return Assessment.objects.filter(
            pk__in=Finding.objects.filter(bureau_id=user.bureau_id).values("assessment_id")
        )
    return Assessment.objects.none()
