from datetime import date

import pytest
from django.utils import timezone

from cases.models import Assignment, Case, CaseState
from cases.services._base import sync_assignments
from commissioners.models import Role
from tests.factories import UserFactory, bureau, shanghai_measure


@pytest.fixture
def science_staff(db):
    """Staff of 市科委, the lead unit of Measure 1."""
    return UserFactory(username="science", role=Role.BUREAU_STAFF, bureau=bureau("sh-science-technology"))


@pytest.fixture
def finance_staff(db):
    """Staff of 市财政局, co-handling Measure 1."""
    return UserFactory(username="finance", role=Role.BUREAU_STAFF, bureau=bureau("sh-finance"))


@pytest.fixture
def other_bureau_staff(db):
    return UserFactory(username="customs", role=Role.BUREAU_STAFF, bureau=bureau("sh-customs"))


@pytest.fixture
def case_in_state(xuhui_commissioner, xuhui_centre):
    """Builds a coherent Measure 1 case of the Xuhui centre in any state, led by 市科委 with 市财政局."""

    def build(state: str, *, confidential: bool = False, co_contributed: bool = False, **fields) -> Case:
        case = Case.objects.create(
            centre=xuhui_centre,
            district=xuhui_centre.district,
            measure=shanghai_measure(1),
            title=f"A case that is {state}",
            description="Programme funding is not reaching the centre.",
            is_confidential=confidential,
            created_by=xuhui_commissioner,
            state=CaseState.SUBMITTED,
        )
        if state == CaseState.SUBMITTED:
            return case
        now = timezone.now()
        routed = state not in (CaseState.REFERRED_UP, CaseState.WITHDRAWN)
        values = {
            "state": state,
            "lead_bureau": bureau("sh-science-technology"),
            "dispatched_at": now,
            "accept_due_on": date(2030, 1, 3),
            "answer_due_on": date(2030, 1, 20),
            "answer_due_original": date(2030, 1, 20),
        }
        if state in (CaseState.IN_PROGRESS, CaseState.ANSWERED, CaseState.CLOSED):
            values["accepted_at"] = now
        if state in (CaseState.ANSWERED, CaseState.CLOSED):
            values.update(answered_at=now, answer_text="Funding approved.", answer_outcome="solved")
        if state == CaseState.CLOSED:
            values.update(closed_at=now, callback_resolved=True, callback_satisfaction="satisfied")
        if state == CaseState.REFERRED_UP:
            values.update(referred_to=bureau("most"), referred_at=now, referral_note="Needs the ministry.")
        values.update(fields)
        Case.objects.filter(pk=case.pk).update(**values)
        co_status = Assignment.Status.PENDING if state == CaseState.DISPATCHED else Assignment.Status.ACCEPTED
        if co_contributed:  # the co-handler gave its part: the lead may answer
            co_status = Assignment.Status.CONTRIBUTED
        case.refresh_from_db()
        Assignment.objects.create(
            case=case,
            accept_due_on=case.accept_due_on,
            bureau=bureau("sh-science-technology"),
            is_lead=True,
            is_current=routed,
            status=Assignment.Status.PENDING if state == CaseState.DISPATCHED else Assignment.Status.ACCEPTED,
        )
        Assignment.objects.create(
            case=case,
            accept_due_on=case.accept_due_on,
            bureau=bureau("sh-finance"),
            is_lead=False,
            is_current=routed,
            status=co_status,
        )
        sync_assignments(case)  # what every move does
        case.refresh_from_db()
        return case

    return build


@pytest.fixture
def submitted_case(case_in_state):
    return case_in_state(CaseState.SUBMITTED)
