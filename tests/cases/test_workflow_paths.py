"""The lifecycle end to end through the API, as the people who use it would walk it."""

from datetime import date

import pytest
import time_machine

from cases.models import Case, CaseEvent
from tests.factories import shanghai_measure

pytestmark = pytest.mark.django_db

# A Monday with no holiday nearby: deadlines are easy to read.
MONDAY = "2025-06-09 10:00 +08:00"


@pytest.fixture
def api(client_for, xuhui_commissioner, city_commissioner, science_staff, finance_staff):
    return {
        "district": client_for(xuhui_commissioner),
        "city": client_for(city_commissioner),
        "lead": client_for(science_staff),
        "co": client_for(finance_staff),
    }


def _ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


def _log_case(api, centre, measure_number=1, **extra) -> int:
    body = {
        "centre": centre.id,
        "measure": shanghai_measure(measure_number).id,
        "title": "Customs hold on reagents",
        "description": "Imported reagents have been held for three weeks.",
        "source": "visit",
        **extra,
    }
    return _ok(api["district"].post("/api/cases/", body, format="json"), 201)["id"]


def _dispatch(api, case_id, **body):
    body = {"lead_bureau": "sh-science-technology", "co_bureaus": ["sh-finance"], **body}
    return _ok(api["city"].post(f"/api/cases/{case_id}/dispatch/", body, format="json"))


@time_machine.travel(MONDAY, tick=False)
def test_full_path_submitted_to_closed(api, xuhui_centre):
    case_id = _log_case(api, xuhui_centre)

    dispatched = _dispatch(api, case_id)
    assert dispatched["state"] == "dispatched"
    assert dispatched["accept_due_on"] == "2025-06-11"  # 2 working days
    assert dispatched["answer_due_on"] == "2025-06-30"  # 15 working days
    assert [(a["bureau"], a["is_lead"]) for a in dispatched["assignments"]] == [
        ("sh-science-technology", True),
        ("sh-finance", False),
    ]

    assert _ok(api["lead"].post(f"/api/cases/{case_id}/accept/"))["state"] == "in_progress"
    _ok(api["co"].post(f"/api/cases/{case_id}/accept-assignment/"))
    _ok(
        api["co"].post(
            f"/api/cases/{case_id}/contribute/", {"contribution": "Duty waiver confirmed."}, format="json"
        )
    )
    lead_view = _ok(api["lead"].get(f"/api/cases/{case_id}/"))
    assert [a["contribution"] for a in lead_view["assignments"] if not a["is_lead"]] == [
        "Duty waiver confirmed."
    ]

    answered = _ok(
        api["lead"].post(
            f"/api/cases/{case_id}/answer/",
            {
                "answer_text": "Released on 12 June.",
                "answer_actions": "Called customs.",
                "answer_outcome": "solved",
            },
            format="json",
        )
    )
    assert answered["state"] == "answered"

    closed = _ok(
        api["district"].post(
            f"/api/cases/{case_id}/callback/", {"resolved": True, "satisfaction": "satisfied"}, format="json"
        )
    )
    assert closed["state"] == "closed" and closed["callback_satisfaction"] == "satisfied"
    assert [(e["action"], e["from_state"], e["to_state"]) for e in closed["history"]] == [
        ("submit", "", "submitted"),
        ("dispatch", "submitted", "dispatched"),
        ("accept", "dispatched", "in_progress"),
        ("accept_assignment", "in_progress", "in_progress"),
        ("contribute", "in_progress", "in_progress"),
        ("answer", "in_progress", "answered"),
        ("callback", "answered", "closed"),
    ]
    assert all(event["actor"] for event in closed["history"])


@time_machine.travel(MONDAY, tick=False)
def test_return_goes_back_to_triage_and_counts_against_the_bureau(api, xuhui_centre):
    case_id = _log_case(api, xuhui_centre)
    _dispatch(api, case_id)

    returned = _ok(
        api["lead"].post(f"/api/cases/{case_id}/return/", {"reason": "This is a tax matter."}, format="json")
    )

    assert returned["state"] == "submitted" and returned["return_count"] == 1
    assert returned["lead_bureau"] is None
    assert [(a["bureau"], a["status"]) for a in returned["assignments"] if a["is_lead"]] == [
        ("sh-science-technology", "returned")
    ]
    assert returned["history"][-1]["reason"] == "This is a tax matter."
    city_view = _ok(api["city"].get("/api/cases/", {"state": "submitted"}))
    assert city_view["results"][0]["return_count"] == 1
    assert api["lead"].get(f"/api/cases/{case_id}/").status_code == 404
    assert returned["return_pending"] is True

    # The city rules on the return before the case goes anywhere else.
    assert (
        api["city"]
        .post(f"/api/cases/{case_id}/dispatch/", {"lead_bureau": "sh-tax"}, format="json")
        .status_code
        == 409
    )
    _ok(
        api["city"].post(
            f"/api/cases/{case_id}/rule-return/", {"upheld": True, "reason": "A tax matter."}, format="json"
        )
    )
    redispatched = _dispatch(
        api, case_id, lead_bureau="sh-tax", co_bureaus=[], override_reason="Tax question."
    )
    assert redispatched["lead_bureau"] == "sh-tax"


@time_machine.travel(MONDAY, tick=False)
def test_unsatisfied_callback_reopens_to_the_lead(api, xuhui_centre):
    case_id = _log_case(api, xuhui_centre)
    _dispatch(api, case_id, co_bureaus=[], override_reason="The science bureau alone.")
    _ok(api["lead"].post(f"/api/cases/{case_id}/accept/"))
    _ok(
        api["lead"].post(
            f"/api/cases/{case_id}/answer/",
            {"answer_text": "Explained.", "answer_outcome": "explained"},
            format="json",
        )
    )

    reopened = _ok(
        api["district"].post(
            f"/api/cases/{case_id}/callback/",
            {"resolved": False, "satisfaction": "unsatisfied", "note": "Still held."},
            format="json",
        )
    )

    assert reopened["state"] == "in_progress" and reopened["reopen_count"] == 1
    assert "answer" in _ok(api["lead"].get(f"/api/cases/{case_id}/"))["allowed_moves"]


@time_machine.travel(MONDAY, tick=False)
def test_extension_keeps_the_original_deadline(api, xuhui_centre):
    case_id = _log_case(api, xuhui_centre)
    _dispatch(api, case_id)
    _ok(api["lead"].post(f"/api/cases/{case_id}/accept/"))

    _ok(
        api["lead"].post(
            f"/api/cases/{case_id}/request-extension/",
            {"working_days": 5, "reason": "Budget."},
            format="json",
        )
    )
    rejected_first = api["city"].post(
        f"/api/cases/{case_id}/decide-extension/", {"approve": False}, format="json"
    )
    assert rejected_first.status_code == 400  # a rejection needs a reason
    extended = _ok(
        api["city"].post(f"/api/cases/{case_id}/decide-extension/", {"approve": True}, format="json")
    )

    assert extended["answer_due_original"] == "2025-06-30"
    assert extended["answer_due_on"] == "2025-07-07"  # five working days later
    assert extended["extension_requests"][0]["status"] == "approved"


def test_supervision_is_a_flag_with_history(api, case_in_state):
    case = case_in_state("in_progress")

    supervised = _ok(
        api["city"].post(
            f"/api/cases/{case.id}/supervise/",
            {"note": "Ministry is asking.", "due_on": "2031-01-10"},
            format="json",
        )
    )
    assert supervised["state"] == "in_progress" and supervised["is_supervised"] is True
    assert _ok(api["city"].get("/api/cases/", {"supervised": "true"}))["count"] == 1

    ended = _ok(
        api["city"].post(f"/api/cases/{case.id}/end-supervision/", {"note": "Resolved."}, format="json")
    )
    assert ended["is_supervised"] is False
    assert [s["closing_note"] for s in ended["supervisions"]] == ["Resolved."]
    assert [e["action"] for e in ended["history"]][-2:] == ["supervise", "end_supervision"]


def test_referral_upward_and_its_outcome(api, case_in_state):
    case = case_in_state("in_progress")

    referred = _ok(
        api["city"].post(
            f"/api/cases/{case.id}/refer-up/",
            {"department": "most", "note": "National programme rules."},
            format="json",
        )
    )
    assert referred["state"] == "referred_up" and referred["referred_to"] == "most"
    assert api["lead"].get(f"/api/cases/{case.id}/").status_code == 404  # no longer the bureau's

    answered = _ok(
        api["city"].post(
            f"/api/cases/{case.id}/record-referral-outcome/", {"outcome": "Guidance issued."}, format="json"
        )
    )
    # The outcome is the answer; the district commissioner confirms it with the centre.
    assert answered["state"] == "answered" and answered["referral_outcome"] == "Guidance issued."
    assert (answered["answer_text"], answered["answer_outcome"]) == ("Guidance issued.", "referred")
    closed = _ok(
        api["district"].post(
            f"/api/cases/{case.id}/callback/", {"resolved": True, "satisfaction": "satisfied"}, format="json"
        )
    )
    assert closed["state"] == "closed"


def test_withdraw_needs_a_reason(api, submitted_case):
    missing = api["district"].post(
        f"/api/cases/{submitted_case.id}/withdraw/", {"reason": " "}, format="json"
    )
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["attr"] == "reason"

    withdrawn = _ok(
        api["district"].post(
            f"/api/cases/{submitted_case.id}/withdraw/", {"reason": "Solved."}, format="json"
        )
    )
    assert withdrawn["state"] == "withdrawn" and withdrawn["allowed_moves"] == []


def test_edit_records_old_and_new_values_and_leaves_the_rest(api, submitted_case):
    Case.objects.filter(pk=submitted_case.pk).update(source="call", is_confidential=True)

    edited = _ok(
        api["district"].patch(f"/api/cases/{submitted_case.id}/", {"urgency": "urgent"}, format="json")
    )

    assert edited["urgency"] == "urgent"
    assert (edited["source"], edited["is_confidential"]) == ("call", True)  # no defaults slipped in
    assert edited["history"][-1]["changes"] == {"urgency": ["normal", "urgent"]}


def test_history_cannot_be_rewritten(submitted_case):
    event = CaseEvent.objects.create(case=submitted_case, action="submit", to_state="submitted")

    with pytest.raises(ValueError, match="append-only"):
        event.note = "changed"
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    with pytest.raises(ValueError, match="append-only"):
        CaseEvent.objects.filter(case=submitted_case).update(note="changed")
    with pytest.raises(ValueError, match="append-only"):
        submitted_case.events.all().delete()
    assert Case.objects.get(pk=submitted_case.pk).events.count() == 1
    assert not CaseEvent.objects.filter(note="changed").exists()


def test_the_api_cannot_rewrite_history(client_for, xuhui_commissioner, submitted_case):
    CaseEvent.objects.create(
        case=submitted_case, actor=xuhui_commissioner, action="submit", to_state="submitted"
    )
    client = client_for(xuhui_commissioner)

    response = client.patch(
        f"/api/cases/{submitted_case.id}/", {"history": [], "title": "New title"}, format="json"
    )

    assert response.status_code == 200
    assert [(e["action"], e["changes"]) for e in response.json()["history"]] == [
        ("submit", {}),
        ("edit", {"title": ["A case that is submitted", "New title"]}),
    ]
    assert client.delete(f"/api/cases/{submitted_case.id}/").status_code == 405
    assert submitted_case.events.count() == 2


def test_dispatch_deadline_is_provisional_in_a_year_without_calendar(
    client_for, xuhui_commissioner, city_commissioner, xuhui_centre
):
    with time_machine.travel(date(2027, 3, 1), tick=False):
        # Tokens are issued inside the travelled time so they have not expired.
        api = {"district": client_for(xuhui_commissioner), "city": client_for(city_commissioner)}
        case_id = _log_case(api, xuhui_centre)
        dispatched = _dispatch(api, case_id)

    assert dispatched["due_is_provisional"] is True
    assert dispatched["accept_due_on"] == "2027-03-03"


def test_a_logged_case_belongs_to_its_centres_district(api, xuhui_centre, client_for, pudong_commissioner):
    case_id = _log_case(api, xuhui_centre)

    assert Case.objects.get(pk=case_id).district_id == xuhui_centre.district_id
    assert client_for(pudong_commissioner).get(f"/api/cases/{case_id}/").status_code == 404


@time_machine.travel(MONDAY, tick=False)
def test_urgent_cases_get_the_urgent_deadlines(api, xuhui_centre):
    case_id = _log_case(api, xuhui_centre, urgency="urgent")

    dispatched = _dispatch(api, case_id)

    assert (dispatched["accept_due_on"], dispatched["answer_due_on"]) == ("2025-06-10", "2025-06-16")  # 1 / 5


@time_machine.travel(MONDAY, tick=False)
def test_deadline_rules_edited_by_administrators_apply_to_the_next_dispatch(api, xuhui_centre):
    from cases.models import DeadlineRule

    DeadlineRule.objects.filter(urgency="normal").update(accept_working_days=3, answer_working_days=10)
    case_id = _log_case(api, xuhui_centre)

    dispatched = _dispatch(api, case_id)

    assert (dispatched["accept_due_on"], dispatched["answer_due_on"]) == ("2025-06-12", "2025-06-23")


@time_machine.travel(MONDAY, tick=False)
def test_the_inbox_follows_the_case_through_its_moves(api, xuhui_centre):
    """The inbox reads copies of the case's state, confidentiality and deadline kept on the
    assignments; every move must keep them in step."""
    case_id = _log_case(api, xuhui_centre)
    _dispatch(api, case_id)

    def inbox(who):
        return [
            (row["case"], row["action"], row["due_on"]) for row in _ok(api[who].get("/api/inbox/"))["results"]
        ]

    assert inbox("lead") == [(case_id, "accept", "2025-06-11")]
    assert inbox("co") == [(case_id, "accept_assignment", "2025-06-11")]

    _ok(api["lead"].post(f"/api/cases/{case_id}/accept/"))
    assert inbox("lead") == [(case_id, "answer", "2025-06-30")]

    _ok(
        api["lead"].post(
            f"/api/cases/{case_id}/request-extension/",
            {"working_days": 5, "reason": "Budget."},
            format="json",
        )
    )
    _ok(api["city"].post(f"/api/cases/{case_id}/decide-extension/", {"approve": True}, format="json"))
    assert inbox("lead") == [(case_id, "answer", "2025-07-07")]

    _ok(api["district"].patch(f"/api/cases/{case_id}/", {"is_confidential": True}, format="json"))
    assert inbox("co") == []
    assert api["co"].get(f"/api/cases/{case_id}/").status_code == 404
    assert inbox("lead") == [(case_id, "answer", "2025-07-07")]

    _ok(
        api["lead"].post(
            f"/api/cases/{case_id}/answer/",
            {"answer_text": "Done.", "answer_outcome": "solved"},
            format="json",
        )
    )
    assert inbox("lead") == []


def test_an_edit_that_changes_nothing_records_nothing(client_for, xuhui_commissioner, submitted_case):
    events = CaseEvent.objects.filter(case=submitted_case).count()
    response = client_for(xuhui_commissioner).patch(
        f"/api/cases/{submitted_case.pk}/", {"title": submitted_case.title}, format="json"
    )
    assert response.status_code == 200, response.content
    assert CaseEvent.objects.filter(case=submitted_case).count() == events
