"""Policy issues (共性问题): similar cases of several centres grouped by the city, routed once, answered
once; the answer reaches each case, which then gets its own call-back."""

from datetime import timedelta

import pytest

from cases.models import Case, CaseEvent, CaseState, PolicyIssue, PolicyIssueEvent
from cases.services import policy_issues, scheduling
from centres.models import FollowUp
from commissioners.models import Notification, NotificationKind, Role
from core.time import local_today
from policies.models import Measure
from tests.factories import CentreFactory, UserFactory, bureau, district

pytestmark = pytest.mark.django_db
K = NotificationKind


def measure(number: int) -> Measure:
    return Measure.objects.get(programme="shanghai_2024", number=number)


@pytest.fixture
def customs_staff(db):
    """Staff of 上海海关, the lead unit of Measure 3."""
    return UserFactory(username="customs", role=Role.BUREAU_STAFF, bureau=bureau("sh-customs"))


@pytest.fixture
def science_staff(db):
    return UserFactory(username="science", role=Role.BUREAU_STAFF, bureau=bureau("sh-science-technology"))


@pytest.fixture
def log(xuhui_commissioner, pudong_commissioner):
    commissioners = {"xuhui": xuhui_commissioner, "pudong": pudong_commissioner}

    def make(title: str, *, where: str = "xuhui", number: int = 3, **fields) -> Case:
        centre = CentreFactory(district=district(where), commissioner=commissioners[where])
        return Case.objects.create(
            centre=centre,
            district=centre.district,
            measure=measure(number),
            title=title,
            description=fields.pop("description", title),
            created_by=commissioners[where],
            **fields,
        )

    return make


@pytest.fixture
def held_at_customs(log):
    return [
        log("科研试剂在海关滞留，通关时间过长"),
        log("研发用试剂通关时间过长，海关滞留两周"),
        log("科研试剂在海关滞留，通关时间太长，影响实验", where="pudong"),
    ]


def _raise(client, cases, **extra):
    body = {
        "title": "科研试剂通关时间过长",
        "description": "Several centres wait weeks for research reagents held at customs.",
        "measure": measure(3).pk,
        "cases": [c.pk for c in cases],
        **extra,
    }
    return client.post("/api/policy-issues/", body, format="json")


def _proposal(issue_id: int) -> tuple[str, list[str]]:
    routing = policy_issues.policy_issue_routing_proposal(issue=PolicyIssue.objects.get(pk=issue_id))
    lead = next(r.bureau.code for r in routing if r.is_lead)
    return lead, [r.bureau.code for r in routing if not r.is_lead]


def test_one_answer_reaches_every_case_of_the_issue_and_each_gets_its_call_back(
    client_for, city_commissioner, customs_staff, held_at_customs, xuhui_commissioner, pudong_commissioner
):
    city = client_for(city_commissioner)
    raised = _raise(city, held_at_customs)
    assert raised.status_code == 201, raised.content
    issue = raised.json()
    assert issue["state"] == "open" and issue["case_count"] == 3
    assert [e["action"] for e in issue["history"]] == ["create", "link", "link", "link"]
    for case in held_at_customs:
        case.refresh_from_db()
        assert case.policy_issue_id == issue["id"]
        assert CaseEvent.objects.filter(case=case).last().action == "link_policy_issue"

    lead, co = _proposal(issue["id"])
    assert lead == "sh-customs"
    dispatched = city.post(
        f"/api/policy-issues/{issue['id']}/dispatch/", {"lead_bureau": lead, "co_bureaus": co}, format="json"
    )
    assert dispatched.status_code == 200, dispatched.content
    assert dispatched.json()["answer_due_on"]
    # Every case waiting for triage went to the lead with the issue.
    assert set(
        Case.objects.filter(policy_issue_id=issue["id"]).values_list("state", "lead_bureau__code")
    ) == {(CaseState.DISPATCHED, "sh-customs")}
    assert Notification.objects.filter(recipient=customs_staff, kind=K.POLICY_ISSUE_DISPATCHED).count() == 1

    customs = client_for(customs_staff)
    assert customs.post(f"/api/policy-issues/{issue['id']}/accept/").status_code == 200
    assert set(Case.objects.filter(policy_issue_id=issue["id"]).values_list("state", flat=True)) == {
        CaseState.IN_PROGRESS
    }
    answered = customs.post(
        f"/api/policy-issues/{issue['id']}/answer/",
        {
            "answer_text": "A green channel for research reagents opens on 1 March.",
            "answer_outcome": "solved",
        },
        format="json",
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["state"] == "answered"
    assert answered.json()["history"][-1]["changes"]["cases_answered"] == sorted(
        c.pk for c in held_at_customs
    )

    for case in held_at_customs:
        case.refresh_from_db()
        assert case.state == CaseState.ANSWERED
        assert case.answer_text == "A green channel for research reagents opens on 1 March."
        assert case.answer_outcome == "solved"
        last = CaseEvent.objects.filter(case=case).last()
        assert (last.action, last.actor, last.changes["policy_issue"]) == (
            "answer_from_policy_issue",
            customs_staff,
            issue["id"],
        )
    for commissioner in (xuhui_commissioner, pudong_commissioner):
        assert Notification.objects.filter(recipient=commissioner, kind=K.CASE_ANSWERED).exists()
    # The call-back of each case: opened by the worker or, if its message was lost, the sweep.
    scheduling.open_callback_follow_ups()
    assert set(
        FollowUp.objects.filter(kind=FollowUp.Kind.CALLBACK, closed_at__isnull=True).values_list(
            "case", flat=True
        )
    ) == {c.pk for c in held_at_customs}
    # Each case's call-back is its own: confirming one closes that one alone.
    xuhui = client_for(xuhui_commissioner)
    confirmed = xuhui.post(
        f"/api/cases/{held_at_customs[0].pk}/callback/",
        {"resolved": True, "satisfaction": "satisfied"},
        format="json",
    )
    assert confirmed.status_code == 200, confirmed.content
    assert Case.objects.get(pk=held_at_customs[0].pk).state == CaseState.CLOSED
    assert Case.objects.get(pk=held_at_customs[1].pk).state == CaseState.ANSWERED


def test_linking_and_unlinking_are_moves_recorded_on_both_sides(
    client_for, city_commissioner, held_at_customs, log
):
    city = client_for(city_commissioner)
    issue = _raise(city, held_at_customs[:1]).json()
    late = held_at_customs[1]
    linked = city.post(f"/api/policy-issues/{issue['id']}/link/", {"case": late.pk}, format="json")
    assert linked.status_code == 200, linked.content
    assert linked.json()["case_count"] == 2
    # From the case's side: the case page's move, answered with the case.
    third = held_at_customs[2]
    from_case = city.post(
        f"/api/cases/{third.pk}/link-policy-issue/", {"policy_issue": issue["id"]}, format="json"
    )
    assert from_case.status_code == 200, from_case.content
    assert from_case.json()["policy_issue"] == issue["id"]

    refused = city.post(
        f"/api/policy-issues/{issue['id']}/unlink/", {"case": late.pk, "reason": ""}, format="json"
    )
    assert refused.status_code == 400
    assert Case.objects.get(pk=late.pk).policy_issue_id == issue["id"]
    unlinked = city.post(
        f"/api/policy-issues/{issue['id']}/unlink/",
        {"case": late.pk, "reason": "A different reagent: handled on its own."},
        format="json",
    )
    assert unlinked.status_code == 200, unlinked.content
    assert Case.objects.get(pk=late.pk).policy_issue_id is None
    event = CaseEvent.objects.filter(case=late).last()
    assert (event.action, event.reason, event.changes) == (
        "unlink_policy_issue",
        "A different reagent: handled on its own.",
        {"policy_issue": [issue["id"], None]},
    )
    assert PolicyIssueEvent.objects.filter(issue_id=issue["id"]).last().changes == {"case": late.pk}

    other = _raise(city, [held_at_customs[0]])
    assert other.status_code == 409
    assert PolicyIssue.objects.count() == 1  # nothing half-written


def test_a_confidential_case_does_not_join_an_issue(client_for, city_commissioner, log):
    secret = log("海关滞留样品（保密）", is_confidential=True)
    answer = _raise(client_for(city_commissioner), [secret])
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["attr"] == "case"
    assert not PolicyIssue.objects.exists()


def test_the_issue_is_not_routed_away_from_the_bureau_already_handling_a_case(
    client_for, city_commissioner, held_at_customs
):
    city = client_for(city_commissioner)
    issue = _raise(city, held_at_customs[:2]).json()
    elsewhere = held_at_customs[2]
    dispatched_elsewhere = city.post(
        f"/api/cases/{elsewhere.pk}/dispatch/",
        {"lead_bureau": "sh-science-technology", "override_reason": "Science leads this one."},
        format="json",
    )
    assert dispatched_elsewhere.status_code == 200
    assert (
        city.post(
            f"/api/policy-issues/{issue['id']}/link/", {"case": elsewhere.pk}, format="json"
        ).status_code
        == 200
    )
    answer = city.post(
        f"/api/policy-issues/{issue['id']}/dispatch/", {"lead_bureau": "sh-customs"}, format="json"
    )
    assert answer.status_code == 400
    assert f"#{elsewhere.pk}" in answer.json()["errors"][0]["detail"]
    assert PolicyIssue.objects.get(pk=issue["id"]).state == "open"
    assert Case.objects.get(pk=held_at_customs[0].pk).state == CaseState.SUBMITTED


def test_who_may_do_what(client_for, city_commissioner, customs_staff, xuhui_commissioner, held_at_customs):
    assert _raise(client_for(xuhui_commissioner), held_at_customs[:1]).status_code == 403
    issue = _raise(client_for(city_commissioner), held_at_customs).json()
    # Bureaus see an issue only once it is routed to them.
    assert client_for(customs_staff).get(f"/api/policy-issues/{issue['id']}/").status_code == 404
    lead, co = _proposal(issue["id"])
    client_for(city_commissioner).post(
        f"/api/policy-issues/{issue['id']}/dispatch/", {"lead_bureau": lead, "co_bureaus": co}, format="json"
    )
    customs = client_for(customs_staff)
    assert customs.get(f"/api/policy-issues/{issue['id']}/").status_code == 200
    assert (
        customs.post(
            f"/api/policy-issues/{issue['id']}/withdraw/", {"reason": "x"}, format="json"
        ).status_code
        == 403
    )
    early = customs.post(
        f"/api/policy-issues/{issue['id']}/answer/",
        {"answer_text": "x", "answer_outcome": "solved"},
        format="json",
    )
    assert early.status_code == 409  # accept first
    assert PolicyIssue.objects.get(pk=issue["id"]).state == "dispatched"


def test_each_reader_sees_the_issue_and_only_the_cases_they_may_see(
    client_for, city_commissioner, pudong_commissioner, science_staff, manager, held_at_customs
):
    issue = _raise(client_for(city_commissioner), held_at_customs).json()
    pudong = client_for(pudong_commissioner).get(f"/api/policy-issues/{issue['id']}/")
    assert pudong.status_code == 200
    assert [c["id"] for c in pudong.json()["cases"]] == [held_at_customs[2].pk]
    assert pudong.json()["case_count"] == 3
    assert pudong.json()["allowed_moves"] == []
    assert len(client_for(manager).get(f"/api/policy-issues/{issue['id']}/").json()["cases"]) == 3
    assert client_for(science_staff).get(f"/api/policy-issues/{issue['id']}/").status_code == 404
    assert client_for(science_staff).get("/api/policy-issues/").json()["count"] == 0


def test_candidates_are_similar_cases_of_the_measure_not_yet_in_an_issue(
    client_for, city_commissioner, held_at_customs, log
):
    city = client_for(city_commissioner)
    issue = _raise(city, held_at_customs[:1]).json()
    other_measure = log("科研试剂通关时间过长", number=7)
    answer = city.get(f"/api/policy-issues/{issue['id']}/candidates/")
    assert answer.status_code == 200
    ids = [row["id"] for row in answer.json()]
    assert set(ids) == {held_at_customs[1].pk, held_at_customs[2].pk}
    assert other_measure.pk not in ids


def test_an_overdue_issue_is_escalated_once_per_deadline(
    client_for, city_commissioner, customs_staff, held_at_customs
):
    city = client_for(city_commissioner)
    issue = _raise(city, held_at_customs).json()
    lead, co = _proposal(issue["id"])
    city.post(
        f"/api/policy-issues/{issue['id']}/dispatch/", {"lead_bureau": lead, "co_bureaus": co}, format="json"
    )
    today = local_today()
    PolicyIssue.objects.filter(pk=issue["id"]).update(answer_due_on=today - timedelta(days=1))

    assert policy_issues.escalate_overdue_policy_issues(today=today) == 1
    assert policy_issues.escalate_overdue_policy_issues(today=today) == 0
    escalated = PolicyIssue.objects.get(pk=issue["id"])
    assert escalated.is_supervised and escalated.escalated_due_on == today - timedelta(days=1)
    assert PolicyIssueEvent.objects.filter(issue=escalated, action="escalate", actor=None).count() == 1
    for user in (city_commissioner, customs_staff):
        assert Notification.objects.filter(recipient=user, kind=K.POLICY_ISSUE_OVERDUE).count() == 1


def test_withdrawing_the_issue_hands_each_case_back(client_for, city_commissioner, held_at_customs):
    city = client_for(city_commissioner)
    issue = _raise(city, held_at_customs).json()
    answer = city.post(
        f"/api/policy-issues/{issue['id']}/withdraw/", {"reason": "Three separate problems."}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "withdrawn"
    assert not Case.objects.filter(policy_issue_id=issue["id"]).exists()
    assert all(
        CaseEvent.objects.filter(case=c).last().action == "unlink_policy_issue" for c in held_at_customs
    )


def test_reads_are_a_fixed_number_of_queries(
    client_for, city_commissioner, held_at_customs, log, django_assert_max_num_queries
):
    city = client_for(city_commissioner)
    issue = _raise(city, held_at_customs).json()
    _raise(city, [log("另一个海关问题")])
    with django_assert_max_num_queries(12):
        assert city.get(f"/api/policy-issues/{issue['id']}/").status_code == 200
    with django_assert_max_num_queries(6):
        assert city.get("/api/policy-issues/").json()["count"] == 2


def test_co_handlers_contribute_the_city_supervises_and_a_stale_edit_is_refused(
    client_for, city_commissioner, customs_staff, held_at_customs
):
    city = client_for(city_commissioner)
    issue = _raise(city, held_at_customs).json()
    lead, co = _proposal(issue["id"])
    assert co, "measure 3 names co-handling units"
    co_staff = UserFactory(role=Role.BUREAU_STAFF, bureau=bureau(co[0]))
    dispatched = city.post(
        f"/api/policy-issues/{issue['id']}/dispatch/", {"lead_bureau": lead, "co_bureaus": co}, format="json"
    )
    assert dispatched.status_code == 200, dispatched.content
    # Told when it was dispatched, as a co-handler.
    told = Notification.objects.get(recipient=co_staff, kind=K.POLICY_ISSUE_DISPATCHED)
    assert told.params["role"] == "co"

    co_client = client_for(co_staff)
    not_theirs = co_client.post(
        f"/api/policy-issues/{issue['id']}/answer/",
        {"answer_text": "x", "answer_outcome": "solved"},
        format="json",
    )
    assert not_theirs.status_code == 403
    contributed = co_client.post(
        f"/api/policy-issues/{issue['id']}/contribute/",
        {"contribution": "Biosafety review in 5 days."},
        format="json",
    )
    assert contributed.status_code == 200, contributed.content
    assert contributed.json()["history"][-1]["changes"] == {"bureau": co[0]}

    for _ in range(2):  # the second is refused: it is under supervision already
        supervised = city.post(
            f"/api/policy-issues/{issue['id']}/supervise/", {"note": "Weeks late."}, format="json"
        )
    assert supervised.status_code == 409
    assert PolicyIssue.objects.get(pk=issue["id"]).supervision_note == "Weeks late."
    assert Notification.objects.filter(recipient=customs_staff, kind=K.POLICY_ISSUE_SUPERVISED).count() == 1

    client_for(customs_staff).post(f"/api/policy-issues/{issue['id']}/accept/")
    answered = client_for(customs_staff).post(
        f"/api/policy-issues/{issue['id']}/answer/",
        {"answer_text": "Fast track.", "answer_outcome": "solved"},
        format="json",
    )
    assert answered.json()["history"][-1]["changes"]["contributions"] == [co[0]]
    assert Case.objects.get(pk=held_at_customs[0].pk).answer_contributions == {co[0]: "contributed"}

    other = _raise(city, [], title="Another issue").json()
    stale = city.get(f"/api/policy-issues/{other['id']}/")["ETag"]
    assert (
        city.patch(f"/api/policy-issues/{other['id']}/", {"title": "Renamed"}, format="json").status_code
        == 200
    )
    refused = city.patch(
        f"/api/policy-issues/{other['id']}/", {"title": "Lost?"}, format="json", HTTP_IF_MATCH=stale
    )
    assert refused.status_code == 412
    assert PolicyIssue.objects.get(pk=other["id"]).title == "Renamed"
