"""Every (state, move, role): the API answers 200, 403, 404 or 409 exactly as the workflow says,
and the moves a case lists as allowed are exactly those that succeed."""

import pytest
from django.db import transaction

from cases.models import CaseState, PolicyIssue
from commissioners.models import Role
from tests.factories import UserFactory

S, D, IP, A, C, R, W = (
    CaseState.SUBMITTED,
    CaseState.DISPATCHED,
    CaseState.IN_PROGRESS,
    CaseState.ANSWERED,
    CaseState.CLOSED,
    CaseState.REFERRED_UP,
    CaseState.WITHDRAWN,
)
ALL_STATES = [S, D, IP, A, C, R, W]

# move -> (states it is allowed from, for these cases; the role or roles that make it)
WORKFLOW = {
    "edit": ({S, D, IP}, "district_commissioner"),
    "withdraw": ({S, D, IP}, "district_commissioner"),
    "dispatch": ({S}, "city_commissioner"),
    "accept": ({D}, "lead_bureau"),
    "return": ({D}, "lead_bureau"),
    "accept_assignment": ({D}, "co_bureau"),  # the co-handler's part is still pending only in D here
    "contribute": ({IP}, "co_bureau"),  # in progress, the co-handler has contributed (and may amend it)
    "answer": ({IP}, "lead_bureau"),
    "request_extension": ({IP}, "lead_bureau"),
    "decide_extension": (set(), "city_commissioner"),  # nothing pending in these cases
    "callback": ({A}, "district_commissioner"),
    "refer_up": ({S, D, IP}, "city_commissioner"),
    "record_referral_outcome": ({R}, "city_commissioner"),
    "follow_up_referral": ({R}, "city_commissioner"),
    "supervise": ({S, D, IP, A, R}, "city_commissioner"),
    "end_supervision": (set(), "city_commissioner"),  # not under supervision
    "rule_return": (set(), "city_commissioner"),  # no return waits for a ruling
    "reply_supervision": (set(), "lead_bureau"),  # not under supervision
    "appeal": ({D, IP, A, C}, ("lead_bureau", "co_bureau")),
    "decide_appeal": (set(), "city_commissioner"),  # no appeal waits
    "link_policy_issue": ({S, D, IP}, "city_commissioner"),
    "unlink_policy_issue": (set(), "city_commissioner"),  # in no policy issue
}

VALID_INPUT = {
    "edit": {"title": "A clearer title"},
    "withdraw": {"reason": "Solved by the centre itself."},
    "dispatch": {"lead_bureau": "sh-science-technology", "co_bureaus": ["sh-finance"]},
    "accept": {},
    "return": {"reason": "Not our remit."},
    "accept_assignment": {},
    "contribute": {"contribution": "Our part is done."},
    "answer": {"answer_text": "Funding approved.", "answer_outcome": "solved"},
    "request_extension": {"working_days": 5, "reason": "Waiting for the budget."},
    "decide_extension": {"approve": True},
    "callback": {"resolved": True, "satisfaction": "satisfied"},
    "refer_up": {"department": "most", "note": "Needs the ministry."},
    "record_referral_outcome": {"outcome": "The ministry issued guidance."},
    "follow_up_referral": {"note": "The ministry will answer next week."},
    "supervise": {"note": "Watch closely."},
    "end_supervision": {"note": ""},
    "rule_return": {"upheld": True, "reason": "Misrouted."},
    "reply_supervision": {"reply": "Done."},
    "appeal": {"reason": "The request is unreasonable."},
    "decide_appeal": {"appeal": 1, "upheld": True, "reason": "Agreed."},
    "link_policy_issue": {},  # the policy issue's id: made by the test
    "unlink_policy_issue": {"reason": "Handled on its own."},
}

# Which states each role can see the test case in (it is routed to 市科委 and 市财政局).
ROUTED = {D, IP, A, C}
SEES = {
    "district_commissioner": set(ALL_STATES),
    "other_district_commissioner": set(),
    "city_commissioner": set(ALL_STATES),
    "lead_bureau": ROUTED,
    "co_bureau": ROUTED,
    "other_bureau": set(),
    "manager": set(ALL_STATES),
    "administrator": set(),
}
READ_ONLY_ROLES = {"manager", "administrator"}


def expected_status(state: str, role: str, move: str) -> int:
    if role in READ_ONLY_ROLES:
        return 403  # refused before the case is even looked up
    if state not in SEES[role]:
        return 404
    allowed_states, actors = WORKFLOW[move]
    if role not in ((actors,) if isinstance(actors, str) else actors):
        return 403
    return 200 if state in allowed_states else 409


@pytest.fixture
def people(
    xuhui_commissioner,
    pudong_commissioner,
    city_commissioner,
    science_staff,
    finance_staff,
    other_bureau_staff,
):
    return {
        "district_commissioner": xuhui_commissioner,
        "other_district_commissioner": pudong_commissioner,
        "city_commissioner": city_commissioner,
        "lead_bureau": science_staff,
        "co_bureau": finance_staff,
        "other_bureau": other_bureau_staff,
        "manager": UserFactory(role=Role.MANAGER),
        "administrator": UserFactory(role=Role.ADMINISTRATOR),
    }


def test_the_table_covers_every_move_of_the_rule_table():
    from cases.rules import MOVES

    assert set(WORKFLOW) == {move for move, rule in MOVES.items() if rule.offered}
    # The one move never offered on its own: a policy issue's answer reaching each of its cases
    # (tests/cases/test_policy_issues.py).
    assert {move for move, rule in MOVES.items() if not rule.offered} == {"answer_from_policy_issue"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(SEES))
@pytest.mark.parametrize("state", ALL_STATES)
def test_every_move_answers_as_the_workflow_says(state, role, people, case_in_state, client_for):
    case = case_in_state(state)
    if state in (IP, A, C):
        # The co-handler has given its part, so the lead may answer.
        case.assignments.filter(is_lead=False).update(status="contributed")
    client = client_for(people[role])
    succeeded = set()
    issue = PolicyIssue.objects.create(
        title="Programme funding",
        description="…",
        measure=case.measure,
        created_by=people["city_commissioner"],
    )
    inputs = VALID_INPUT | {"link_policy_issue": {"policy_issue": issue.pk}}

    for move in WORKFLOW:
        # Each move is tried on the same case: undo whatever succeeded.
        with transaction.atomic():
            url = (
                f"/api/cases/{case.id}/"
                if move == "edit"
                else f"/api/cases/{case.id}/{move.replace('_', '-')}/"
            )
            send = client.patch if move == "edit" else client.post
            response = send(url, inputs[move], format="json")
            transaction.set_rollback(True)
        assert response.status_code == expected_status(state, role, move), (move, response.content)
        if response.status_code == 200:
            succeeded.add(move)

    detail = client.get(f"/api/cases/{case.id}/")
    if state in SEES[role] or (role == "manager"):
        assert set(detail.json()["allowed_moves"]) == succeeded
    else:
        assert detail.status_code == 404


def test_manager_sees_but_cannot_move(case_in_state, people, client_for):
    case = case_in_state(D)

    response = client_for(people["manager"]).get(f"/api/cases/{case.id}/")

    assert response.status_code == 200
    assert response.json()["allowed_moves"] == []
