# The case fixtures the hostile inputs are sent to.
from tests.cases.conftest import case_in_state, science_staff  # noqa: F401
