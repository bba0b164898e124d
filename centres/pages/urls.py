"""The centre registry's pages (`registry:`): the bulk import of centres from a spreadsheet."""

from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("centres/import/", views.ImportView.as_view(), name="import"),
    path(
        "centres/import/template.<str:file_format>",
        views.ImportTemplateView.as_view(),
        name="import-template",
    ),
    path("centres/import/<int:pk>/", views.ImportReportView.as_view(), name="import-report"),
    path("centres/import/<int:pk>/apply/", views.ImportApplyView.as_view(), name="import-apply"),
]
