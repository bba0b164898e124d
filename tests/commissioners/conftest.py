# The case whose history the housekeeping must leave alone.
from tests.cases.conftest import case_in_state, submitted_case  # noqa: F401
