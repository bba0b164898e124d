# The case the histories are written for.
from tests.cases.conftest import case_in_state, science_staff, submitted_case  # noqa: F401
