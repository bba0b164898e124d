"""The demo's policy issue (共性问题): like cases of three districts, logged through the real services,
grouped by the city and dispatched on the routing table's proposal; only once (matched by title)."""

from cases.models import Case, PolicyIssue
from cases.services import case_submit
from cases.services.policy_issues import (
    policy_issue_create,
    policy_issue_dispatch,
    policy_issue_routing_proposal,
)
from centres.models import Centre, CentreStatus
from commissioners.models import User
from demo.data.cases import POLICY_ISSUE, POLICY_ISSUE_CASES
from demo.seeding.measures import shanghai_measure


def seed_policy_issue() -> int:
    """Returns the cases added (0 when the issue is already there)."""
    title, description, number = POLICY_ISSUE
    if PolicyIssue.objects.filter(title=title).exists():
        return 0
    cases: list[Case] = []
    for district_code, measure_number, case_title, case_description in POLICY_ISSUE_CASES:
        commissioner = User.objects.get(username=f"dc-{district_code}")
        centre = (
            Centre.objects.filter(district__code=district_code, status=CentreStatus.ACTIVE)
            .order_by("pk")
            .first()
        )
        if centre is None:
            continue
        cases.append(
            case_submit(
                actor=commissioner,
                centre=centre,
                measure=shanghai_measure(measure_number),
                title=case_title,
                description=case_description,
            )
        )
    city = User.objects.get(username="city")
    issue = policy_issue_create(
        actor=city,
        title=title,
        description=description,
        measure=shanghai_measure(number),
        cases=[case.pk for case in cases],
    )
    proposal = policy_issue_routing_proposal(issue=issue)
    policy_issue_dispatch(
        issue=issue,
        actor=city,
        lead_bureau=next(row.bureau for row in proposal if row.is_lead),
        co_bureaus=[row.bureau for row in proposal if not row.is_lead],
    )
    return len(cases)
