"""The assessment pages (`assess:`): the form a district commissioner fills in, the city's review."""

from django.urls import path  # noqa: F401

app_name = "assess"

urlpatterns: list = []
