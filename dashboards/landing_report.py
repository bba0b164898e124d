"""The year-end report on how the nine measures of the Shanghai plan landed (measure 9): what the
commerce commission reports to the city government, one row per measure, over the centres and cases
the reader sees (a district's leadership: its own district).

Each column is read where the dashboards read it: the briefings, benefits and findings from
`landing`, the cases' three rates from the case figures' summaries, the policy issues from the
issues themselves. A few grouped queries whatever the year's volume."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import PolicyIssue
from cases.selectors import policy_issue_list_visible_to
from core.spreadsheets import Table
from landing.models import BenefitStatus
from landing.selectors import benefit_list_visible_to, briefing_list_visible_to, landing_funnel
from policies.models import Measure, Programme

from .access import dashboard_scope_for
from .case_figures import unit_sums
from .filters import FigureFilters
from .models import UnitKind
from .periods import Period
from .sections import _require_postgresql

FIRST_YEAR = 2024  # the plan took effect on 2024-03-15
RATES = ("response", "resolution", "satisfaction")


def report_year(value, *, today: datetime.date) -> int:
    """The year asked for (default: this one); None when it is not a year the plan ran in."""
    if value in (None, ""):
        return today.year
    try:
        year = int(str(value))
    except ValueError:
        return None
    return year if FIRST_YEAR <= year <= today.year else None


def landing_report(*, user, year: int) -> dict:
    """Per measure of the Shanghai plan, for the calendar year: briefings held and centres briefed,
    centres found eligible, applied and granted, benefits granted (their number, amount and
    quantity), cases logged and closed with the three rates, and policy issues raised, answered
    and still open."""
    _require_postgresql()
    district_id = dashboard_scope_for(user=user).district_id
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    measures = list(Measure.objects.filter(programme=Programme.SHANGHAI_2024).order_by("number"))

    funnel = {
        row["measure"]: row
        for row in landing_funnel(user=user, since=start, until=end, district_id=district_id)
    }
    briefings = briefing_list_visible_to(user=user).filter(held_on__range=(start, end))
    if district_id is not None:
        briefings = briefings.filter(centres__district_id=district_id)
    held = dict(
        briefings.values("measures")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
        .values_list("measures", "n")
    )
    granted = benefit_list_visible_to(user=user).filter(
        status=BenefitStatus.GRANTED, decided_on__range=(start, end)
    )
    if district_id is not None:
        granted = granted.filter(centre__district_id=district_id)
    benefits = {
        row["measure"]: row
        for row in granted.values("measure")
        .annotate(n=Count("pk"), amount=Sum("amount"), quantity=Sum("quantity"))
        .order_by()
    }
    period = Period(first_month=start, last_month=datetime.date(year, 12, 1))
    cases = unit_sums(
        kinds=[UnitKind.MEASURE], period=period, filters=FigureFilters(district_id=district_id)
    )[UnitKind.MEASURE]
    issues = policy_issue_list_visible_to(user=user)
    if district_id is not None:
        issues = issues.filter(cases__district_id=district_id).distinct()
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    issue_counts = {
        row["measure"]: row
        for row in PolicyIssue.objects.filter(pk__in=issues.values("pk"))
        .values("measure")
        .annotate(
            raised=Count("pk", filter=Q(created_at__gte=since, created_at__lt=until)),
            answered=Count("pk", filter=Q(answered_at__gte=since, answered_at__lt=until)),
            # Raised by the year's end and not yet answered or withdrawn then (either sets closed_at).
            still_open=Count(
                "pk", filter=Q(created_at__lt=until) & (Q(closed_at__isnull=True) | Q(closed_at__gte=until))
            ),
        )
        .order_by()
    }

    rows = []
    for measure in measures:
        steps = funnel.get(measure.pk, {})
        sums = cases.get(measure.pk)
        rates = sums.rates() if sums is not None else {}
        benefit = benefits.get(measure.pk, {})
        issue = issue_counts.get(measure.pk, {})
        rows.append(
            {
                "measure": measure.pk,
                "number": measure.number,
                "title": measure.title,
                "briefings": held.get(measure.pk, 0),
                "centres_eligible": steps.get("eligible", 0),
                "centres_briefed": steps.get("briefed", 0),
                "centres_applied": steps.get("applied", 0),
                "centres_granted": steps.get("granted", 0),
                "benefits_granted": benefit.get("n", 0),
                "amount_granted": benefit.get("amount") or Decimal("0"),
                "quantity_granted": benefit.get("quantity") or 0,
                "cases_logged": sums["logged"] if sums is not None else 0,
                "cases_closed": sums["closed"] if sums is not None else 0,
                **{name: rates.get(name, {"rate": None, "numerator": 0, "denominator": 0}) for name in RATES},
                "policy_issues_raised": issue.get("raised", 0),
                "policy_issues_answered": issue.get("answered", 0),
                "policy_issues_open": issue.get("still_open", 0),
            }
        )
    return {"year": year, "district": district_id, "measures": rows}


def landing_report_table(report: dict) -> Table:
    def rate(value: dict) -> str | float:
        return "" if value["rate"] is None else round(value["rate"], 4)

    return Table(
        title=_("Landing of the measures, %(year)s") % {"year": report["year"]},
        header=[
            _("measure"),
            _("title"),
            _("briefings held"),
            _("centres found eligible"),
            _("centres briefed"),
            _("centres that applied"),
            _("centres granted"),
            _("benefits granted"),
            _("amount granted (yuan)"),
            _("quantity granted"),
            _("cases logged"),
            _("cases closed"),
            _("response rate"),
            _("resolution rate"),
            _("satisfaction rate"),
            _("policy issues raised"),
            _("policy issues answered"),
            _("policy issues open at the year's end"),
        ],
        rows=[
            [
                row["number"],
                row["title"],
                row["briefings"],
                row["centres_eligible"],
                row["centres_briefed"],
                row["centres_applied"],
                row["centres_granted"],
                row["benefits_granted"],
                float(row["amount_granted"]),
                row["quantity_granted"],
                row["cases_logged"],
                row["cases_closed"],
                *(rate(row[name]) for name in RATES),
                row["policy_issues_raised"],
                row["policy_issues_answered"],
                row["policy_issues_open"],
            ]
            for row in report["measures"]
        ],
    )
