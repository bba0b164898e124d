from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandingConfig(AppConfig):
    """Policy landing (政策落地, measure 9): briefings to centres, the benefits they actually
    receive, and how far each measure reaches them."""

    name = "landing"
    verbose_name = _("Policy landing")
