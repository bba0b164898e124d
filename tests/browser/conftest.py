"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

No browser is ever downloaded: Playwright launches the system's Chromium (CHROMIUM_PATH, by
default /usr/bin/chromium); .ci/run installs it with fonts-noto-cjk, which renders the Chinese text.
"""

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(f"No Chromium at {path}: install Debian's chromium (see .ci/run) or set CHROMIUM_PATH.")
    return path


@pytest.fixture
def browser():
    """A Chromium for one test, started after the test's database is set up and stopped before it is
    flushed.

    Playwright's sync API keeps an event loop running in the test's thread. Django refuses ORM calls
    where a loop runs unless told that this is deliberate, and while it runs, asgiref gives the ORM
    connections apart from the test's own: those are closed before the loop stops, so that none
    outlives the test and the database's serialized rollback is done on the test's own connection.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path())
            try:
                yield browser
            finally:
                browser.close()
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


LAPTOP = {"width": 1366, "height": 860}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def new_page(browser):
    """Pages in fresh browser contexts (own cookies), in the given language, on a laptop's screen or
    (`phone=True`) a phone's touch screen; all closed afterwards."""
    contexts = []

    def make(locale: str = "zh-CN", *, phone: bool = False):
        screen = {"viewport": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
        context = browser.new_context(
            locale=locale, accept_downloads=True, **(screen if phone else {"viewport": LAPTOP})
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
