# The case fixtures the figures are built from.
# The browser tests' Chromium, for the published rankings' page test.
from tests.browser.conftest import artifacts, browser, new_page  # noqa: F401
from tests.cases.conftest import finance_staff, science_staff  # noqa: F401
