from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    """The measure catalogues (Shanghai 2024, national 2023), their responsible units and the routing table."""

    name = "policies"
    verbose_name = _("Policy measures")
