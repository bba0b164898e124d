from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Periodic development assessments: cycles, scoring into guidance classes, eligibility findings,
    and the problems they find logged as cases."""

    name = "assessments"
    verbose_name = _("Development assessments")
