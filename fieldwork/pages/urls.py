"""The district commissioners' field pages (`field:`): my centres, a centre's page, contacts, follow-ups."""

from django.urls import path

from . import views

app_name = "field"

urlpatterns = [
    path("centres/", views.CentreListView.as_view(), name="centres"),
    path("centres/<int:pk>/", views.CentrePageView.as_view(), name="centre"),
    path("centres/<int:pk>/contacts/new/", views.ContactNewView.as_view(), name="record-contact"),
    path("centres/<int:pk>/cases/new/", views.CaseLogView.as_view(), name="log-case"),
    path("centres/<int:pk>/routing/", views.RoutingPreviewView.as_view(), name="routing"),
    path("contacts/<int:pk>/", views.ContactPageView.as_view(), name="contact"),
    path("follow-ups/", views.FollowUpListView.as_view(), name="follow-ups"),
]
