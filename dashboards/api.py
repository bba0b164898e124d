"""The dashboards' read-only figures API: thin views over `dashboards.sections`."""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core import spreadsheets

from .access import MayOpenDashboards
from .sections import DashboardRequest, assessments_section, cases_section, contacts_section, rankings_section
from .tables import TABLES, dashboard_tables

_PERIOD = [
    OpenApiParameter("from", str, description="First month, YYYY-MM (default: January this year)"),
    OpenApiParameter("to", str, description="Last month, YYYY-MM, inclusive (default: this month)"),
]
_DISTRICT = [
    OpenApiParameter("district", str, description="District code (a district's manager: always theirs)")
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
                for name in ("cases", "rankings", "contacts", "assessments")
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
            OpenApiParameter("rank_by", str, enum=["score", "response", "resolution", "satisfaction"]),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        """Bureaus and districts ranked on the rates, with the rule that ranks them."""
        dashboard_request = DashboardRequest.from_params(request.query_params, user=request.user)
        return Response(rankings_section(dashboard_request, request.query_params))


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
