"""The assessment pages (`assess:`): the form a district commissioner fills in, the city's review."""

from django.urls import path

from . import views

app_name = "assess"

urlpatterns = [
    path("assessments/", views.AssessmentListView.as_view(), name="list"),
    path("assessments/<int:pk>/", views.AssessmentPageView.as_view(), name="assessment"),
    path("assessments/<int:pk>/review/", views.AssessmentReviewView.as_view(), name="review"),
    path("assessments/<int:pk>/return/", views.AssessmentReturnView.as_view(), name="return"),
]
