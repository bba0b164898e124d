"""A month of cases whose rankings were worked out by hand, written straight to the tables (as a load
would): the figure triggers keep the summaries, and no rule of the case workflow is needed to build it.

May 2026, Shanghai time. 市科委 (sci) and 市财政局 (fin); Xuhui cases under Measure 1, Pudong's under 3.

  A  Xuhui  lead sci; sci dispatched 5 May, accepted 6th (due 7th); call-back 20th resolved, satisfied
  B  Xuhui  lead sci; sci dispatched 5 May, accepted 9th (late); fin co-handles, accepted 6th;
            call-back 25th unresolved, unsatisfied
  C  Pudong lead fin, confidential; fin dispatched 10 May, accepted 11th; call-back 28th resolved,
            basically satisfied
  D  Pudong fin (lead) dispatched 10 May and returned as misrouted; sci's co-handling released
            before it acted (left out); back in triage
  E  Xuhui  logged 28 April, sci dispatched 29 April, accepted 30th; call-back 3 May resolved, satisfied
  F  Xuhui  lead sci; call-back 31 May 23:30 resolved, satisfaction not asked (still May in Shanghai)
  G  Xuhui  lead sci; call-back 1 June 00:10 (31 May in UTC): June's, not May's
"""

import datetime
from dataclasses import dataclass

from cases.models import Assignment, Case
from commissioners.models import User
from tests.factories import CentreFactory, bureau, district, shanghai_measure

MAY = datetime.date(2026, 5, 1)
APRIL = datetime.date(2026, 4, 1)


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{text}+08:00")


@dataclass
class May:
    cases: dict[str, Case]
    sci: int
    fin: int
    xuhui: int
    pudong: int
    measure_1: int
    measure_3: int

    def ids(self, names: str) -> set[int]:
        return {self.cases[name].pk for name in names}


def _case(name, centre, author, *, created, lead=None, state="closed", measure=1, **fields) -> Case:
    return Case.objects.create(
        centre=centre,
        district=centre.district,
        measure=shanghai_measure(measure),
        title=f"Case {name}",
        description="Described.",
        created_by=author,
        created_at=at(created),
        state=state,
        lead_bureau=lead,
        **fields,
    )


def _assignment(case, bureau_row, *, created, due, accepted=None, status="accepted", lead=False):
    return Assignment.objects.create(
        case=case,
        bureau=bureau_row,
        is_lead=lead,
        status=status,
        created_at=at(created),
        accept_due_on=due,
        accepted_at=at(accepted) if accepted else None,
        is_current=status not in (Assignment.Status.RELEASED, Assignment.Status.RETURNED),
    )


def _called_back(when: str, resolved: bool, satisfaction: str = "") -> dict:
    return {"callback_at": at(when), "callback_resolved": resolved, "callback_satisfaction": satisfaction}


def build_may(xuhui_author: User, pudong_author: User) -> May:
    sci, fin = bureau("sh-science-technology"), bureau("sh-finance")
    xuhui = CentreFactory(district=district("xuhui"), commissioner=xuhui_author)
    pudong = CentreFactory(district=district("pudong"), commissioner=pudong_author)
    due_7, due_12, due_1 = datetime.date(2026, 5, 7), datetime.date(2026, 5, 12), datetime.date(2026, 5, 1)
    cases = {}

    cases["A"] = a = _case(
        "A", xuhui, xuhui_author, created="2026-05-04T09:00", lead=sci,
        **_called_back("2026-05-20T10:00", True, "satisfied"),
    )  # fmt: skip
    _assignment(a, sci, created="2026-05-05T10:00", due=due_7, accepted="2026-05-06T10:00", lead=True)

    cases["B"] = b = _case(
        "B", xuhui, xuhui_author, created="2026-05-04T09:30", lead=sci,
        **_called_back("2026-05-25T10:00", False, "unsatisfied"),
    )  # fmt: skip
    _assignment(b, sci, created="2026-05-05T10:00", due=due_7, accepted="2026-05-09T10:00", lead=True)
    _assignment(b, fin, created="2026-05-05T10:00", due=due_7, accepted="2026-05-06T11:00")

    cases["C"] = c = _case(
        "C", pudong, pudong_author, created="2026-05-08T09:00", lead=fin, measure=3, is_confidential=True,
        **_called_back("2026-05-28T10:00", True, "basically_satisfied"),
    )  # fmt: skip
    _assignment(c, fin, created="2026-05-10T10:00", due=due_12, accepted="2026-05-11T10:00", lead=True)

    cases["D"] = d = _case(
        "D", pudong, pudong_author, created="2026-05-08T09:30", state="submitted", measure=3
    )
    _assignment(d, fin, created="2026-05-10T10:00", due=due_12, status="returned", lead=True)
    _assignment(d, sci, created="2026-05-10T10:00", due=due_12, status="released")

    cases["E"] = e = _case(
        "E", xuhui, xuhui_author, created="2026-04-28T09:00", lead=sci,
        **_called_back("2026-05-03T10:00", True, "satisfied"),
    )  # fmt: skip
    _assignment(e, sci, created="2026-04-29T10:00", due=due_1, accepted="2026-04-30T10:00", lead=True)

    cases["F"] = _case(
        "F",
        xuhui,
        xuhui_author,
        created="2026-05-15T09:00",
        lead=sci,
        **_called_back("2026-05-31T23:30", True),
    )
    cases["G"] = _case(
        "G",
        xuhui,
        xuhui_author,
        created="2026-05-20T09:00",
        lead=sci,
        **_called_back("2026-06-01T00:10", True),
    )
    return May(
        cases=cases,
        sci=sci.pk,
        fin=fin.pk,
        xuhui=xuhui.district_id,
        pudong=pudong.district_id,
        measure_1=shanghai_measure(1).pk,
        measure_3=shanghai_measure(3).pk,
    )
