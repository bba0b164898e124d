"""The managers' web pages."""

from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="home"),
    path("cases/", views.CaseListPageView.as_view(), name="cases"),
    path("rankings/cases/", views.RankingCasesPageView.as_view(), name="ranking-cases"),
    path("login/", views.DashboardLoginView.as_view(), name="login"),
    path("logout/", views.DashboardLogoutView.as_view(), name="logout"),
]
