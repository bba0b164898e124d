"""The managers' web pages."""

from django.urls import path
from django.views.generic import RedirectView

from . import landing_pages, views

app_name = "dashboard"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="home"),
    path("cases/", views.CaseListPageView.as_view(), name="cases"),
    path("rankings/cases/", views.RankingCasesPageView.as_view(), name="ranking-cases"),
    path("landing/", landing_pages.LandingSectionView.as_view(), name="landing"),
    path("landing/centres/", landing_pages.LandingCentresView.as_view(), name="landing-centres"),
    # The one login page took over the dashboard's own; old links and bookmarks still arrive there.
    path("login/", RedirectView.as_view(pattern_name="login", query_string=True), name="login"),
]
