import io

import pytest
from django.core.management import call_command
from django.db.models import F

from centres.models import Centre, ContactPerson
from commissioners.models import Role, User

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return User.objects.count(), Centre.objects.count(), ContactPerson.objects.count()


def test_demo_data_loads_twice_without_changing_anything():
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()

    output = io.StringIO()
    call_command("seed_demo", stdout=output)

    assert _counts() == first
    assert "dc-pudong" in output.getvalue()


def test_demo_data_covers_every_role_and_dozens_of_centres_across_districts():
    call_command("seed_demo", stdout=io.StringIO())

    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert Centre.objects.count() >= 30
    assert Centre.objects.values("district").distinct().count() >= 10
    assert (
        not Centre.objects.exclude(commissioner__isnull=True)
        .exclude(commissioner__district=F("district"))
        .exists()
    )
