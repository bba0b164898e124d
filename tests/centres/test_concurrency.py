"""Commissioners editing the same centre at once never lose each other's changes."""

from datetime import date

import pytest

from centres.models import Centre
from centres.services import centre_update
from commissioners.models import Role
from tests.concurrency import race
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
    outcomes = race(
        **{
            f"edit {n}": (lambda fields=fields: centre_update(centre=centre, actor=actor, **fields))
            for n, fields in enumerate(EDITS)
        }
    )
    assert set(outcomes.values()) == {"ok"}
    stored = Centre.objects.get(pk=centre.pk)
    for fields in EDITS:
        for name, value in fields.items():
            assert getattr(stored, name) == value, name
