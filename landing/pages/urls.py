"""The policy landing pages (`landing:`): briefings, campaigns, benefits, and the parts of the centre's
and the assessment's pages that show what reached a centre."""

from django.urls import path

from . import benefits, panels, views

app_name = "landing"

urlpatterns = [
    path("briefings/", views.BriefingListView.as_view(), name="briefings"),
    path("briefings/new/", views.BriefingNewView.as_view(), name="record-briefing"),
    path("briefings/centres/", views.CentreChoicesView.as_view(), name="centre-choices"),
    path("briefings/<int:pk>/", views.BriefingPageView.as_view(), name="briefing"),
    path("briefings/<int:pk>/materials/", views.MaterialAddView.as_view(), name="add-material"),
    path(
        "briefings/<int:pk>/materials/<int:material_id>/",
        views.MaterialDownloadView.as_view(),
        name="material",
    ),
    path(
        "briefings/<int:pk>/questions/<int:question_id>/log-case/",
        views.QuestionLogCaseView.as_view(),
        name="log-question",
    ),
    path("campaigns/", views.CampaignListView.as_view(), name="campaigns"),
    path("campaigns/new/", views.CampaignNewView.as_view(), name="new-campaign"),
    path("campaigns/<int:pk>/", views.CampaignPageView.as_view(), name="campaign"),
    path("benefits/", benefits.BenefitListView.as_view(), name="benefits"),
    path("benefits/new/", benefits.BenefitNewView.as_view(), name="record-benefit"),
    path("benefits/<int:pk>/", benefits.BenefitPageView.as_view(), name="benefit"),
    path("centres/<int:pk>/", panels.CentrePanelView.as_view(), name="centre-panel"),
    path("assessments/<int:pk>/findings/", panels.AssessmentFindingsView.as_view(), name="findings"),
    path("findings/<int:pk>/outcome/", panels.FindingOutcomeView.as_view(), name="finding-outcome"),
]
