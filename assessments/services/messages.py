"""What the assessment services say when they refuse: each message once."""

from django.utils.translation import gettext_lazy as _

ONLY_DISTRICT_COMMISSIONERS_ENTER = _("Only the district's commissioners enter its assessments.")
ONLY_CITY_COMMISSIONERS_REVIEW = _("Only city commissioners review assessments.")
NOT_EDITABLE = _("A %(state)s assessment cannot be changed; it can be edited while open or returned.")
WRONG_STATE = _("This is not possible for a %(state)s assessment.")
CYCLE_CLOSED = _("The cycle “%(cycle)s” is closed; its assessments can no longer be changed or reviewed.")
CYCLE_NOT_OPEN = _("The cycle “%(cycle)s” is not open yet.")
RD_STAFF_ABOVE_TOTAL = _("Full-time R&D staff cannot exceed the total staff.")
REQUIRED_TO_SUBMIT = _("Required before submitting.")
NOT_NEGATIVE = _("This cannot be negative.")
PROBLEM_NEEDS_DESCRIPTION = _("Describe each problem.")
NOTE_REQUIRED = _("Say what was done.")
MEASURE_NOT_SHANGHAI = _("Tag a problem with one of the nine Shanghai measures.")
CHANGED_MEANWHILE = _(
    "The assessment was changed by someone else at the same moment; reload it and try again."
)
FINDING_NOT_YOURS = _("Only the bureau the finding is addressed to handles it.")
FINDING_ALREADY_ACTED_ON = _("This finding has already been acted on.")
FINDING_OUTCOME_RECORDED = _("This finding's outcome is already recorded.")
FINDING_OUTCOME_NOT_YOURS = _(
    "The outcome is recorded by the bureau the finding is addressed to, the centre's district "
    "commissioner or a city commissioner."
)
WRONG_OUTCOME = _("Not an outcome: briefed, applied, granted, not_interested or not_eligible.")
