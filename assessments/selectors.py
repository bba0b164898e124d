"""Reads of assessments; one answer each to "which cycles, assessments and findings may this user see?"."""

from django.db.models import Prefetch, QuerySet

from assessments.models import (
    ENTERABLE_STATES,
    Assessment,
    AssessmentCycle,
    AssessmentEvent,
    AssessmentProblem,
    AssessmentState,
    Finding,
)
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


# The moves an assessment's page offers: the district's entry, the city's review.
ENTER, REVIEW = "enter", "review"


def assessment_moves_for(*, assessment: Assessment, user: User) -> frozenset[str]:
    """What the page offers the user on the assessment now; the services decide again on sending."""
    if assessment.cycle.is_closed:
        return frozenset()
    if (
        user.role == Role.DISTRICT_COMMISSIONER
        and user.district_id == assessment.district_id
        and assessment.state in ENTERABLE_STATES
    ):
        return frozenset({ENTER})
    if user.role == Role.CITY_COMMISSIONER and assessment.state == AssessmentState.SUBMITTED:
        return frozenset({REVIEW})
    return frozenset()


def assessment_for_page(*, user: User, pk: int) -> Assessment | None:
    """The assessment with all its page shows (problems, history); None when out of the user's sight."""
    return (
        assessment_list_visible_to(user=user)
        .filter(pk=pk)
        .select_related("cycle", "centre", "district", "submitted_by", "reviewed_by")
        .prefetch_related(
            Prefetch("problems", queryset=AssessmentProblem.objects.select_related("measure")),
            Prefetch("events", queryset=AssessmentEvent.objects.select_related("actor")),
        )
        .first()
    )
