"""Messages every app's services give for the same reason: each written once, translated once."""

from django.utils.translation import gettext_lazy as _

REASON_REQUIRED = _("Give a reason.")
TEXT_REQUIRED = _("This cannot be empty.")
