"""Reads from a real PostgreSQL streaming replica (core.replica): the dashboards' and lists' reads
come from the replica, writes and every other read from the primary, and a user who wrote reads
the write back at once while the replica lags; another user sees it once the replica has replayed.

Run only with DATABASE_REPLICA_URL (bin/start-replica; `make test` passes it when the replica
started). A replica cannot have a test database of its own, so these tests copy the test database
(migrated, on the primary) into a database of their own, committed to for real, which streams to
the replica; the suite's other tests read through the replica alias as a mirror (tests/conftest.py).
"""

import time
import uuid
from urllib.parse import urlsplit

import psycopg
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from knox.models import AuthToken
from rest_framework.test import APIClient

from cases.models import Case
from commissioners.models import Role
from core import replica
from tests.factories import CentreFactory, UserFactory, district, shanghai_measure

# `django_db` for the test database's setup (and its transaction, which these tests leave alone:
# they write through connections of their own, committed).
pytestmark = [pytest.mark.replica, pytest.mark.django_db]


def _admin_url(host: str, port: int) -> str:
    return f"postgresql://postgres@{host}:{port}/postgres"


def _replayed_all(primary, standby) -> bool:
    target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    return standby.execute("SELECT pg_last_wal_replay_lsn() >= %s", [target]).fetchone()[0]


def _wait(condition, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def real_replica(django_db_setup, django_db_blocker):
    """A database of these tests on the primary, a copy of the migrated test database, and the
    replica's view of it. Errors (never skips) when the configured replica does not answer."""
    url = urlsplit(settings.DATABASE_REPLICA_URL)
    primary = connections["default"].settings_dict
    name = f"{primary['NAME']}_replicated"
    try:
        standby = psycopg.connect(_admin_url(url.hostname, url.port or 5432), autocommit=True)
    except psycopg.OperationalError as error:
        pytest.fail(f"DATABASE_REPLICA_URL is set but the replica does not answer: {error}")
    assert standby.execute("SELECT pg_is_in_recovery()").fetchone()[0], "DATABASE_REPLICA_URL is no standby"
    with django_db_blocker.unblock():
        connections.close_all()  # a template must have no other session
    with psycopg.connect(_admin_url(primary["HOST"], primary["PORT"]), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        # A file copy writes little WAL: the replica has the database as soon as it is made.
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{primary["NAME"]}" STRATEGY = FILE_COPY')
        _wait(lambda: _replayed_all(admin, standby), "the replica to receive the new database")
    yield {"name": name, "host": url.hostname, "port": url.port or 5432, "standby": standby}
    standby.execute("SELECT pg_wal_replay_resume()")
    standby.close()
    with psycopg.connect(_admin_url(primary["HOST"], primary["PORT"]), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def on_real_replica(real_replica, django_db_blocker, monkeypatch, settings):
    """The application's default alias on the tests' database on the primary and its replica alias
    on the same database through the replica, for the duration of a test."""
    base = connections["default"]
    primary_settings = {**base.settings_dict, "NAME": real_replica["name"]}
    replica_settings = {**primary_settings, "HOST": real_replica["host"], "PORT": real_replica["port"]}
    saved = connections["default"], connections["replica"]
    connections["default"] = type(base)(primary_settings, "default")
    connections["replica"] = type(base)(replica_settings, "replica")
    monkeypatch.setattr(replica, "REPLICA", "replica")
    monkeypatch.setattr(replica, "_health", (float("-inf"), False, False))
    settings.REPLICA_CHECK_SECONDS = 0
    standby = real_replica["standby"]
    with django_db_blocker.unblock():
        primary = psycopg.connect(
            _admin_url(primary_settings["HOST"], primary_settings["PORT"]), autocommit=True
        )
        try:
            yield {
                "standby": standby,
                "caught_up": lambda: _wait(lambda: _replayed_all(primary, standby), "replay"),
            }
        finally:
            standby.execute("SELECT pg_wal_replay_resume()")
            primary.close()
            for alias in ("default", "replica"):
                connections[alias].close()
            connections["default"], connections["replica"] = saved


def _person(role: str, **fields):
    user = UserFactory(username=f"{role}-{uuid.uuid4().hex[:8]}", role=role, **fields)
    _, token = AuthToken.objects.create(user)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return user, client


def _titles(client) -> set[str]:
    response = client.get("/api/cases/", {"page_size": 100})
    assert response.status_code == 200, response.content
    return {case["title"] for case in response.json()["results"]}


def test_a_writer_reads_its_write_back_while_the_replica_lags_and_others_see_it_once_replayed(
    on_real_replica,
):
    writer, writer_api = _person(Role.DISTRICT_COMMISSIONER, district=district("xuhui"))
    _, reader_api = _person(Role.CITY_COMMISSIONER)
    centre = CentreFactory(district=district("xuhui"), commissioner=writer)
    on_real_replica["caught_up"]()
    title = f"Reagents held at customs {uuid.uuid4().hex[:6]}"

    on_real_replica["standby"].execute("SELECT pg_wal_replay_pause()")
    created = writer_api.post(
        "/api/cases/",
        {
            "centre": centre.id,
            "measure": shanghai_measure(1).id,
            "title": title,
            "description": "Imported reagents have been held for three weeks.",
            "source": "visit",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert Case.objects.filter(title=title).exists()  # on the primary

    # The writer's next list is read from the primary: the replica has not replayed the write.
    assert title in _titles(writer_api)
    # Another user's list comes from the replica, which is behind: the case is not there yet...
    assert title not in _titles(reader_api)
    # ...but what is not a list reads the primary, for everyone.
    detail = reader_api.get(f"/api/cases/{created.json()['id']}/")
    assert detail.status_code == 200 and detail.json()["title"] == title

    on_real_replica["standby"].execute("SELECT pg_wal_replay_resume()")
    on_real_replica["caught_up"]()
    assert title in _titles(reader_api)
    # The replica has the writer's write now: the writer reads from it again and the pin is gone.
    assert title in _titles(writer_api)
    assert cache.get(f"replica-pin:{writer.pk}") is None


def test_dashboard_figures_come_from_the_replica(on_real_replica):
    writer, writer_api = _person(Role.DISTRICT_COMMISSIONER, district=district("xuhui"))
    _, manager_api = _person(Role.MANAGER)
    centre = CentreFactory(district=district("xuhui"), commissioner=writer)
    on_real_replica["caught_up"]()

    def logged() -> int:
        response = manager_api.get("/api/dashboard/cases/")
        assert response.status_code == 200, response.content
        return response.json()["volume"]["logged"]

    before = logged()
    on_real_replica["standby"].execute("SELECT pg_wal_replay_pause()")
    created = writer_api.post(
        "/api/cases/",
        {
            "centre": centre.id,
            "measure": shanghai_measure(1).id,
            "title": "Lab permits",
            "description": "The permit has waited two months.",
            "source": "visit",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert logged() == before  # the replica's summary tables, not yet replayed
    on_real_replica["standby"].execute("SELECT pg_wal_replay_resume()")
    on_real_replica["caught_up"]()
    assert logged() == before + 1


def test_a_replica_that_does_not_answer_sends_every_read_to_the_primary(on_real_replica):
    writer = UserFactory(
        username=f"w-{uuid.uuid4().hex[:8]}", role=Role.DISTRICT_COMMISSIONER, district=district("xuhui")
    )
    _, reader_api = _person(Role.CITY_COMMISSIONER)
    Case.objects.create(
        centre=CentreFactory(district=district("xuhui"), commissioner=writer),
        district=district("xuhui"),
        measure=shanghai_measure(1),
        title="Written just now",
        description="Seen by all.",
        created_by=writer,
    )
    # The replica's address now leads nowhere: the list still answers, from the primary.
    nowhere = {**connections["replica"].settings_dict, "PORT": 1}
    connections["replica"].close()
    connections["replica"] = type(connections["default"])(nowhere, "replica")
    assert "Written just now" in _titles(reader_api)
