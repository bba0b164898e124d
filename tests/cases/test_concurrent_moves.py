"""Two people making conflicting moves at the same moment: one wins, the other gets 409."""

import threading

import pytest
from django.db import connection

from cases.models import Case, CaseEvent, CaseState
from cases.services import case_accept, case_return
from commissioners.models import Role
from config.exceptions import Conflict
from tests.factories import CentreFactory, UserFactory, bureau, district


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_accept_and_return_at_once_exactly_one_succeeds():
    from cases.services import case_dispatch, case_submit
    from tests.cases.conftest import shanghai_measure

    commissioner = UserFactory(role=Role.DISTRICT_COMMISSIONER, district=district("xuhui"))
    city = UserFactory(role=Role.CITY_COMMISSIONER)
    lead_staff = [
        UserFactory(role=Role.BUREAU_STAFF, bureau=bureau("sh-science-technology")) for _ in range(2)
    ]
    centre = CentreFactory(district=district("xuhui"))
    case = case_submit(
        actor=commissioner, centre=centre, measure=shanghai_measure(1), title="t", description="d"
    )
    case = case_dispatch(
        case=case, actor=city, lead_bureau=bureau("sh-science-technology"), co_bureaus=[bureau("sh-finance")]
    )

    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def attempt(name, move):
        try:
            start.wait()
            move()
            outcomes[name] = "ok"
        except Conflict:
            outcomes[name] = "conflict"
        except Exception as error:
            outcomes[name] = repr(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=attempt, args=("accept", lambda: case_accept(case=case, actor=lead_staff[0]))
        ),
        threading.Thread(
            target=attempt,
            args=("return", lambda: case_return(case=case, actor=lead_staff[1], reason="Not ours.")),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == ["conflict", "ok"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "ok")
    stored = Case.objects.get(pk=case.pk)
    assert stored.state == (CaseState.IN_PROGRESS if winner == "accept" else CaseState.SUBMITTED)
    moves_after_dispatch = CaseEvent.objects.filter(case=case, action__in=["accept", "return"])
    assert moves_after_dispatch.count() == 1
