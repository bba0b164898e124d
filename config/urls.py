from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from assessments.api.views import AssessmentCycleViewSet, AssessmentViewSet, FindingViewSet
from cases.api.case_views import CaseViewSet, InboxView
from cases.api.policy_issues import PolicyIssueViewSet
from centres.api.routing import MeasureRoutingView
from centres.api.views import (
    CentreImportViewSet,
    CentreViewSet,
    ContactRecordViewSet,
    FollowUpViewSet,
    ResearchFieldViewSet,
)
from commissioners.api import views as commissioner_views
from config.health import HealthView, LivenessView, ReadinessView
from config.metrics import MetricsView
from fieldwork.api.views import CentreTimelineView
from landing.api.imports import BenefitImportViewSet
from landing.api.views import (
    BenefitViewSet,
    BriefingCoverageCsvView,
    BriefingCoverageView,
    BriefingViewSet,
    CampaignViewSet,
    CentreLandingView,
    LandingFunnelView,
)
from policies.api.views import MeasureViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("districts", commissioner_views.DistrictViewSet)
router.register("bureaus", commissioner_views.BureauViewSet)
router.register("measures", MeasureViewSet)
router.register("research-fields", ResearchFieldViewSet)
router.register("centre-imports", CentreImportViewSet, basename="centre-import")
router.register("centres", CentreViewSet, basename="centre")
router.register("cases", CaseViewSet, basename="case")
router.register("policy-issues", PolicyIssueViewSet, basename="policy-issue")
router.register("contact-records", ContactRecordViewSet, basename="contact-record")
router.register("follow-ups", FollowUpViewSet, basename="follow-up")
router.register("assessment-cycles", AssessmentCycleViewSet, basename="assessment-cycle")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("findings", FindingViewSet, basename="finding")
router.register("briefings", BriefingViewSet, basename="briefing")
router.register("briefing-campaigns", CampaignViewSet, basename="briefing-campaign")
router.register("benefits", BenefitViewSet, basename="benefit")
router.register("benefit-imports", BenefitImportViewSet, basename="benefit-import")
router.register("notifications", commissioner_views.NotificationViewSet, basename="notification")

api_patterns = [
    path("auth/login/", commissioner_views.SessionLoginView.as_view(), name="session-login"),
    path("auth/logout/", commissioner_views.SessionLogoutView.as_view(), name="session-logout"),
    path("auth/token/", commissioner_views.TokenLoginView.as_view(), name="token-login"),
    path("auth/token/logout/", commissioner_views.TokenLogoutView.as_view(), name="token-logout"),
    path("auth/me/", commissioner_views.CurrentUserView.as_view(), name="current-user"),
    path(
        "me/notification-preferences/",
        commissioner_views.NotificationPreferencesView.as_view(),
        name="notification-preferences",
    ),
    path("inbox/", InboxView.as_view(), name="bureau-inbox"),
    path("health/", HealthView.as_view(), name="health"),
    path("health/ready/", ReadinessView.as_view(), name="health-ready"),
    path("health/live/", LivenessView.as_view(), name="health-live"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("dashboard/", include("dashboards.api_urls")),
    path("centres/<int:pk>/timeline/", CentreTimelineView.as_view(), name="centre-timeline"),
    path("centres/<int:pk>/landing/", CentreLandingView.as_view(), name="centre-landing"),
    path("landing/funnel/", LandingFunnelView.as_view(), name="landing-funnel"),
    path("landing/coverage/", BriefingCoverageView.as_view(), name="briefing-coverage"),
    path("landing/coverage.csv", BriefingCoverageCsvView.as_view(), name="briefing-coverage-csv"),
    path("", include(router.urls)),
    path("measures/<int:id>/routing/", MeasureRoutingView.as_view(), name="measure-routing"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("metrics", MetricsView.as_view(), name="metrics"),
    path("api/", include(api_patterns)),
    path("dashboard/", include("dashboards.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("cases.pages.urls")),
    path("", include("fieldwork.pages.urls")),
    path("", include("centres.pages.urls")),
    path("", include("assessments.pages.urls")),
    path("landing/", include("landing.pages.urls")),
    path("", include("commissioners.urls")),
    path("landing/benefits/import/", include("landing.pages.import_urls")),
]

handler404 = "core.errors.not_found"
handler500 = "core.errors.server_error"
