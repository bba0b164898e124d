"""The workbench's pages (`work:`): the city's triage, the bureaus' inbox, the cases."""

from django.urls import path

from . import policy_issues, views

app_name = "work"

urlpatterns = [
    path("city/", views.CityPageView.as_view(), name="city"),
    path("inbox/", views.InboxPageView.as_view(), name="inbox"),
    path("cases/", views.CaseSearchView.as_view(), name="cases"),
    path("cases/views/", views.SavedViewSaveView.as_view(), name="save-view"),
    path("cases/views/<int:pk>/delete/", views.SavedViewDeleteView.as_view(), name="delete-view"),
    path("cases/<int:pk>/", views.CasePageView.as_view(), name="case"),
    path("cases/<int:pk>/moves/<str:move>/", views.CaseMoveView.as_view(), name="move"),
    path("cases/<int:pk>/comments/", views.CaseCommentView.as_view(), name="comment"),
    path("cases/<int:pk>/attachments/", views.CaseAttachmentView.as_view(), name="attach"),
    path(
        "cases/<int:pk>/attachments/<int:attachment_id>/",
        views.CaseAttachmentDownloadView.as_view(),
        name="attachment",
    ),
    path("policy-issues/", policy_issues.PolicyIssueListView.as_view(), name="policy-issues"),
    path("policy-issues/new/", policy_issues.PolicyIssueCreateView.as_view(), name="policy-issue-new"),
    path("policy-issues/<int:pk>/", policy_issues.PolicyIssuePageView.as_view(), name="policy-issue"),
    path(
        "policy-issues/<int:pk>/moves/<str:move>/",
        policy_issues.PolicyIssueMoveView.as_view(),
        name="policy-issue-move",
    ),
]
