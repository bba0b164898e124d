"""The demo's development assessments: the past cycle entered, submitted and reviewed through
the assessment services, the current cycle opened with one draft, and their summary."""

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from assessments.models import INDICATOR_FIELDS, Assessment, AssessmentCycle, AssessmentState, Finding
from assessments.services import (
    assessment_return,
    assessment_review,
    assessment_submit,
    assessment_update,
    finding_handle,
    open_cycle,
)
from cases.models import Case, CaseSource
from commissioners.models import User
from demo.data.assessments import (
    ASSESSMENTS_2025,
    CORRECTED_2025,
    CURRENT_CYCLE,
    CURRENT_DRAFT,
    CURRENT_DRAFT_CENTRE,
    CURRENT_DRAFT_PROBLEMS,
    HANDLED_FINDINGS_2025,
    NO_PROBLEMS,
    PAST_CYCLE,
    PROBLEMS_2025,
    REVIEW_NOTES,
    SERVICE_VIEWS,
)
from demo.data.organisation import DEMO_CASE_USERS
from demo.seeding.measures import shanghai_measure


def seed_assessments(*, today: date) -> None:
    """The past cycle entered, submitted and reviewed for every centre whose district has a
    demo commissioner (the others stay open, overdue), two findings handled by their
    bureaus, and the current cycle opened with one assessment being filled in."""
    users = {user.username: user for user in User.objects.filter(username__in=DEMO_CASE_USERS)}
    past = _cycle(
        PAST_CYCLE,
        period=(date(2025, 1, 1), date(2025, 12, 31)),
        opens_on=date(2026, 1, 5),
        due_on=date(2026, 2, 27),
    )
    # open_cycle stamps it opened now, not in January. The period's case figures are those of
    # CASES_2025, the other demo cases being this year's.
    open_cycle(cycle=past)
    # Only open ones: the whole command is one transaction, so an assessment is either
    # untouched or already walked to reviewed.
    for assessment in past.assessments.filter(
        state=AssessmentState.OPEN, centre__name_en__in=ASSESSMENTS_2025
    ).select_related("centre", "district"):
        commissioner = users.get(f"dc-{assessment.district.code}")
        if commissioner is not None:
            _assess_2025(assessment, commissioner=commissioner, city=users["city"])
    for centre_name, rule, username, status, note in HANDLED_FINDINGS_2025:
        staff = users[username]
        finding = Finding.objects.filter(
            assessment__cycle=past,
            assessment__centre__name_en=centre_name,
            rule=rule,
            bureau_id=staff.bureau_id,
            status=Finding.Status.OPEN,
        ).first()
        if finding is not None:
            finding_handle(finding=finding, actor=staff, status=status, note=note)

    current = _cycle(
        CURRENT_CYCLE,
        period=(date(2026, 1, 1), date(2026, 12, 31)),
        opens_on=today,
        due_on=today + timedelta(days=30),
    )
    open_cycle(cycle=current)
    draft = (
        current.assessments.filter(
            centre__name_en=CURRENT_DRAFT_CENTRE,
            state=AssessmentState.OPEN,
            full_time_rd_staff__isnull=True,
        )
        .select_related("district")
        .first()
    )
    if draft is not None:
        assessment_update(
            assessment=draft,
            actor=users[f"dc-{draft.district.code}"],
            problems=[
                {"description": description, "measure": shanghai_measure(number) if number else None}
                for description, number in CURRENT_DRAFT_PROBLEMS
            ],
            **CURRENT_DRAFT,
        )


def _cycle(name: str, *, period: tuple[date, date], opens_on: date, due_on: date) -> AssessmentCycle:
    """The demo cycle of that name, created (unopened) the first time."""
    period_start, period_end = period
    cycle, _ = AssessmentCycle.objects.get_or_create(
        name=name,
        defaults={
            "period_start": period_start,
            "period_end": period_end,
            "opens_on": opens_on,
            "due_on": due_on,
        },
    )
    return cycle


def _assess_2025(assessment: Assessment, *, commissioner: User, city: User) -> None:
    """Enters the centre's 2025 figures, submits them (returned once and corrected where
    CORRECTED_2025 says so) and has the city commissioner review them."""
    name = assessment.centre.name_en
    figures = dict(zip(INDICATOR_FIELDS, ASSESSMENTS_2025[name], strict=True))
    figures["rd_spending_cny"] = Decimal(figures["rd_spending_cny"]) * 1_000_000
    problems = PROBLEMS_2025.get(name, [])
    first_entry, return_reason = CORRECTED_2025.get(name, ({}, ""))
    assessment = assessment_update(
        assessment=assessment,
        actor=commissioner,
        problems=[
            {"description": text, "measure": shanghai_measure(number) if number else None}
            for text, number in problems
        ],
        problems_met="\n".join(text.splitlines()[0] for text, _ in problems) or NO_PROBLEMS,
        centre_view_of_service=SERVICE_VIEWS[sorted(ASSESSMENTS_2025).index(name) % len(SERVICE_VIEWS)],
        **(figures | first_entry),
    )
    assessment = assessment_submit(assessment=assessment, actor=commissioner)
    if return_reason:
        assessment = assessment_return(assessment=assessment, actor=city, reason=return_reason)
        assessment = assessment_update(
            assessment=assessment, actor=commissioner, **{field: figures[field] for field in first_entry}
        )
        assessment = assessment_submit(assessment=assessment, actor=commissioner)
    assessment_review(assessment=assessment, actor=city, note=REVIEW_NOTES[assessment.guidance_class])


def assessments_summary() -> str:
    lines = []
    for name in (PAST_CYCLE, CURRENT_CYCLE):
        assessments = Assessment.objects.filter(cycle__name=name)
        states = Counter(assessments.values_list("state", flat=True))
        classes = Counter(
            assessments.filter(state=AssessmentState.REVIEWED).values_list("guidance_class", flat=True)
        )
        lines.append(
            f"{name}: {assessments.count()} assessments ("
            + ", ".join(f"{n} {state}" for state, n in sorted(states.items()))
            + (
                f"; reviewed as {', '.join(f'{n} {c}' for c, n in sorted(classes.items()))}"
                if classes
                else ""
            )
            + ")"
        )
    findings = Counter(Finding.objects.values_list("status", flat=True))
    return (
        f"Assessments ready ({'; '.join(lines)}; "
        f"{sum(findings.values())} findings ({', '.join(f'{n} {s}' for s, n in sorted(findings.items()))}), "
        f"{Case.objects.filter(source=CaseSource.ASSESSMENT).count()} cases logged from assessments)."
    )
