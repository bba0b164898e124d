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


def test_demo_cases_cover_every_state_with_true_history():
    from cases.models import Case, CaseState

    call_command("seed_demo", stdout=io.StringIO())

    assert set(Case.objects.values_list("state", flat=True)) == set(CaseState.values)
    assert Case.objects.filter(return_count=1).exists()
    assert Case.objects.filter(reopen_count=1).exists()
    assert Case.objects.filter(is_supervised=True).exists()
    for case in Case.objects.all():
        assert set(case.assignments.values_list("case_state", flat=True)) <= {case.state}
        assert case.events.first().action == "submit"
        assert case.events.last().to_state == case.state
