# The case fixtures a briefing's question and a bureau's briefing start from.
from tests.cases.conftest import case_in_state, science_staff  # noqa: F401
