"""The API's detail reads only the lists a case has rows in, and answers exactly as the full read."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from cases import selectors
from cases.api.case_serializers import CaseDetailSerializer
from cases.models import Appeal, CallbackAttempt, Case, CaseEvent, ExtensionRequest, Supervision
from tests.factories import bureau


def _full_read(case: Case, user) -> dict:
    """What the detail answered before: every list read, whether it has rows or not."""
    full = selectors.for_detail(Case.objects.filter(pk=case.pk), user=user).get()
    drf_request = Request(APIRequestFactory().get(f"/api/cases/{case.pk}/"))
    drf_request.user = user
    return json.loads(
        json.dumps(CaseDetailSerializer(full, context={"request": drf_request}).data, default=str)
    )


def _with_every_part(case: Case, staff, city_commissioner) -> None:
    science = bureau("sh-science-technology")
    ExtensionRequest.objects.create(
        case=case, bureau=science, requested_by=staff, working_days=5, reason="Audit"
    )
    Supervision.objects.create(case=case, note="Slow", bureau=science, opened_by=city_commissioner)
    Appeal.objects.create(case=case, bureau=science, filed_by=staff, reason="Not ours")
    CallbackAttempt.objects.create(case=case, answer_round=1, reached=False, attempted_by=city_commissioner)


@pytest.mark.parametrize("parts", ["none", "all"])
@pytest.mark.parametrize("role", ["city", "district", "bureau"])
def test_the_detail_answers_as_the_full_read(
    parts, role, case_in_state, science_staff, city_commissioner, xuhui_commissioner, client_for
):
    case = case_in_state("in_progress")
    if parts == "all":
        _with_every_part(case, science_staff, city_commissioner)
    user = {"city": city_commissioner, "district": xuhui_commissioner, "bureau": science_staff}[role]
    client = client_for(user)

    response = client.get(f"/api/cases/{case.pk}/")

    assert response.status_code == 200
    assert response.json() == _full_read(case, user)
    if parts == "all":
        body = response.json()
        assert all(body[name] for name in ("extension_requests", "supervisions", "appeals", "callback_tries"))


def test_a_case_without_those_lists_reads_none_of_them(case_in_state, city_commissioner, client_for):
    case = case_in_state("in_progress")
    client = client_for(city_commissioner)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/api/cases/{case.pk}/").status_code == 200

    tables = ("cases_extensionrequest", "cases_supervision", "cases_appeal", "cases_callbackattempt")
    sent = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in sent if any(sql.startswith(f'SELECT "{table}"') for table in tables)]
    # The token and the case (with its history, its assignments and whether each other list has rows).
    assert len(queries.captured_queries) == 2


def test_a_move_answers_with_the_case_as_the_full_read(
    case_in_state, science_staff, client_for, django_assert_max_num_queries
):
    case = case_in_state("dispatched")
    client = client_for(science_staff)

    # The token; BEGIN, the case in sight found and locked with what the notice quotes, the
    # assignment, the notice, the case's changed columns with its history entry (the database
    # copies them onto the assignments), COMMIT; the answer: the case with its history and
    # assignments.
    with django_assert_max_num_queries(8):
        response = client.post(f"/api/cases/{case.pk}/accept/", {}, format="json")

    assert response.status_code == 200
    assert response.json() == _full_read(case, science_staff)


def test_the_history_and_assignments_read_in_the_case_row_are_the_prefetched_ones(
    case_in_state, science_staff, finance_staff, city_commissioner, xuhui_commissioner, client_for
):
    # On PostgreSQL the detail reads its history and assignments as JSON in the case's row: every
    # kind of column (dates, times, JSON, the actor's and the bureau's rows) comes back as prefetched.
    case = case_in_state("in_progress", co_contributed=True)
    # An entry of the clocks: no actor, so its related row is null.
    CaseEvent.record(subject=case, actor=None, action="escalate", from_state=case.state, note="Overdue")
    lead = client_for(science_staff)
    assert (
        lead.post(
            f"/api/cases/{case.pk}/comments/", {"body": "Called the centre."}, format="json"
        ).status_code
        == 201
    )
    answered = lead.post(
        f"/api/cases/{case.pk}/answer/",
        {"answer_text": "Funding approved.", "answer_actions": "Paid in May.", "answer_outcome": "solved"},
        format="json",
    )
    assert answered.status_code == 200
    assert answered.json() == _full_read(case, science_staff)
    actions = [entry["action"] for entry in answered.json()["history"]]
    assert actions[-3:] == ["escalate", "comment", "answer"]
    assert answered.json()["history"][-3]["actor"] is None

    for user in (city_commissioner, xuhui_commissioner, science_staff, finance_staff):
        response = client_for(user).get(f"/api/cases/{case.pk}/")
        assert response.status_code == 200
        assert response.json() == _full_read(case, user)


def test_the_columns_kept_per_day_and_language_are_the_days_and_the_languages(
    case_in_state, city_commissioner, client_for, monkeypatch
):
    # The list's and the detail's columns are built once per role, bureau, day and language: the
    # next day's overdue flag and another language's names are never an earlier build's.
    case = case_in_state("in_progress")  # answer due 2030-01-20
    client = client_for(city_commissioner)

    def shown(language: str = "en") -> tuple[dict, dict]:
        detail = client.get(f"/api/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE=language).json()
        [row] = client.get("/api/cases/", HTTP_ACCEPT_LANGUAGE=language).json()["results"]
        return detail, row

    for day, overdue in ((date(2030, 1, 20), False), (date(2030, 1, 21), True), (date(2030, 1, 20), False)):
        monkeypatch.setattr("cases.selectors.local_today", lambda day=day: day)
        detail, row = shown()
        assert detail["is_overdue"] is row["is_overdue"] is overdue

    english, chinese = shown("en"), shown("zh-hans")
    assert english[0]["centre_name"] == english[1]["centre_name"] == case.centre.name_en
    assert chinese[0]["centre_name"] == chinese[1]["centre_name"] == case.centre.name_zh
    assert case.centre.name_en != case.centre.name_zh
