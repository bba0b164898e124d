"""The centre registry's pages (`registry:`): the bulk import of centres from a spreadsheet."""

from django.urls import path  # noqa: F401

app_name = "registry"

urlpatterns: list = []
