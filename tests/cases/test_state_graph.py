"""One definition of the case's state graph: the rule table's. The django-fsm transitions take their
source states from it, and the state fields cannot be assigned around the transitions."""

import pytest

from assessments.models import ENTERABLE_STATES, Assessment, AssessmentState
from cases import rules
from cases.models import Case, CaseState
from core.states import transition_sources


def _case_transitions():
    return list(Case._meta.get_field("state").get_all_transitions(Case))


def test_every_transition_is_a_move_of_the_rule_table_from_the_same_states():
    transitions = _case_transitions()
    assert transitions
    for transition in transitions:
        move = transition.custom["move"]
        assert move in rules.MOVES, transition.name
        sources = {t.source for t in _case_transitions() if t.name == transition.name}
        assert sources == set(rules.MOVES[move].states), transition.name


def test_the_transitions_reach_every_state():
    assert {transition.target for transition in _case_transitions()} == set(CaseState.values)


def test_the_moves_that_change_the_state_are_exactly_those_with_transitions():
    with_transitions = {transition.custom["move"] for transition in _case_transitions()}
    # A move whose states include a state it can leave for another is a transition; the others
    # (edits, co-handling parts, extensions, supervision, appeals) change no state.
    assert with_transitions == {
        "withdraw",
        "dispatch",
        "accept",
        "return",
        "answer",
        "callback",
        "refer_up",
        "record_referral_outcome",
        "rule_return",
        "answer_from_policy_issue",
    }


def test_the_permission_of_each_transition_is_the_rule_tables_actor(
    xuhui_commissioner, city_commissioner, db
):
    case = Case(state=CaseState.SUBMITTED, district_id=xuhui_commissioner.district_id)
    for transition in _case_transitions():
        move = transition.custom["move"]
        for user in (xuhui_commissioner, city_commissioner):
            assert transition.has_perm(case, user) == rules.actor_may(move, case, user), (move, user)


@pytest.mark.parametrize("model", [Case, Assessment])
def test_the_state_cannot_be_assigned_directly(model):
    instance = model()
    with pytest.raises(AttributeError):
        instance.state = "closed"


def test_the_assessment_services_check_the_states_the_transitions_leave_from():
    assert transition_sources(Assessment.submit) == ENTERABLE_STATES
    assert transition_sources(Assessment.review) == {AssessmentState.SUBMITTED}
    assert transition_sources(Assessment.return_for_correction) == {AssessmentState.SUBMITTED}
