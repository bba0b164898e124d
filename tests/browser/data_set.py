"""A small, hand-built set of cases, moved through the real workflow services, with its known figures."""

import datetime
from dataclasses import dataclass, field

import time_machine
from django.utils import timezone

from cases import services
from cases.models import Assignment, Case
from centres.models import Centre
from commissioners.models import Bureau, Role, User
from core.time import local_today
from policies.models import Measure, Programme
from tests.factories import CentreFactory, UserFactory, district

# The overdue case is logged this many days ago: its answer deadline (working days) has long passed.
OVERDUE_CASE_AGE_DAYS = 45


def shanghai_measure(number: int) -> Measure:
    return Measure.objects.get(programme=Programme.SHANGHAI_2024, number=number)


@dataclass
class DataSet:
    manager: User
    xuhui_manager: User
    xuhui_commissioner: User
    bureau_staff: User
    cases: dict[str, Case] = field(default_factory=dict)
    period_from: str = ""
    period_to: str = ""

    @property
    def query(self) -> str:
        return f"from={self.period_from}&to={self.period_to}"

    def ids(self, *names: str) -> set[int]:
        return {self.cases[name].pk for name in names}

    # What the figures must say for the period, counted by hand from the moves below.
    expected_by_state = {"submitted": 2, "dispatched": 1, "in_progress": 2, "closed": 1, "withdrawn": 1}
    expected_by_district = {"xuhui": 4, "pudong": 3}
    expected_logged = 7


class _Workflow:
    """The people who move the cases, and one call per move."""

    def __init__(self, city: User):
        self.city = city
        self._staff: dict[int, User] = {}

    def staff_of(self, bureau: Bureau) -> User:
        if bureau.pk not in self._staff:
            self._staff[bureau.pk] = UserFactory(
                username=f"staff-{bureau.code}", role=Role.BUREAU_STAFF, bureau=bureau
            )
        return self._staff[bureau.pk]

    def log(self, centre: Centre, measure: int, title: str) -> Case:
        return services.case_submit(
            actor=centre.commissioner,
            centre=centre,
            measure=shanghai_measure(measure),
            title=title,
            description=f"{title}: the centre asked for help.",
        )

    def dispatch(self, case: Case) -> Case:
        routing = services.case_routing_proposal(case=case)
        lead = next(r.bureau for r in routing if r.is_lead)
        co = [r.bureau for r in routing if not r.is_lead]
        return services.case_dispatch(case=case, actor=self.city, lead_bureau=lead, co_bureaus=co)

    def accept(self, case: Case) -> Case:
        return services.case_accept(case=case, actor=self.staff_of(case.lead_bureau))

    def answer(self, case: Case) -> Case:
        # The lead answers as one may once the co-handlers' contribution deadline has passed; the
        # figures counted by hand below are about the lead's answers, not the contributions.
        Assignment.objects.filter(case=case, is_lead=False).update(
            contribute_due_on=local_today() - datetime.timedelta(days=1)
        )
        return services.case_answer(
            case=case, actor=self.staff_of(case.lead_bureau), answer_text="Done.", answer_outcome="solved"
        )

    def call_back(self, case: Case, *, resolved: bool, satisfaction: str) -> Case:
        return services.case_record_callback(
            case=case, actor=case.created_by, resolved=resolved, satisfaction=satisfaction
        )


def build_data_set() -> DataSet:
    xuhui, pudong = district("xuhui"), district("pudong")
    xuhui_commissioner = UserFactory(username="xuhui-dc", role=Role.DISTRICT_COMMISSIONER, district=xuhui)
    pudong_commissioner = UserFactory(username="pudong-dc", role=Role.DISTRICT_COMMISSIONER, district=pudong)
    flow = _Workflow(city=UserFactory(username="city", role=Role.CITY_COMMISSIONER))
    data = DataSet(
        manager=UserFactory(username="manager", role=Role.MANAGER),
        xuhui_manager=UserFactory(username="xuhui-manager", role=Role.MANAGER, district=xuhui),
        xuhui_commissioner=xuhui_commissioner,
        bureau_staff=flow.staff_of(Bureau.objects.get(code="sh-commerce")),
    )
    xuhui_centre = CentreFactory(district=xuhui, commissioner=xuhui_commissioner)
    pudong_centre = CentreFactory(district=pudong, commissioner=pudong_commissioner)

    # Logged weeks ago, accepted, never answered: overdue now.
    logged_at = timezone.now() - datetime.timedelta(days=OVERDUE_CASE_AGE_DAYS)
    with time_machine.travel(logged_at, tick=True):
        overdue = flow.log(xuhui_centre, 1, "Reagents held at customs")
        overdue = flow.accept(flow.dispatch(overdue))
    data.cases["xuhui_overdue"] = overdue

    data.cases["xuhui_submitted"] = flow.log(xuhui_centre, 1, "Grant application stuck")
    closed = flow.log(xuhui_centre, 1, "R&D expense deduction")
    closed = flow.answer(flow.accept(flow.dispatch(closed)))
    data.cases["xuhui_closed"] = flow.call_back(closed, resolved=True, satisfaction="satisfied")
    returned = flow.dispatch(flow.log(xuhui_centre, 3, "Sample import licence"))
    data.cases["xuhui_returned"] = services.case_return(
        case=returned, actor=flow.staff_of(returned.lead_bureau), reason="Not customs: a licence question."
    )

    reopened = flow.log(pudong_centre, 1, "Funding came late")
    reopened = flow.answer(flow.accept(flow.dispatch(reopened)))
    data.cases["pudong_reopened"] = flow.call_back(reopened, resolved=False, satisfaction="unsatisfied")
    data.cases["pudong_dispatched"] = flow.dispatch(flow.log(pudong_centre, 3, "Clearance of test devices"))
    withdrawn = flow.log(pudong_centre, 1, "Office move")
    data.cases["pudong_withdrawn"] = services.case_withdraw(
        case=withdrawn, actor=pudong_commissioner, reason="Solved by the centre itself."
    )

    for name, case in data.cases.items():
        data.cases[name] = Case.objects.get(pk=case.pk)
    data.period_from = timezone.localdate(logged_at).strftime("%Y-%m")
    data.period_to = local_today().strftime("%Y-%m")
    return data
