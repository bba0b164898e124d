from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """The managers' dashboards: the figures read from the summary tables, the page and the exports."""

    name = "dashboards"
    verbose_name = _("Dashboards")
