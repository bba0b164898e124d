"""The district commissioners' field pages (`field:`): my centres, a centre's page, contacts, follow-ups."""

from django.urls import path  # noqa: F401

app_name = "field"

urlpatterns: list = []
