"""The pages every user shares: login, start page, language, notifications."""

from django.urls import path

from . import pages

urlpatterns = [
    path("", pages.StartView.as_view(), name="start"),
    path("login/", pages.LoginView.as_view(), name="login"),
    path("logout/", pages.LogoutView.as_view(), name="logout"),
    path("language/", pages.language, name="language"),
    path("notifications/", pages.NotificationListView.as_view(), name="notifications"),
    path("notifications/bell/", pages.NotificationBellView.as_view(), name="notifications-bell"),
    path("notifications/read/", pages.NotificationMarkReadView.as_view(), name="notifications-read-all"),
    path("notifications/<int:pk>/", pages.NotificationOpenView.as_view(), name="notification-open"),
    path("notifications/<int:pk>/read/", pages.NotificationMarkReadView.as_view(), name="notification-read"),
]
