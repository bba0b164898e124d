"""No duplicate from a retry: a write with an Idempotency-Key is made once, whatever the network does."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from cases.models import Case, CaseEvent
from centres.models import ContactRecord
from tests.concurrency import race
from tests.factories import shanghai_measure

pytestmark = pytest.mark.django_db


def _case_body(centre):
    return {
        "centre": centre.pk,
        "measure": shanghai_measure(1).pk,
        "title": "Samples held",
        "description": "d",
    }


def test_a_retried_case_is_logged_once_and_answered_the_same(client_for, xuhui_commissioner, xuhui_centre):
    client = client_for(xuhui_commissioner)
    first = client.post(
        "/api/cases/", _case_body(xuhui_centre), format="json", HTTP_IDEMPOTENCY_KEY="phone-1"
    )
    again = client.post(
        "/api/cases/", _case_body(xuhui_centre), format="json", HTTP_IDEMPOTENCY_KEY="phone-1"
    )

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1


def test_the_same_key_with_another_request_is_a_422(client_for, xuhui_commissioner, xuhui_centre):
    client = client_for(xuhui_commissioner)
    client.post("/api/cases/", _case_body(xuhui_centre), format="json", HTTP_IDEMPOTENCY_KEY="k")
    other = client.post(
        "/api/cases/", {**_case_body(xuhui_centre), "title": "Else"}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert other.status_code == 422
    assert other.json()["errors"][0]["code"] == "idempotency_key_reused"
    assert Case.objects.count() == 1


def test_keys_are_each_users_own(client_for, xuhui_commissioner, xuhui_centre):
    from commissioners.models import Role
    from tests.factories import UserFactory, district

    colleague = UserFactory(username="xuhui-2", role=Role.DISTRICT_COMMISSIONER, district=district("xuhui"))
    for user in (xuhui_commissioner, colleague):
        response = client_for(user).post(
            "/api/cases/", _case_body(xuhui_centre), format="json", HTTP_IDEMPOTENCY_KEY="same"
        )
        assert response.status_code == 201
    assert Case.objects.count() == 2


def test_a_retried_move_is_made_once(client_for, science_staff, case_in_state):
    case = case_in_state("dispatched")
    client = client_for(science_staff)
    first = client.post(f"/api/cases/{case.pk}/accept/", {}, format="json", HTTP_IDEMPOTENCY_KEY="accept-1")
    again = client.post(f"/api/cases/{case.pk}/accept/", {}, format="json", HTTP_IDEMPOTENCY_KEY="accept-1")
    assert first.status_code == again.status_code == 200  # not a 409: the retry gets the first answer
    assert CaseEvent.objects.filter(case=case, action="accept").count() == 1
    # Without the key, the same move again is the usual 409.
    assert client.post(f"/api/cases/{case.pk}/accept/", {}, format="json").status_code == 409


def test_a_retried_contact_is_recorded_once(client_for, xuhui_commissioner, xuhui_centre):
    client = client_for(xuhui_commissioner)
    body = {
        "centre": xuhui_centre.pk,
        "kind": "visit",
        "contacted_on": "2026-11-30",
        "participants": "p",
        "summary": "s",
    }
    for _ in range(3):
        assert (
            client.post("/api/contact-records/", body, format="json", HTTP_IDEMPOTENCY_KEY="c").status_code
            == 201
        )
    assert ContactRecord.objects.count() == 1


def test_a_refused_request_may_be_corrected_and_sent_with_the_same_key(
    client_for, xuhui_commissioner, xuhui_centre
):
    client = client_for(xuhui_commissioner)
    refused = client.post(
        "/api/cases/", {**_case_body(xuhui_centre), "title": ""}, format="json", HTTP_IDEMPOTENCY_KEY="fix"
    )
    assert refused.status_code == 400
    # The corrected request is another body: a refusal kept nothing, so the key is free again.
    assert (
        client.post(
            "/api/cases/", _case_body(xuhui_centre), format="json", HTTP_IDEMPOTENCY_KEY="fix"
        ).status_code
        == 201
    )


def test_a_key_is_kept_for_a_day(client_for, xuhui_commissioner, xuhui_centre):
    client = client_for(xuhui_commissioner)
    client.post("/api/cases/", _case_body(xuhui_centre), format="json", HTTP_IDEMPOTENCY_KEY="old")
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        later = client.post(
            "/api/cases/", _case_body(xuhui_centre), format="json", HTTP_IDEMPOTENCY_KEY="old"
        )
    assert later.status_code == 201
    assert "Idempotent-Replayed" not in later
    assert Case.objects.count() == 2


def test_a_key_over_255_characters_is_a_400(client_for, xuhui_commissioner, xuhui_centre):
    response = client_for(xuhui_commissioner).post(
        "/api/cases/", _case_body(xuhui_centre), format="json", HTTP_IDEMPOTENCY_KEY="k" * 256
    )
    assert response.status_code == 400
    assert not Case.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_key_twice_at_once_logs_one_case(xuhui_commissioner, xuhui_centre):
    token = AuthToken.objects.create(xuhui_commissioner)[1]

    def send():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        response = client.post(
            "/api/cases/", _case_body(xuhui_centre), format="json", HTTP_IDEMPOTENCY_KEY="twice"
        )
        assert response.status_code == 201, response.content

    outcomes = race(first=send, second=send)
    assert set(outcomes.values()) == {"ok"}, outcomes
    assert Case.objects.count() == 1
