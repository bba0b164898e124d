"""The problems an assessment tags with a measure, logged as cases of that measure on review."""

from assessments.models import (
    Assessment,
)
from cases.models import CaseSource
from cases.services.workflow import case_submit
from centres.models import CentreStatus
from commissioners.models import Role, User


def log_tagged_problems(assessment: Assessment) -> list[int]:

    logged_by = _problem_logger(assessment)
    if logged_by is None or assessment.centre.status == CentreStatus.CLOSED:
        # Nobody looks after the district any more, or the centre closed since it was assessed: the
        # review stands, and the problems stay on the assessment, tagged, for the city to follow.
        return []
    case_ids = []
    for problem in assessment.problems.filter(measure__isnull=False, case__isnull=True).select_related(
        "measure"
    ):
        case = case_submit(
            actor=logged_by,
            centre=assessment.centre,
            measure=problem.measure,
            title=_problem_title(problem.description),
            description=problem.description,
            source=CaseSource.ASSESSMENT,
        )
        problem.case = case
        problem.save(update_fields=["case"])
        case_ids.append(case.pk)
    return case_ids


def _problem_logger(assessment: Assessment) -> User | None:
    """Who logs the tagged problems as cases: the commissioner who submitted the assessment or, when
    they no longer look after its district (moved or left), the centre's commissioner or the
    district's first one now. A case is always logged by a district commissioner of its district."""

    def looks_after_the_district(user: User | None) -> bool:
        return bool(
            user
            and user.is_active
            and user.role == Role.DISTRICT_COMMISSIONER
            and user.district_id == assessment.district_id
        )

    for user in (assessment.submitted_by, assessment.centre.commissioner):
        if looks_after_the_district(user):
            return user
    return (
        User.objects.filter(
            role=Role.DISTRICT_COMMISSIONER, district_id=assessment.district_id, is_active=True
        )
        .order_by("pk")
        .first()
    )


def _problem_title(description: str) -> str:
    first_line = description.strip().splitlines()[0]
    return first_line if len(first_line) <= 200 else first_line[:199] + "…"
