"""The managers' web pages: the dashboard, the list of cases behind a figure, and their login.

The pages are shells: the figures come from the dashboard API (docs/dashboards.md) and the cases from
the case API, fetched by the page's script with the browser's session. The strings the script shows
are rendered into the page here, in the request's language, so there is no separate JS catalogue.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.urls import get_script_prefix, reverse
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from cases.models import CaseState, Satisfaction, Urgency
from commissioners.models import District
from core.time import local_today

from .access import dashboard_scope_for, may_open_dashboards
from .models import UnitKind
from .periods import month_just_ended

# The page's own query parameters, passed on as they are to the API and to the downloads.
PAGE_PARAMS = (
    "from",
    "to",
    "district",
    "bureau",
    "measure",
    "urgency",
    "cycle",
    "ranking_month",
    "ranking_kind",
)

# The tables the API exports one by one (docs/dashboards.md, "Downloads").
EXPORT_TABLES = (
    ("states", _("cases by state")),
    ("measures", _("cases by measure")),
    ("districts", _("district ranking")),
    ("bureaus", _("bureau ranking")),
    ("trend", _("monthly trend")),
    ("contacts_by_district", _("contacts by district")),
    ("contacts_by_commissioner", _("contacts by commissioner")),
    ("assessment_classes", _("assessment classes")),
    ("indicators", _("indicator totals")),
    ("findings", _("findings by bureau")),
    ("landing_coverage", _("briefing coverage")),
    ("landing_funnel", _("landing funnel")),
)

# The three rates' cards, in the order the page shows them.
RATE_CARDS = (
    ("response", _("Response rate")),
    ("resolution", _("Resolution rate")),
    ("satisfaction", _("Satisfaction rate")),
)

NOT_FOR_YOUR_ROLE = _(
    "The managers' dashboards are open to managers, city commissioners and administrators. "
    "Your role (%(role)s) cannot open them."
)

# The two lists of the cases behind a ranked unit's figures.
RANKING_CASE_SIDES = (("published", _("Counted when published")), ("live", _("Counted now")))

# What the page's script writes itself: chart series, table cells and messages.
SCRIPT_LABELS = {
    "noData": _("no data"),
    "loading": _("Loading…"),
    "loadFailed": _("The figures could not be loaded (%(status)s)."),
    "chartsUnavailable": _("Charts are unavailable: the charting library is not installed."),
    "casesLogged": _("cases logged"),
    "casesAnswered": _("cases answered"),
    "casesClosed": _("Cases closed"),
    "count": _("Number of cases"),
    "responseRate": _("Response rate"),
    "resolutionRate": _("Resolution rate"),
    "satisfactionRate": _("Satisfaction rate"),
    "coverage": _("Contact coverage"),
    "leading": _("leading"),
    "growing": _("growing"),
    "needsAttention": _("needs attention"),
    "unclassified": _("not yet classified"),
    "measureNumber": _("Measure %(number)s"),
    "showCases": _("Show the cases behind this figure"),
    "noCycle": _("No assessment cycle has been opened yet."),
    "previousPage": _("Previous page"),
    "nextPage": _("Next page"),
    "pageOf": _("Page %(page)s of %(pages)s"),
    "noCases": _("No case matches."),
    "yes": _("yes"),
    "no": _("no"),
    "days": _("days"),
    "notPublished": _(
        "Not published yet: a month's ranking is frozen the night after the month ends. "
        "The live figures are shown."
    ),
    "publishedByJob": _("Published %(at)s by the month-end job."),
    "publishedBy": _("Published %(at)s by %(name)s."),
    "changed": _("changed"),
    "unchanged": _("unchanged"),
    "showRankingCases": _("Show the cases behind these figures"),
    "casesShown": _(
        "%(count)s of the %(counted)s cases counted (confidential cases count but are listed only to those who may see them)"
    ),
    "countedInResponse": _("response rate"),
    "countedInCallback": _("call-back (resolution and satisfaction)"),
}

# The case filters the list page may be opened with, named as a person reads them.
CASE_FILTER_LABELS = {
    "district": _("district"),
    "lead_bureau": _("lead bureau"),
    "bureau": _("bureau"),
    "measure": _("measure"),
    "urgency": _("urgency"),
    "state": _("state"),
    "created_after": _("logged from"),
    "created_before": _("logged until"),
    "answered_after": _("answered from"),
    "answered_before": _("answered until"),
    "callback_after": _("called back from"),
    "callback_before": _("called back until"),
    "closed_after": _("closed from"),
    "closed_before": _("closed until"),
    "resolved": _("resolved"),
    "satisfaction": _("satisfaction"),
    "overdue": _("overdue now"),
}


def _api(path: str) -> str:
    return f"{get_script_prefix()}api/{path}"


def _texts(mapping) -> dict:
    return {key: capfirst(str(text)) for key, text in mapping.items()}


def _choices(choices) -> dict:
    return {value: capfirst(str(label)) for value, label in choices}


class DashboardPageMixin(LoginRequiredMixin):
    """Only for those who may open the dashboards: a visitor logs in, anyone else is told why not."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not may_open_dashboards(request.user):
            return render(
                request,
                "dashboard/forbidden.html",
                {"reason": NOT_FOR_YOUR_ROLE % {"role": request.user.get_role_display() or "—"}},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)

    def scope_district(self) -> District | None:
        district_id = dashboard_scope_for(user=self.request.user).district_id
        return District.objects.get(pk=district_id) if district_id else None

    def script_config(self, scope_district: District | None) -> dict:
        return {
            "api": {
                "cases": _api("dashboard/cases/"),
                "rankings": _api("dashboard/rankings/"),
                "fairness": _api("dashboard/fairness/"),
                "contacts": _api("dashboard/contacts/"),
                "assessments": _api("dashboard/assessments/"),
                "publishedRankings": _api("dashboard/rankings/published/"),
                "rankingCases": _api("dashboard/rankings/cases/"),
                "districts": reverse("district-list"),
                "bureaus": reverse("bureau-list"),
                "measures": reverse("measure-list"),
                "caseList": reverse("case-list"),
            },
            "casesPage": reverse("dashboard:cases"),
            # Each listed case opens its page in the workbench (read-only for a manager).
            "casePages": reverse("work:cases"),
            "rankingCasesPage": reverse("dashboard:ranking-cases"),
            "scopeDistrict": scope_district.code if scope_district else None,
            "labels": _texts(SCRIPT_LABELS),
            "states": _choices(CaseState.choices),
            "urgencies": _choices(Urgency.choices),
            "satisfactions": _choices(Satisfaction.choices),
            "filterLabels": _texts(CASE_FILTER_LABELS),
        }


class DashboardView(DashboardPageMixin, TemplateView):
    """The figures for a period and a district, as charts and tables, with their downloads."""

    template_name = "dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        params = {name: self.request.GET[name] for name in PAGE_PARAMS if self.request.GET.get(name)}
        this_month = local_today().replace(day=1)
        params.setdefault("from", this_month.replace(month=1).strftime("%Y-%m"))
        params.setdefault("to", this_month.strftime("%Y-%m"))
        scope_district = self.scope_district()
        if scope_district:
            params["district"] = scope_district.code
        # The published ranking: the period's last month if it has ended, else the month just ended;
        # a district's leadership reads only the districts' one.
        kinds = [(UnitKind.DISTRICT, UnitKind.DISTRICT.label)] if scope_district else UnitKind.choices
        params.setdefault("ranking_month", min(params["to"], f"{month_just_ended():%Y-%m}"))
        if params.get("ranking_kind") not in dict(kinds):
            params["ranking_kind"] = kinds[0][0]
        query = urlencode(params)
        export_csv = {
            table: f"{_api(f'dashboard/export/{table}.csv')}?{query}" for table, _label in EXPORT_TABLES
        }
        config = self.script_config(scope_district) | {"params": params}
        return super().get_context_data(**kwargs) | {
            "params": params,
            "scope_district": scope_district,
            "urgencies": Urgency.choices,
            "rate_cards": RATE_CARDS,
            "ranking_month": params["ranking_month"],
            "ranking_kind": params["ranking_kind"],
            "ranking_kinds": kinds,
            "config": config,
            "export_xlsx": f"{_api('dashboard/export.xlsx')}?{query}",
            "export_csv": export_csv,
            "export_tables": [(table, label, export_csv[table]) for table, label in EXPORT_TABLES],
            "landing_url": f"{reverse('dashboard:landing')}?{query}",
        }


class CaseListPageView(DashboardPageMixin, TemplateView):
    """The cases behind a figure: the page's query string is the case API's filters."""

    template_name = "dashboard/cases.html"

    def get_context_data(self, **kwargs):
        scope_district = self.scope_district()
        return super().get_context_data(**kwargs) | {
            "scope_district": scope_district,
            "config": self.script_config(scope_district),
        }


class RankingCasesPageView(DashboardPageMixin, TemplateView):
    """The cases behind one unit's ranked figures for a month, as published and as counted now."""

    template_name = "dashboard/ranking_cases.html"

    def get_context_data(self, **kwargs):
        scope_district = self.scope_district()
        return super().get_context_data(**kwargs) | {
            "sides": RANKING_CASE_SIDES,
            "scope_district": scope_district,
            "config": self.script_config(scope_district),
        }
