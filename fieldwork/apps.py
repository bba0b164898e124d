from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    """The district commissioners' field work: their centres, each centre's whole story, contacts,
    call-backs and follow-ups. It reads centres, cases and assessments and writes through their
    services, so it stands above all three."""

    name = "fieldwork"
    verbose_name = _("Field work")
