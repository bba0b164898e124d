"""Commissioners editing the same centre at once never lose each other's changes."""

import threading
from datetime import date

import pytest
from django.db import connection

from centres.models import Centre
from centres.services import centre_update
from commissioners.models import Role
from tests.factories import CentreFactory, UserFactory, district

EDITS = [
    {"parent_company": "Renamed Parent GmbH"},
    {"total_staff": 500},
    {"in_free_trade_zone": True},
    {"in_lingang": True},
    {"in_zhangjiang": True},
    {"recognised_on": date(2020, 1, 2)},
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_updates_of_different_fields_all_survive():
    actor = UserFactory(role=Role.CITY_COMMISSIONER)
    centre = CentreFactory(district=district("xuhui"), total_staff=60)
    start = threading.Barrier(len(EDITS))
    failures: list[BaseException] = []

    def edit(fields):
        try:
            start.wait()
            centre_update(centre=centre, actor=actor, **fields)
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(fields,)) for fields in EDITS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    stored = Centre.objects.get(pk=centre.pk)
    for fields in EDITS:
        for name, value in fields.items():
            assert getattr(stored, name) == value, name
