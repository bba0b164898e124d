"""The managers' web pages."""

app_name = "dashboard"

urlpatterns: list = []
