"""Which bureaus a case goes to: the measure's routing table applied to the centre's district."""

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


def measure_routing(*, measure: Measure, district_id: int) -> list[RoutedBureau]:
    """The measure's responsible units in order, "各区政府" made the government of the centre's district.

    The lead comes first. A bureau named twice (e.g. Pudong's government both by name
    and as the centre's district government) is routed once, keeping its first place.
    """
    units = list(measure.responsible_units.select_related("bureau").order_by("-is_lead", "order", "id"))
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
    return routed
