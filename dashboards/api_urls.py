"""The dashboards' read-only figures API, under /api/dashboard/."""

from django.urls import path

from . import api

urlpatterns = [
    path("", api.DashboardIndexView.as_view(), name="dashboard-index"),
    path("cases/", api.CaseFiguresView.as_view(), name="dashboard-cases"),
    path("rankings/", api.RankingsView.as_view(), name="dashboard-rankings"),
    path("fairness/", api.FairnessView.as_view(), name="dashboard-fairness"),
    path("rankings/published/", api.PublishedRankingsView.as_view(), name="dashboard-rankings-published"),
    path("rankings/cases/", api.RankingCasesView.as_view(), name="dashboard-ranking-cases"),
    path("contacts/", api.ContactFiguresView.as_view(), name="dashboard-contacts"),
    path("assessments/", api.AssessmentFiguresView.as_view(), name="dashboard-assessments"),
    path("export/<str:table>.csv", api.TableCsvView.as_view(), name="dashboard-export-csv"),
    path("export.xlsx", api.WorkbookView.as_view(), name="dashboard-export-xlsx"),
    path("landing-report/", api.LandingReportView.as_view(), name="dashboard-landing-report"),
    path("landing-report.xlsx", api.LandingReportXlsxView.as_view(), name="dashboard-landing-report-xlsx"),
]
