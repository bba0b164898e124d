"""Messages every app's services give for the same reason: each written once, translated once."""

from django.utils.translation import gettext_lazy as _

REASON_REQUIRED = _("Give a reason.")
TEXT_REQUIRED = _("This cannot be empty.")

# Messages DRF can send a client but its own Chinese catalogue lacks: listed here so that this
# project's catalogue (which Django reads first) translates them.
DRF_UNTRANSLATED = (
    _("A valid biginteger is required."),
    _("Integer value too large to convert to float"),
    _("The number of days must be between {min_days} and {max_days}."),
)
