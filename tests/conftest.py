import math
import os

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from rest_framework.test import APIClient

from commissioners.models import Role
from core import queue, replica
from tests.factories import CentreFactory, UserFactory, bureau, district

settings.register_profile(
    "default",
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("default")


@pytest.fixture(autouse=True)
def _broker_presumed_up():
    """A test that stopped the broker must not leave the next one's messages unsent: the pause after
    a failed publish (`core.queue`) is per process."""
    queue._broker_down_until = 0.0
    yield
    queue._broker_down_until = 0.0


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: the language a request activated in this thread
    must not carry over into the next test, or a test would pass or fail by the order it runs in."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def xuhui_commissioner(db):
    return UserFactory(username="xuhui", role=Role.DISTRICT_COMMISSIONER, district=district("xuhui"))


@pytest.fixture
def pudong_commissioner(db):
    return UserFactory(username="pudong", role=Role.DISTRICT_COMMISSIONER, district=district("pudong"))


@pytest.fixture
def city_commissioner(db):
    return UserFactory(username="city", role=Role.CITY_COMMISSIONER)


@pytest.fixture
def bureau_staff(db):
    return UserFactory(username="commerce", role=Role.BUREAU_STAFF, bureau=bureau("sh-commerce"))


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", role=Role.MANAGER)


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


@pytest.fixture
def users_by_role(xuhui_commissioner, city_commissioner, bureau_staff, manager, administrator):
    return {
        Role.DISTRICT_COMMISSIONER: xuhui_commissioner,
        Role.CITY_COMMISSIONER: city_commissioner,
        Role.BUREAU_STAFF: bureau_staff,
        Role.MANAGER: manager,
        Role.ADMINISTRATOR: administrator,
    }


@pytest.fixture
def anonymous_client():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def client_for():
    """An API client authenticated with a real token of the given user."""

    def make(user, language: str = "en") -> APIClient:
        _, token = AuthToken.objects.create(user)
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client

    return make


@pytest.fixture
def xuhui_centre(db, xuhui_commissioner):
    return CentreFactory(district=district("xuhui"), commissioner=xuhui_commissioner)


@pytest.fixture
def pudong_centre(db, pudong_commissioner):
    return CentreFactory(
        district=district("pudong"), commissioner=pudong_commissioner, in_free_trade_zone=True
    )


@pytest.fixture(autouse=True)
def _replica_reads_the_test_transaction(monkeypatch):
    """The suite's replica alias is a test mirror of default (config/settings/test.py), but Django
    gives a mirror its own connection, which cannot see a test's transaction: the router's replica
    reads use default's connection, known to be no standby (no look at it, no pins: no query the
    query-count guards would see). tests/config/test_replica.py undoes this against a real replica."""
    monkeypatch.setattr(replica, "REPLICA", "default")
    monkeypatch.setattr(replica, "_health", (math.inf, True, False))


def pytest_collection_modifyitems(config, items):
    """The tests marked `replica` need a real replica: without DATABASE_REPLICA_URL they are
    deselected, and said so at the end of the run (never a silent pass)."""
    if os.environ.get("DATABASE_REPLICA_URL"):
        return
    deselected = [item for item in items if item.get_closest_marker("replica")]
    if deselected:
        items[:] = [item for item in items if not item.get_closest_marker("replica")]
        config.hook.pytest_deselected(items=deselected)
        config._replica_tests_left_out = len(deselected)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    left_out = getattr(config, "_replica_tests_left_out", 0)
    if left_out:
        terminalreporter.write_line(
            f"{left_out} replica tests NOT RUN: no DATABASE_REPLICA_URL (bin/start-replica; make test passes it).",
            yellow=True,
        )
