"""The managers' figures on routine contact and development assessments (docs/dashboards.md).

Read-only selectors returning the API's plain dicts. Each costs a fixed number of
queries, whatever the number of centres: the work is done by aggregates grouped in
the database, and Python only walks the groups (districts, commissioners, bureaus)."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound

from assessments.eligibility import RULES
from assessments.models import (
    INDICATOR_FIELDS,
    Assessment,
    AssessmentCycle,
    AssessmentFigure,
    AssessmentState,
    EligibilityFigure,
    Finding,
    FindingFigure,
)
from centres.models import Centre, CentreStatus, GuidanceClass
from centres.scheduling import contact_due_by, contact_intervals, with_last_contact
from commissioners.models import Bureau, District, User
from core.time import local_today
from dashboards.access import DashboardScope
from dashboards.rates import Rate
from policies.models import Measure, Programme

UNKNOWN_CYCLE = _("There is no opened assessment cycle with this id.")
UNKNOWN_DISTRICT = _("There is no such district.")

# The classes a review can give, in the order the dashboard shows them; anything else is unclassified.
SCORED_CLASSES = (GuidanceClass.LEADING, GuidanceClass.GROWING, GuidanceClass.NEEDS_ATTENTION)


# --- Shared ------------------------------------------------------------------------------


def _scope_districts(scope: DashboardScope) -> list[District]:
    """The districts the figures are broken down by: the city's sixteen, or the one in scope."""
    if scope.district_id is None:
        return list(District.objects.order_by("order", "code"))
    districts = list(District.objects.filter(pk=scope.district_id))
    if not districts:
        raise NotFound(UNKNOWN_DISTRICT)
    return districts


def _scope_dict(scope: DashboardScope, districts: list[District]) -> dict:
    if scope.district_id is None:
        return {"district": None}
    district = districts[0]
    return {"district": {"code": district.code, "label": district.name}}


def _in_scope(scope: DashboardScope, field: str = "district_id") -> Q:
    return Q() if scope.district_id is None else Q(**{field: scope.district_id})


# --- Routine contact -------------------------------------------------------------------------


def contact_coverage(*, scope: DashboardScope, today: datetime.date | None = None) -> dict:
    """Routine contact (常态化沟通联系) as of `today`: the share of active centres contacted
    within their guidance class's interval, by district and by district commissioner.

    Covered means not overdue by the very rule the daily contact sweep schedules by: the
    interval of the centre's current guidance class (`ContactInterval`, as administrators
    set it) counted from its last contact, or from its registration if it was never
    contacted, so a centre registered last week is covered, not overdue. A centre is still
    covered on the day its contact falls due and overdue from the day after.

    `overdue_contacts` counts the active centres overdue by that rule (coverage's
    denominator less its numerator), not the open routine-contact follow-ups past their
    due date. The follow-ups are the commissioners' to-do list and lag the rule a manager
    asks about: they exist only once the sweep has run, their due date is fixed when
    opened (a review that moves a centre to a shorter interval, or an administrator
    changing an interval, does not move it), and a centre closed meanwhile keeps its
    follow-up open. The figures here change the moment a contact is recorded.

    `by_district` has every district in scope, "no data" where it has no active centre;
    `by_commissioner` every commissioner with active centres in scope. Centres without a
    commissioner of their own count in their district and in the city, on nobody's row.
    Four queries."""
    today = today or local_today()
    districts = _scope_districts(scope)
    # Overdue: due by yesterday, the very rule the contact sweep opens follow-ups by.
    overdue_condition = contact_due_by(today - datetime.timedelta(days=1), intervals=contact_intervals())
    # One pass over the centres, grouped by district and commissioner: the two breakdowns
    # and the city's figure are sums of these few rows.
    groups = (
        with_last_contact(Centre.objects.filter(_in_scope(scope), status=CentreStatus.ACTIVE))
        .values("district_id", "commissioner_id")
        .annotate(centres=Count("pk"), overdue=Count("pk", filter=overdue_condition))
        .order_by()
    )
    # [active centres, overdue ones] per district, per commissioner and for the whole scope.
    per_district: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    per_commissioner: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    in_scope = [0, 0]
    for group in groups:
        for counts in (
            per_district[group["district_id"]],
            per_commissioner[group["commissioner_id"]],
            in_scope,
        ):
            counts[0] += group["centres"]
            counts[1] += group["overdue"]
    per_commissioner.pop(None, None)

    def coverage(centres: int, overdue: int) -> dict:
        return Rate(numerator=centres - overdue, denominator=centres).as_dict()

    commissioners = (
        User.objects.filter(pk__in=list(per_commissioner))
        .select_related("district")
        .only("first_name", "last_name", "username", "district__code", "district__order")
    )
    by_commissioner = [
        {
            "id": user.pk,
            "label": _person(user),
            "district": user.district.code if user.district else None,
            "coverage": coverage(*per_commissioner[user.pk]),
            "overdue": per_commissioner[user.pk][1],
        }
        for user in sorted(
            commissioners,
            key=lambda user: (user.district.order if user.district else 0, _person(user), user.pk),
        )
    ]
    return {
        "as_of": today.isoformat(),
        "scope": _scope_dict(scope, districts),
        "coverage": coverage(*in_scope),
        "overdue_contacts": in_scope[1],
        "by_district": [
            {
                "code": district.code,
                "label": district.name,
                "coverage": coverage(*per_district[district.pk]),
                "overdue": per_district[district.pk][1],
            }
            for district in districts
        ],
        "by_commissioner": by_commissioner,
    }


def _person(user: User) -> str:
    """A person as the API shows them everywhere (`UserNameField`)."""
    return user.get_full_name() or user.username


# --- Development assessments -----------------------------------------------------------------


def _numeric_indicators() -> list[str]:
    """The entered indicators that add up (all of them today; a text one would be left out)."""
    numeric = (models.IntegerField, models.DecimalField, models.FloatField)
    return [name for name in INDICATOR_FIELDS if isinstance(Assessment._meta.get_field(name), numeric)]


def _cycle_dict(cycle: AssessmentCycle | None) -> dict | None:
    if cycle is None:
        return None
    return {
        "id": cycle.pk,
        "name": cycle.name,
        "period_start": cycle.period_start.isoformat(),
        "period_end": cycle.period_end.isoformat(),
    }


def _measure_label(number: int, measures: dict[int, Measure]) -> str:
    """The measure as the case figures name it (its own translated label), or its number if an
    administrator removed it from the catalogue."""
    measure = measures.get(number)
    return str(measure) if measure is not None else str(number)


def assessment_results(*, scope: DashboardScope, cycle_id: int | None = None) -> dict:
    """Development assessment (发展情况评估) results of one cycle, by default the newest opened
    one (by period), against the previous cycle: the newest opened one whose period ends
    before this one's starts. Raises NotFound for an id that is not an opened cycle.

    Reviewed figures only. An assessment counts in a guidance class and in the indicator
    totals once a city commissioner has reviewed it: until then its figures may still be
    returned for correction, and its class is the scoring's proposal, not yet the centre's
    (a review is what sets the centre's class). Not yet reviewed assessments count as
    "unclassified" in `classes_by_district`, whose total is every assessment of the cycle.
    The previous cycle's totals are taken over the same scope and the same way.

    Findings exist only for reviewed assessments (the review routes them), so
    `findings_by_bureau` and `eligible_centres` are reviewed figures too. A finding counts
    once, by its status now: `acknowledged` are those acknowledged and not yet acted on;
    total less both is what the bureau has not touched. `eligible_centres` counts, per rule
    of `assessments.eligibility`, the centres whose reviewed assessment produced a finding of
    that rule, i.e. what the bureaus were actually told (a rule that found no bureau to
    tell routes nothing and counts nobody).

    Districts are the assessment's (copied from the centre when the cycle opened).
    `rd_spending_cny` totals are Decimals, the other indicators ints. Read from the summary tables
    the database keeps (`centres.models.figures`), a few hundred rows a cycle whatever the number
    of centres. Eight queries."""
    cycles = list(
        AssessmentCycle.objects.filter(opened_at__isnull=False).order_by(
            "-period_end", "-period_start", "-pk"
        )
    )
    if cycle_id is None:
        cycle = cycles[0] if cycles else None
    else:
        cycle = next((c for c in cycles if c.pk == cycle_id), None)
        if cycle is None:
            raise NotFound(UNKNOWN_CYCLE)
    previous = None
    if cycle is not None:
        previous = next((c for c in cycles if c.period_end < cycle.period_start), None)
    districts = _scope_districts(scope)
    return {
        "cycle": _cycle_dict(cycle),
        "previous_cycle": _cycle_dict(previous),
        "cycles": [{"id": c.pk, "name": c.name} for c in cycles],
        "scope": _scope_dict(scope, districts),
        "classes_by_district": _classes_by_district(scope=scope, cycle=cycle, districts=districts),
        "indicator_totals": _indicator_totals(scope=scope, cycle=cycle, previous=previous),
        "findings_by_bureau": _findings_by_bureau(scope=scope, cycle=cycle),
        "eligible_centres": _eligible_centres(scope=scope, cycle=cycle),
    }


def _classes_by_district(
    *, scope: DashboardScope, cycle: AssessmentCycle | None, districts: list[District]
) -> list[dict]:
    counted: dict[int, dict] = {}
    if cycle is not None:
        reviewed = Q(state=AssessmentState.REVIEWED)
        counted = {
            row.pop("district_id"): row
            for row in AssessmentFigure.objects.filter(_in_scope(scope), cycle_id=cycle.pk)
            .values("district_id")
            .annotate(
                total=Sum("assessments"),
                **{
                    c.value: Coalesce(Sum("assessments", filter=reviewed & Q(guidance_class=c)), 0)
                    for c in SCORED_CLASSES
                },
            )
            .order_by()
        }
    rows = []
    for district in districts:
        counts = counted.get(district.pk, {"total": 0, **{c.value: 0 for c in SCORED_CLASSES}})
        classified = {c.value: counts[c.value] for c in SCORED_CLASSES}
        rows.append(
            {
                "code": district.code,
                "label": district.name,
                **classified,
                GuidanceClass.UNCLASSIFIED.value: counts["total"] - sum(classified.values()),
                "total": counts["total"],
            }
        )
    return rows


def _indicator_totals(
    *, scope: DashboardScope, cycle: AssessmentCycle | None, previous: AssessmentCycle | None
) -> list[dict]:
    indicators = _numeric_indicators()
    sums: dict[int, dict] = {}
    cycle_ids = [c.pk for c in (cycle, previous) if c is not None]
    if cycle_ids:
        sums = {
            row.pop("cycle_id"): row
            for row in AssessmentFigure.objects.filter(
                _in_scope(scope), cycle_id__in=cycle_ids, state=AssessmentState.REVIEWED
            )
            .values("cycle_id")
            .annotate(**{name: Sum(name) for name in indicators})
            .order_by()
        }

    def total_of(of: AssessmentCycle | None, name: str) -> int | Decimal | None:
        if of is None:
            return None
        value = sums.get(of.pk, {}).get(name)
        if value is not None:
            return value
        # Nothing reviewed in scope: a total of nothing, in the field's own kind of number.
        return Decimal(0) if isinstance(Assessment._meta.get_field(name), models.DecimalField) else 0

    rows = []
    for name in indicators:
        total, before = total_of(cycle, name), total_of(previous, name)
        rows.append(
            {
                "indicator": name,
                "label": str(Assessment._meta.get_field(name).verbose_name),
                "total": total,
                "previous": before,
                "change": None if total is None or before is None else total - before,
            }
        )
    return rows


def _findings_by_bureau(*, scope: DashboardScope, cycle: AssessmentCycle | None) -> list[dict]:
    if cycle is None:
        return []
    counts = {
        row.pop("bureau_id"): row
        for row in FindingFigure.objects.filter(_in_scope(scope), cycle_id=cycle.pk)
        .values("bureau_id")
        .annotate(
            total=Sum("findings"),
            acknowledged=Coalesce(Sum("findings", filter=Q(status=Finding.Status.ACKNOWLEDGED)), 0),
            acted_on=Coalesce(Sum("findings", filter=Q(status=Finding.Status.ACTED_ON)), 0),
        )
        .filter(total__gt=0)
        .order_by()
    }
    bureaus = Bureau.objects.filter(pk__in=list(counts)).order_by("level", "code")
    return [{"code": bureau.code, "label": bureau.name, **counts[bureau.pk]} for bureau in bureaus]


def _eligible_centres(*, scope: DashboardScope, cycle: AssessmentCycle | None) -> list[dict]:
    counts: dict[str, int] = {}
    if cycle is not None:
        counts = dict(
            EligibilityFigure.objects.filter(_in_scope(scope), cycle_id=cycle.pk)
            .values("rule")
            .annotate(centres=Sum("centres"))
            .order_by()
            .values_list("rule", "centres")
        )
    measures = {
        measure.number: measure
        for measure in Measure.objects.filter(
            programme=Programme.SHANGHAI_2024, number__in={rule.measure_number for rule in RULES}
        )
    }
    return [
        {
            "rule": rule.code,
            "label": str(rule.title),
            "measure": _measure_label(rule.measure_number, measures),
            "count": counts.get(rule.code, 0),
        }
        for rule in RULES
    ]
