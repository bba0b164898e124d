"""The benefits import's pages (`benefit_import:`), under /landing/benefits/import/."""

from django.urls import path

from . import imports

app_name = "benefit_import"

urlpatterns = [
    path("", imports.ImportView.as_view(), name="import"),
    path("template.<str:file_format>", imports.ImportTemplateView.as_view(), name="template"),
    path("<int:pk>/", imports.ImportReportView.as_view(), name="report"),
    path("<int:pk>/apply/", imports.ImportApplyView.as_view(), name="apply"),
]
