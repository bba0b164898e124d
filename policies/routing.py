"""Which bureaus a case goes to: the measure's routing table applied to the centre's district."""

from collections.abc import Collection
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from commissioners.models import Bureau

from .models import Measure

NO_DISTRICT_GOVERNMENT = _("No government bureau is registered for the district of this centre.")


class RoutingError(Exception):
    pass


@dataclass(frozen=True)
class RoutedBureau:
    bureau: Bureau
    is_lead: bool


def measure_routing(
    *, measure: Measure, district_id: int, areas: Collection[str] = frozenset()
) -> list[RoutedBureau]:
    """The measure's responsible units in order, "各区政府" made the government of the centre's district.

    `areas` are the special areas the centre is in (`Centre.special_areas`): a unit the routing
    table names for an area is proposed only for a centre in it (a Xuhui centre outside both gets
    measure 4's cyberspace office alone; a Lingang centre the Lingang administration too). The lead
    comes first; if the lead is such a unit and the centre is outside its area, the first unit left
    leads. A bureau named twice (e.g. Pudong's government both by name and as the centre's
    district government) is routed once, keeping its first place.
    """
    units = [
        unit
        for unit in measure.responsible_units.select_related("bureau").order_by("-is_lead", "order", "id")
        if not unit.only_for_area or unit.only_for_area in areas
    ]
    district_government: Bureau | None = None
    if any(unit.is_centre_district_government for unit in units):
        district_government = Bureau.objects.filter(
            level=Bureau.Level.DISTRICT_GOVERNMENT, district_id=district_id
        ).first()
        if district_government is None:
            raise RoutingError(NO_DISTRICT_GOVERNMENT)

    routed: list[RoutedBureau] = []
    seen: set[int] = set()
    for unit in units:
        bureau = district_government if unit.is_centre_district_government else unit.bureau
        if bureau.pk in seen:
            continue
        seen.add(bureau.pk)
        routed.append(RoutedBureau(bureau=bureau, is_lead=unit.is_lead))
    if routed and not any(r.is_lead for r in routed):
        routed[0] = RoutedBureau(bureau=routed[0].bureau, is_lead=True)
    return routed
