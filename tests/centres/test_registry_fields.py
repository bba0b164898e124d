"""The registry's keys of a centre (credit code, registry key) and its contact schedule in the API."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from centres.models import Centre, ContactInterval, GuidanceClass
from centres.models.centre import (
    CREDIT_CODE_WRONG_CHARACTERS,
    CREDIT_CODE_WRONG_CHECK,
    CREDIT_CODE_WRONG_LENGTH,
    credit_code_check_character,
    validate_credit_code,
)
from centres.scheduling import contact_intervals, refresh_next_contact_due
from centres.services import (
    DUPLICATE_CREDIT_CODE,
    DUPLICATE_REGISTRY_KEY,
    centre_create,
    centre_update,
    contact_record_create,
)
from tests.factories import CentreFactory, district

pytestmark = pytest.mark.django_db


def credit_code(body: str = "91310000MA1K3Y5B2") -> str:
    """A valid code: the given 17 characters and their check character."""
    return body + credit_code_check_character(body)


def centre_fields(**overrides):
    fields = {
        "name_zh": "登记测试中心",
        "name_en": "Registry Test Centre",
        "parent_company": "Parent GmbH",
        "parent_country": "DE",
        "district": district("xuhui"),
        "centre_type": Centre.CentreType.RD_CENTRE,
        "full_time_rd_staff": 10,
        "total_staff": 20,
    }
    return {**fields, **overrides}


def test_a_published_credit_code_passes_its_check():
    # Codes published on the national enterprise credit register.
    validate_credit_code("914403001922038216")
    validate_credit_code("9144030071526726XG")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("91310000MA1K3Y5B2", CREDIT_CODE_WRONG_LENGTH),
        ("91310000MA1K3Y5B2XX", CREDIT_CODE_WRONG_LENGTH),
        ("91310000MA1K3Y5BOX", CREDIT_CODE_WRONG_CHARACTERS),
        ("91310000ma1k3y5b2x", CREDIT_CODE_WRONG_CHARACTERS),
    ],
)
def test_a_malformed_credit_code_is_refused(value, message):
    with pytest.raises(ValidationError) as raised:
        validate_credit_code(value)
    assert raised.value.messages == [str(message)]


def test_a_mistyped_check_character_is_refused():
    good = credit_code()
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as raised:
        validate_credit_code(wrong)
    assert raised.value.messages == [str(CREDIT_CODE_WRONG_CHECK)]


def test_centre_create_keeps_the_codes_trimmed_and_in_capitals(city_commissioner):
    code = credit_code()
    centre = centre_create(
        actor=city_commissioner, **centre_fields(credit_code=f" {code.lower()} ", registry_key=" R-1 ")
    )
    centre.refresh_from_db()
    assert (centre.credit_code, centre.registry_key) == (code, "R-1")


def test_a_bad_credit_code_is_a_validation_error_keyed_by_field(city_commissioner):
    with pytest.raises(ValidationError) as raised:
        centre_create(actor=city_commissioner, **centre_fields(credit_code="123"))
    assert raised.value.message_dict == {"credit_code": [str(CREDIT_CODE_WRONG_LENGTH)]}
    assert not Centre.objects.exists()


def test_credit_code_and_registry_key_are_unique_when_given(city_commissioner):
    code = credit_code()
    CentreFactory(credit_code=code, registry_key="R-1")
    with pytest.raises(ValidationError) as raised:
        centre_create(actor=city_commissioner, **centre_fields(credit_code=code, registry_key="R-1"))
    assert raised.value.message_dict == {
        "credit_code": [str(DUPLICATE_CREDIT_CODE)],
        "registry_key": [str(DUPLICATE_REGISTRY_KEY)],
    }


def test_many_centres_may_leave_both_keys_blank(city_commissioner):
    CentreFactory()
    CentreFactory()
    centre_create(actor=city_commissioner, **centre_fields())
    assert Centre.objects.filter(credit_code="", registry_key="").count() == 3


def test_centre_update_sets_the_keys_and_keeps_its_own_key(city_commissioner):
    code = credit_code()
    centre = CentreFactory(credit_code=code)
    centre_update(centre=centre, actor=city_commissioner, credit_code=code, registry_key="R-9")
    centre.refresh_from_db()
    assert (centre.credit_code, centre.registry_key) == (code, "R-9")


def test_next_contact_due_is_the_last_contact_plus_the_class_interval():
    ContactInterval.objects.update_or_create(guidance_class=GuidanceClass.LEADING, defaults={"days": 180})
    ContactInterval.objects.update_or_create(
        guidance_class=GuidanceClass.NEEDS_ATTENTION, defaults={"days": 30}
    )
    leading = CentreFactory(guidance_class=GuidanceClass.LEADING, last_contacted_on=date(2026, 1, 1))
    attention = CentreFactory(
        guidance_class=GuidanceClass.NEEDS_ATTENTION, last_contacted_on=date(2026, 1, 1)
    )
    never = CentreFactory(guidance_class=GuidanceClass.NEEDS_ATTENTION)

    refresh_next_contact_due(Centre.objects.all())
    due = dict(Centre.objects.values_list("pk", "next_contact_due"))

    assert due[leading.pk] == date(2026, 6, 30)
    assert due[attention.pk] == date(2026, 1, 31)
    registered = Centre.objects.get(pk=never.pk).created_at
    assert due[never.pk] == (registered.astimezone(_shanghai()).date() + timedelta(days=30))


def _shanghai():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Shanghai")


def test_the_api_shows_the_schedule_and_the_keys(client_for, city_commissioner):
    code = credit_code()
    centre = CentreFactory(
        credit_code=code,
        registry_key="R-1",
        guidance_class=GuidanceClass.GROWING,
        last_contacted_on=date(2026, 3, 1),
    )
    body = client_for(city_commissioner).get(f"/api/centres/{centre.pk}/").json()
    assert body["credit_code"] == code
    assert body["registry_key"] == "R-1"
    assert body["guidance_class"] == "growing"
    assert body["last_contacted_on"] == "2026-03-01"
    assert body["next_contact_due"] is not None


def test_the_api_writes_the_keys_but_not_the_class(client_for, city_commissioner):
    centre = CentreFactory()
    code = credit_code()
    response = client_for(city_commissioner).patch(
        f"/api/centres/{centre.pk}/",
        {"credit_code": code, "registry_key": "R-2", "guidance_class": "leading"},
        format="json",
    )
    assert response.status_code == 200, response.content
    centre.refresh_from_db()
    assert (centre.credit_code, centre.registry_key, centre.guidance_class) == (
        code,
        "R-2",
        GuidanceClass.UNCLASSIFIED,
    )
    assert response.json()["next_contact_due"] is not None


def test_the_api_refuses_a_bad_credit_code_by_field(client_for, city_commissioner):
    centre = CentreFactory()
    response = client_for(city_commissioner).patch(
        f"/api/centres/{centre.pk}/", {"credit_code": "91310000MA1K3Y5BOX"}, format="json"
    )
    assert 400 <= response.status_code < 500
    assert "credit_code" in response.content.decode()


def test_the_list_filters_by_class_and_contact_days(client_for, city_commissioner):
    ContactInterval.objects.update_or_create(guidance_class=GuidanceClass.LEADING, defaults={"days": 180})
    old = CentreFactory(guidance_class=GuidanceClass.LEADING, last_contacted_on=date(2025, 1, 1))
    recent = CentreFactory(guidance_class=GuidanceClass.GROWING, last_contacted_on=date(2026, 5, 1))
    client = client_for(city_commissioner)

    def ids(query: str) -> set[int]:
        response = client.get(f"/api/centres/?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("guidance_class=leading") == {old.pk}
    assert ids("last_contacted_before=2025-06-01") == {old.pk}
    assert ids("last_contacted_after=2026-01-01") == {recent.pk}
    assert ids("next_contact_due_before=2025-06-30") == {old.pk}
    assert recent.pk in ids("next_contact_due_after=2026-06-01")
    assert ids("next_contact_due_before=0001-01-01") == set()
    assert {old.pk, recent.pk} <= ids("next_contact_due_before=9999-12-31")


def test_the_list_is_in_registration_order_and_a_sort_keeps_ties_in_id_order(client_for, city_commissioner):
    same_day = [
        CentreFactory(guidance_class=GuidanceClass.GROWING, last_contacted_on=date(2026, 3, 1))
        for _ in range(3)
    ]
    earlier = CentreFactory(guidance_class=GuidanceClass.GROWING, last_contacted_on=date(2026, 1, 1))
    client = client_for(city_commissioner)

    def order(query: str = "") -> list[int]:
        response = client.get(f"/api/centres/?page_size=100&{query}")
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    everyone = order()
    assert everyone == sorted(everyone)
    assert order("ordering=next_contact_due") == [earlier.pk] + [c.pk for c in same_day]
    assert order("ordering=-next_contact_due") == [c.pk for c in same_day] + [earlier.pk]


def test_an_unknown_class_is_a_400(client_for, city_commissioner):
    response = client_for(city_commissioner).get("/api/centres/?guidance_class=excellent")
    assert response.status_code == 400
    assert "guidance_class" in response.json().get("errors", response.json()).__str__()


# --- The stored next contact due is kept by every write it rests on --------------------------


def _due(centre) -> date:
    return Centre.objects.values_list("next_contact_due", flat=True).get(pk=centre.pk)


def test_a_registered_centre_has_its_next_contact_due(city_commissioner):
    centre = centre_create(actor=city_commissioner, **centre_fields())
    expected = timezone.localdate() + timedelta(days=contact_intervals()[GuidanceClass.UNCLASSIFIED])
    assert centre.next_contact_due == expected == _due(centre)


def test_a_contact_moves_the_next_contact_due(xuhui_commissioner):
    centre = CentreFactory(district=district("xuhui"), commissioner=xuhui_commissioner)
    contacted = timezone.localdate() - timedelta(days=10)
    contact_record_create(
        actor=xuhui_commissioner,
        centre=centre,
        kind="visit",
        contacted_on=contacted,
        participants="R&D director",
        summary="Routine visit.",
    )
    assert _due(centre) == contacted + timedelta(days=contact_intervals()[centre.guidance_class])


def test_an_interval_changed_in_the_admin_reschedules_its_centres(administrator):
    centre = CentreFactory(guidance_class=GuidanceClass.LEADING, last_contacted_on=date(2026, 1, 1))
    interval = ContactInterval.objects.get(guidance_class=GuidanceClass.LEADING)
    browser = Client()
    browser.force_login(administrator)

    response = browser.post(
        f"/admin/centres/contactinterval/{interval.pk}/change/",
        {"guidance_class": GuidanceClass.LEADING, "days": 10},
    )

    assert response.status_code == 302
    assert _due(centre) == date(2026, 1, 11)
    assert (
        browser.post(f"/admin/centres/contactinterval/{interval.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert ContactInterval.objects.filter(pk=interval.pk).exists()
