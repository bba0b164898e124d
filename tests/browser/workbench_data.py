"""The people and cases of the workbench's browser tests, built through the real workflow services.

Each test logs its own cases (a few service calls, no clicking through the setup), so that what
the browser then does is the one thing the test is about.
"""

from dataclasses import dataclass, field

from cases import services
from cases.models import Case
from centres.models import Centre
from commissioners.models import Bureau, Role, User
from tests.factories import CentreFactory, UserFactory, district, shanghai_measure

# Measure 1's routing: 市科委 leads, 市财政局 co-handles.
SCIENCE, FINANCE = "sh-science-technology", "sh-finance"
# Measure 3's routing: 上海海关 leads, with four co-handlers.
CUSTOMS = "sh-customs"
# A bureau neither measure above routes to.
OUTSIDER = "sh-talent"

STAFF = {
    "science": SCIENCE,
    "science-2": SCIENCE,
    "finance": FINANCE,
    "customs": CUSTOMS,
    "outsider": OUTSIDER,
}


@dataclass
class Workbench:
    city: User
    district_commissioner: User
    centre: Centre
    staff: dict[str, User] = field(default_factory=dict)

    def log(self, title: str, *, measure: int = 1) -> Case:
        """A case the district commissioner logs: it waits for the city's dispatch."""
        return services.case_submit(
            actor=self.district_commissioner,
            centre=self.centre,
            measure=shanghai_measure(measure),
            title=title,
            description=f"{title}: the centre asked for help.",
        )

    def dispatch(self, case: Case, *, lead: str | None = None, co: list[str] | None = None) -> Case:
        """Dispatched as the routing table proposes, or to the given bureaus (with a reason)."""
        proposal = services.case_routing_proposal(case=case)
        lead_bureau = Bureau.objects.get(code=lead) if lead else next(r.bureau for r in proposal if r.is_lead)
        co_bureaus = (
            [r.bureau for r in proposal if not r.is_lead]
            if co is None
            else list(Bureau.objects.filter(code__in=co))
        )
        overridden = lead is not None or co is not None
        return services.case_dispatch(
            case=case,
            actor=self.city,
            lead_bureau=lead_bureau,
            co_bureaus=co_bureaus,
            override_reason="The customs question alone." if overridden else "",
        )

    def accept(self, case: Case, staff: str) -> Case:
        return services.case_accept(case=case, actor=self.staff[staff])

    def customs_case(self, title: str) -> Case:
        """A Measure 3 case dispatched to 上海海关 alone (the city took the co-handlers off)."""
        return self.dispatch(self.log(title, measure=3), lead=CUSTOMS, co=[])


def build_workbench() -> Workbench:
    xuhui = district("xuhui")
    commissioner = UserFactory(username="xuhui-dc", role=Role.DISTRICT_COMMISSIONER, district=xuhui)
    workbench = Workbench(
        city=UserFactory(username="city", role=Role.CITY_COMMISSIONER),
        district_commissioner=commissioner,
        centre=CentreFactory(district=xuhui, commissioner=commissioner),
    )
    for username, code in STAFF.items():
        workbench.staff[username] = UserFactory(
            username=username, role=Role.BUREAU_STAFF, bureau=Bureau.objects.get(code=code)
        )
    return workbench
