# The case the histories are written for.
from tests.cases.conftest import case_in_state, submitted_case  # noqa: F401
