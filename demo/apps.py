from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The bilingual demo data set and the command that loads it through the real services."""

    name = "demo"
    verbose_name = _("Demo data")
