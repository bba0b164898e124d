"""The dashboards' read-only figures API: thin views over `dashboards.sections`."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_standardized_errors.openapi_serializers import ErrorResponse404Serializer
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core import spreadsheets
from core.time import local_today

from .access import MayOpenDashboards
from .case_figures import RANK_KEYS
from .landing_report import FIRST_YEAR, landing_report, landing_report_table, report_year
from .models import UnitKind
from .sections import (
    SOURCES,
    DashboardRequest,
    assessments_section,
    cases_section,
    contacts_section,
    fairness_section,
    published_rankings_section,
    ranking_cases_section,
    rankings_section,
)
from .tables import TABLES, dashboard_tables

_PERIOD = [
    OpenApiParameter("from", str, description="First month, YYYY-MM (default: January this year)"),
    OpenApiParameter("to", str, description="Last month, YYYY-MM, inclusive (default: this month)"),
]
_DISTRICT = [
    OpenApiParameter("district", str, description="District code (a district's manager: always theirs)")
]
_RANK_BY = OpenApiParameter("rank_by", str, enum=list(RANK_KEYS))
_PUBLISHED = [
    OpenApiParameter("month", str, description="The month, YYYY-MM (default: the month that just ended)"),
    OpenApiParameter(
        "kind",
        str,
        enum=UnitKind.values,
        description="The units ranked (default: bureau; a district's manager: district, the only one open to them)",
    ),
    _RANK_BY,
    OpenApiParameter(
        "source",
        str,
        enum=list(SOURCES),
        description="Only the published or only the live side (default both); published with none published: 404",
    ),
]
_CASE_FILTERS = [
    *_PERIOD,
    *_DISTRICT,
    OpenApiParameter("bureau", str, description="Bureau code"),
    OpenApiParameter("measure", int, description="Measure id"),
    OpenApiParameter("urgency", str, enum=["normal", "urgent"]),
]


class _DashboardView(APIView):
    permission_classes = [MayOpenDashboards]


class DashboardIndexView(_DashboardView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        """Where each part of the dashboards' figures is read."""
        return Response(
            {
                name: request.build_absolute_uri(reverse(f"dashboard-{name}"))
                for name in ("cases", "rankings", "fairness", "contacts", "assessments")
            }
            | {
                "published_rankings": request.build_absolute_uri(reverse("dashboard-rankings-published")),
                "ranking_cases": request.build_absolute_uri(reverse("dashboard-ranking-cases")),
            }
            | {
                "tables": sorted(TABLES),
                "workbook": request.build_absolute_uri(reverse("dashboard-export-xlsx")),
            }
        )


class CaseFiguresView(_DashboardView):
    @extend_schema(parameters=_CASE_FILTERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        """The three rates, timeliness, volume, days to answer and close, and the monthly trend."""
        return Response(cases_section(DashboardRequest.from_params(request.query_params, user=request.user)))


class RankingsView(_DashboardView):
    @extend_schema(
        parameters=[
            *_CASE_FILTERS,
            _RANK_BY,
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        """Bureaus, districts and measures ranked on the rates, with the rule that ranks them."""
        dashboard_request = DashboardRequest.from_params(request.query_params, user=request.user)
        return Response(rankings_section(dashboard_request, request.query_params))


class FairnessView(_DashboardView):
    @extend_schema(parameters=_CASE_FILTERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        """The city's judgements beside the rates: returns as ruled (justified or not), the rates with
        and without the cases excluded on appeal (申诉核减) and those cases, the call-backs' reach and
        the supervisions (督办) per bureau."""
        dashboard_request = DashboardRequest.from_params(request.query_params, user=request.user)
        return Response(fairness_section(dashboard_request, user=request.user))


class PublishedRankingsView(_DashboardView):
    @extend_schema(
        parameters=_PUBLISHED, responses={200: OpenApiTypes.OBJECT, 404: ErrorResponse404Serializer}
    )
    def get(self, request):
        """A month's ranking as it was published, beside the same ranking computed now, unit by unit."""
        return Response(published_rankings_section(request.query_params, user=request.user))


class RankingCasesView(_DashboardView):
    @extend_schema(
        parameters=[
            *_PUBLISHED,
            OpenApiParameter(
                "unit",
                str,
                required=True,
                description="A bureau's or district's code, or a measure's (programme-number, e.g. shanghai_2024-9)",
            ),
            OpenApiParameter("page", int, description="Page of each list, 100 cases a page (default 1)"),
        ],
        responses={200: OpenApiTypes.OBJECT, 404: ErrorResponse404Serializer},
    )
    def get(self, request):
        """The cases behind one unit's ranked figures for a month: as published, and as counted now."""
        return Response(ranking_cases_section(request.query_params, user=request.user))


class ContactFiguresView(_DashboardView):
    @extend_schema(parameters=_DISTRICT, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        """Share of active centres contacted within their interval, per district and commissioner."""
        return Response(contacts_section(request.query_params, user=request.user))


class AssessmentFiguresView(_DashboardView):
    @extend_schema(
        parameters=[
            *_DISTRICT,
            OpenApiParameter("cycle", int, description="Cycle id (default: newest opened)"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        """A cycle's classes, indicator totals against the previous cycle, findings and eligibility."""
        return Response(assessments_section(request.query_params, user=request.user))


class TableCsvView(_DashboardView):
    @extend_schema(parameters=_CASE_FILTERS, responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def get(self, request, table: str):
        """One of the dashboard's tables as CSV, for the same parameters as the page."""
        if table not in TABLES:
            raise Http404
        (rendered,) = dashboard_tables([table], params=request.query_params, user=request.user)
        return spreadsheets.csv_response(table=rendered, filename=f"dashboard-{table}.csv")


class WorkbookView(_DashboardView):
    @extend_schema(
        parameters=_CASE_FILTERS, responses={(200, spreadsheets.XLSX_CONTENT_TYPE): OpenApiTypes.BINARY}
    )
    def get(self, request):
        """Every dashboard table, one sheet each."""
        tables = dashboard_tables(list(TABLES), params=request.query_params, user=request.user)
        return spreadsheets.xlsx_response(tables=tables, filename="dashboard.xlsx")


_YEAR = [
    OpenApiParameter("year", int, description="The calendar year, 2024 to this year (default: this year)")
]
NOT_A_REPORT_YEAR = _lazy("A year from %(first)s to this year is expected.")


def _report(request) -> dict:
    year = report_year(request.query_params.get("year"), today=local_today())
    if year is None:
        raise ValidationError({"year": [NOT_A_REPORT_YEAR % {"first": FIRST_YEAR}]})
    return landing_report(user=request.user, year=year)


class LandingReportView(_DashboardView):
    @extend_schema(parameters=_YEAR, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        """The year-end report on how the nine measures of the Shanghai plan landed: per measure,
        briefings held, centres found eligible, briefed, that applied and were granted, benefits
        granted (number, amount, quantity), cases logged and closed with the three rates, and policy
        issues raised, answered and open at the year's end; over what the reader sees."""
        return Response(_report(request))


class LandingReportXlsxView(_DashboardView):
    @extend_schema(parameters=_YEAR, responses={(200, spreadsheets.XLSX_CONTENT_TYPE): OpenApiTypes.BINARY})
    def get(self, request):
        """The year-end landing report as a workbook of one sheet."""
        report = _report(request)
        return spreadsheets.xlsx_response(
            tables=[landing_report_table(report)], filename=f"landing-report-{report['year']}.xlsx"
        )
