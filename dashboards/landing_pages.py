"""The dashboard's policy landing section (measure 9) and the centres behind each of its figures.

Rendered on the server and loaded into the dashboard by htmx; asked for without htmx, the section
is a page of its own. Every figure links to the list of the centres it counts, read by
`landing.selectors.landing_centres_behind` under the same conditions, so the two agree."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views import View
from rest_framework.exceptions import ValidationError

from commissioners.models import District
from core.errors import error_messages
from landing.selectors import COVERAGE_STEPS, FIGURE_STEPS, FUNNEL_STEPS, landing_centres_behind
from policies.models import Measure

from .filters import read_param
from .rates import Rate
from .sections import LandingRequest, landing_section
from .views import DashboardPageMixin, _api

CENTRES_PAGE_SIZE = 100
# The page's query parameters the section and its drill-down pass on.
PASSED_ON = ("from", "to", "district", "measure")
STEP_LABELS = {
    "active_centres": _("active centres"),
    "briefed": _("briefed"),
    "eligible": _("found eligible"),
    "eligible_briefed": _("found eligible and briefed"),
    "applied": _("applied"),
    "granted": _("granted"),
}
NAME_THE_MEASURE = _("Name the measure (its id) and the figure: one of %(steps)s.")


def _passed_on(params) -> dict:
    return {name: params[name] for name in PASSED_ON if params.get(name)}


def _drill(base: dict, *, measure: int, step: str, district: str | None = None) -> str:
    query = base | {"measure": measure, "step": step}
    if district:
        query["district"] = district
    return f"{reverse('dashboard:landing-centres')}?{urlencode(query)}"


def _coverage_matrix(section: dict, base: dict) -> tuple[list[dict], list[dict]]:
    """Coverage as one row per measure (those any centre was briefed on or found eligible for),
    one cell per district, and the row's sum over the districts."""
    districts, rows = [], {}
    for row in section["coverage"]:
        if row["district"] not in [d["code"] for d in districts]:
            districts.append({"code": row["district"], "label": row["district_label"]})
        line = rows.setdefault(
            row["measure"],
            {
                "measure": row["measure"],
                "number": row["number"],
                "programme": row["programme"],
                "label": row["label"],
                "cells": [],
                "sums": dict.fromkeys(COVERAGE_STEPS, 0),
            },
        )
        links = {
            step: _drill(base, measure=row["measure"], step=step, district=row["district"])
            for step in COVERAGE_STEPS
        }
        line["cells"].append(row | {"links": links})
        for step in COVERAGE_STEPS:
            line["sums"][step] += row[step]
    shown = []
    for line in rows.values():
        sums = line["sums"]
        if not (sums["briefed"] or sums["eligible"]):
            continue
        line["total"] = sums | {
            "briefed_share": Rate(sums["briefed"], sums["active_centres"]).as_dict(),
            "eligible_briefed_share": Rate(sums["eligible_briefed"], sums["eligible"]).as_dict(),
            "links": {step: _drill(base, measure=line["measure"], step=step) for step in COVERAGE_STEPS},
        }
        shown.append(line)
    return districts, shown


class LandingSectionView(DashboardPageMixin, View):
    """The policy landing section for the dashboard's period, district and measure."""

    def get(self, request):
        base = _passed_on(request.GET)
        query = urlencode(base)
        context = {
            "query": query,
            "export_csv": {
                table: f"{_api(f'dashboard/export/{table}.csv')}?{query}"
                for table in ("landing_coverage", "landing_funnel", "policy_issues")
            },
        }
        status = 200
        try:
            section = landing_section(request.GET, user=request.user)
        except ValidationError as error:
            context["errors"], status = error_messages(error.detail), 400
        else:
            districts, coverage = _coverage_matrix(section, base)
            context |= {
                "section": section,
                "districts": districts,
                "coverage": coverage,
                "funnel": [
                    row
                    | {
                        "links": {
                            step: _drill(base, measure=row["measure"], step=step) for step in FUNNEL_STEPS
                        }
                    }
                    for row in section["funnel"]
                    if any(row[step] for step in FUNNEL_STEPS)
                ],
                "policy_issues": section["policy_issues"],
                # The year-end report of the year the period ends in.
                "landing_report": f"{_api('dashboard/landing-report.xlsx')}?"
                + urlencode({"year": section["period"]["end"][:4]}),
            }
        htmx = request.htmx and not request.htmx.history_restore_request
        template = "dashboard/_landing.html" if htmx else "dashboard/landing.html"
        response = render(request, template, context, status=status)
        patch_vary_headers(response, ["HX-Request"])
        return response


class LandingCentresView(DashboardPageMixin, View):
    """The centres behind one figure of the landing section: `measure`, `step`, and the section's
    `from`, `to` and `district`."""

    def get(self, request):
        params = request.GET
        context, status = (
            {"back": f"{reverse('dashboard:home')}?{urlencode(_passed_on(params))}#landing"},
            200,
        )
        try:
            landing = LandingRequest.from_params(params, user=request.user)
            step = read_param(params, "step")
            if landing.measure_id is None or step not in FIGURE_STEPS:
                raise ValidationError(
                    {"step": [NAME_THE_MEASURE % {"steps": ", ".join(sorted(FIGURE_STEPS))}]}
                )
        except ValidationError as error:
            context["errors"], status = error_messages(error.detail), 400
        else:
            measure = Measure.objects.get(pk=landing.measure_id)
            centres = (
                landing_centres_behind(
                    user=request.user, measure=measure, step=step, **landing.selector_args()
                )
                .select_related("district")
                .order_by("district__order", "name_zh", "pk")
            )
            page = Paginator(centres, CENTRES_PAGE_SIZE).get_page(params.get("page"))
            query = params.copy()
            query.pop("page", None)
            context |= {
                "measure": measure,
                "step": STEP_LABELS[step],
                "district": District.objects.filter(pk=landing.district_id).first()
                if landing.district_id
                else None,
                "period": landing.period.as_dict(),
                "page": page,
                "query": query.urlencode(),
            }
        return render(request, "dashboard/landing_centres.html", context, status=status)
