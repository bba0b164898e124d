"""Routing reads the policy text precisely: a unit a measure names for a special area is proposed
only for a centre in that area, from the centre's own flags; administrators set it per unit."""

import pytest

from policies.models import Measure, ResponsibleUnit, SpecialArea
from policies.routing import measure_routing
from tests.factories import CentreFactory, district

pytestmark = pytest.mark.django_db


def measure_4() -> Measure:
    return Measure.objects.get(programme=Measure.Programme.SHANGHAI_2024, number=4)


@pytest.mark.parametrize(
    ("where", "flags", "routed"),
    [
        ("xuhui", {}, ["sh-cyberspace"]),
        ("pudong", {}, ["sh-cyberspace"]),
        ("pudong", {"in_free_trade_zone": True}, ["sh-cyberspace", "pudong-government"]),
        ("pudong", {"in_lingang": True}, ["sh-cyberspace", "lingang-administration"]),
        (
            "pudong",
            {"in_free_trade_zone": True, "in_lingang": True},
            ["sh-cyberspace", "pudong-government", "lingang-administration"],
        ),
    ],
)
def test_measure_4_proposes_the_area_administrations_only_for_centres_in_their_areas(where, flags, routed):
    centre = CentreFactory(district=district(where), **flags)
    routing = measure_routing(measure=measure_4(), district_id=centre.district_id, areas=centre.special_areas)
    assert [r.bureau.code for r in routing] == routed
    assert [r.is_lead for r in routing] == [True] + [False] * (len(routed) - 1)


def test_the_routing_api_and_a_dispatch_proposal_read_the_same_flags(client_for, city_commissioner):
    lingang = CentreFactory(district=district("pudong"), in_lingang=True)
    xuhui = CentreFactory(district=district("xuhui"))
    client = client_for(city_commissioner)
    for centre, expected in (
        (lingang, ["sh-cyberspace", "lingang-administration"]),
        (xuhui, ["sh-cyberspace"]),
    ):
        answer = client.get(f"/api/measures/{measure_4().pk}/routing/", {"centre": centre.pk})
        assert answer.status_code == 200, answer.content
        assert [unit["bureau"]["code"] for unit in answer.json()] == expected


def test_an_administrator_sets_a_units_area_and_an_area_only_lead_gives_way(xuhui_centre):
    measure = Measure.objects.get(programme=Measure.Programme.SHANGHAI_2024, number=6)
    lead = measure.responsible_units.get(is_lead=True)
    lead.only_for_area = SpecialArea.ZHANGJIANG
    lead.save()

    outside = measure_routing(measure=measure, district_id=xuhui_centre.district_id, areas=frozenset())
    assert lead.bureau_id not in [r.bureau.pk for r in outside]
    assert outside[0].is_lead and sum(r.is_lead for r in outside) == 1

    inside = measure_routing(
        measure=measure, district_id=xuhui_centre.district_id, areas=frozenset({SpecialArea.ZHANGJIANG})
    )
    assert inside[0].bureau.pk == lead.bureau_id and inside[0].is_lead
    assert ResponsibleUnit.objects.get(pk=lead.pk).changes.filter(pgh_label="update").exists()
