# The case fixtures the figures are built from.
from tests.cases.conftest import finance_staff, science_staff  # noqa: F401
