"""The whole mechanism: who is told of each move (once), the city's rulings on returns and appeals,
co-handlers' contributions before the answer, referrals confirmed by a call-back, supervision
replies, and call-backs that cannot reach the centre."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from cases import rules, services
from cases.models import (
    Appeal,
    Assignment,
    CallbackAttempt,
    Case,
    CaseEvent,
    CaseFigureMonth,
    CaseState,
    Supervision,
)
from cases.services import scheduling
from centres.models import FollowUp
from commissioners.models import Notification, NotificationKind, Role
from core.errors import Conflict
from tests.factories import UserFactory, bureau, shanghai_measure

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
K = NotificationKind
# National Day 2024: 1-7 October are holidays, Sunday 29 September and Saturday 12 October are worked.
BEFORE_NATIONAL_DAY = date(2024, 9, 30)


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


def told(user, kind: str | None = None) -> list[Notification]:
    rows = Notification.objects.filter(recipient=user).order_by("id")
    return list(rows.filter(kind=kind) if kind else rows)


def kinds(user) -> list[str]:
    return [n.kind for n in told(user)]


@pytest.fixture
def people(xuhui_commissioner, city_commissioner, science_staff, finance_staff):
    leader = UserFactory(username="leader", role=Role.MANAGER)
    return {
        "district": xuhui_commissioner,
        "city": city_commissioner,
        "lead": science_staff,
        "co": finance_staff,
        "leadership": leader,
    }


def log(people, centre, **extra) -> Case:
    return services.case_submit(
        actor=people["district"],
        centre=centre,
        measure=shanghai_measure(1),
        title="Customs hold on reagents",
        description="Imported reagents have been held for three weeks.",
        **extra,
    )


def dispatch(people, case, *, co=True) -> Case:
    return services.case_dispatch(
        case=case,
        actor=people["city"],
        lead_bureau=bureau("sh-science-technology"),
        co_bureaus=[bureau("sh-finance")] if co else [],
        override_reason="As routed.",
    )


def in_progress(people, centre) -> Case:
    case = dispatch(people, log(people, centre))
    case = services.case_accept(case=case, actor=people["lead"])
    return services.case_accept_assignment(case=case, actor=people["co"])


# --- Notifications --------------------------------------------------------------------


def test_every_move_tells_the_people_who_must_act_or_want_to_know_once_each(people, xuhui_centre):
    with at(BEFORE_NATIONAL_DAY):
        case = log(people, xuhui_centre)
        assert kinds(people["city"]) == [K.CASE_LOGGED]
        assert told(people["city"])[0].params["due_on"] == "2024-10-09"  # triage: 2 working days

        case = dispatch(people, case)
        [to_lead], [to_co] = told(people["lead"]), told(people["co"])
        assert (to_lead.kind, to_lead.params["role"]) == (K.CASE_DISPATCHED, "lead")
        assert (to_co.kind, to_co.params["role"]) == (K.CASE_DISPATCHED, "co")

        case = services.case_accept(case=case, actor=people["lead"])
        assert kinds(people["district"]) == [K.CASE_ACCEPTED]

        case = services.case_accept_assignment(case=case, actor=people["co"])
        case = services.case_contribute(case=case, actor=people["co"], contribution="Funds are available.")
        assert kinds(people["lead"]) == [K.CASE_DISPATCHED, K.CONTRIBUTION_RECEIVED]

        case = services.case_request_extension(
            case=case, actor=people["lead"], working_days=5, reason="Waiting for the ministry."
        )
        assert told(people["city"], K.EXTENSION_REQUESTED)[0].params["reason"] == "Waiting for the ministry."
        case = services.case_decide_extension(case=case, actor=people["city"], approve=True)
        assert len(told(people["district"], K.EXTENSION_DECIDED)) == 1
        assert told(people["lead"], K.EXTENSION_DECIDED)[0].params["approved"] is True

        case = services.case_supervise(case=case, actor=people["city"], note="Chase the funding.")
        opened = told(people["lead"], K.SUPERVISION_OPENED)
        assert len(opened) == 1 and opened[0].params["due_on"] == "2024-10-10"  # 3 working days
        assert len(told(people["city"], K.SUPERVISION_OPENED)) == 1
        case = services.case_reply_supervision(case=case, actor=people["lead"], reply="Approved on Monday.")
        assert told(people["city"], K.SUPERVISION_REPLIED)[0].params["reason"] == "Approved on Monday."

        services.case_answer(
            case=case, actor=people["lead"], answer_text="Approved.", answer_outcome="solved"
        )
        assert kinds(people["district"]) == [K.CASE_ACCEPTED, K.EXTENSION_DECIDED, K.CASE_ANSWERED]

    # Nobody was told twice of one event, and nobody outside the case was told at all.
    keys = list(Notification.objects.values_list("recipient_id", "key"))
    assert len(keys) == len(set(keys))


def test_the_database_keeps_one_notification_per_recipient_and_event(people):
    Notification.objects.create(recipient=people["city"], kind=K.CASE_LOGGED, key="case_logged:1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=people["city"], kind=K.CASE_LOGGED, key="case_logged:1")


# --- Triage and returns ---------------------------------------------------------------


def test_a_logged_case_not_dispatched_by_its_triage_deadline_is_escalated_once(people, xuhui_centre):
    with at(BEFORE_NATIONAL_DAY):
        case = log(people, xuhui_centre)
    assert case.triage_due_on == date(2024, 10, 9)  # the holiday does not count
    from cases.services import clocks

    with at(date(2024, 10, 9)):
        assert clocks.escalate_overdue_triage(today=date(2024, 10, 9)) == 0
    for _ in range(2):
        clocks.escalate_overdue_triage(today=date(2024, 10, 10))
    assert len(told(people["city"], K.TRIAGE_OVERDUE)) == 1
    assert CaseEvent.objects.filter(case=case, action="triage_overdue").count() == 1


def test_an_upheld_return_is_re_dispatched_and_not_counted_against_the_bureau(people, xuhui_centre):
    with at(BEFORE_NATIONAL_DAY):
        case = dispatch(people, log(people, xuhui_centre))
        case = services.case_return(case=case, actor=people["lead"], reason="Not ours: a customs matter.")
        returned = told(people["city"], K.CASE_RETURNED)[0]
        assert returned.params["reason"] == "Not ours: a customs matter."
        assert case.return_pending and case.state == CaseState.SUBMITTED
        # No re-dispatch before the ruling.
        with pytest.raises(Conflict):
            dispatch(people, case)
        case = services.case_rule_return(
            case=case, actor=people["city"], upheld=True, reason="Customs leads."
        )
    assert case.state == CaseState.SUBMITTED and not case.return_pending
    ruled = Assignment.objects.get(case=case, status=Assignment.Status.RETURNED)
    assert ruled.return_ruling == "upheld"
    assert not case.assignments.filter(is_current=True).exists()
    assert told(people["lead"], K.RETURN_RULED)[0].params["upheld"] is True
    science = bureau("sh-science-technology").pk
    figures = CaseFigureMonth.objects.filter(bureau_id=science)
    assert sum(row.assignments for row in figures) == 0
    assert sum(row.assignments_returned for row in figures) == 0
    assert rules.may("dispatch", case, people["city"])


def test_a_rejected_return_goes_back_to_the_bureau_on_the_deadlines_it_had(people, xuhui_centre):
    with at(BEFORE_NATIONAL_DAY):
        case = dispatch(people, log(people, xuhui_centre))
        accept_due, answer_due = case.accept_due_on, case.answer_due_on
    with at(date(2024, 10, 9)):
        case = services.case_return(case=case, actor=people["lead"], reason="Not ours.")
        case = services.case_rule_return(
            case=case, actor=people["city"], upheld=False, reason="Measure 1 is the science bureau's."
        )
    assert case.state == CaseState.DISPATCHED
    assert (case.lead_bureau.code, case.accept_due_on, case.answer_due_on) == (
        "sh-science-technology",
        accept_due,
        answer_due,
    )
    lead = case.assignments.get(is_current=True, is_lead=True)
    assert (lead.status, lead.accept_due_on) == (Assignment.Status.PENDING, accept_due)
    # The co-handler, released while the return waited (it had not accepted), is asked again.
    co = case.assignments.get(is_current=True, is_lead=False)
    assert (co.bureau.code, co.status, co.accept_due_on) == (
        "sh-finance",
        Assignment.Status.PENDING,
        accept_due,
    )
    assert case.events.get(action="rule_return").changes["co_bureaus"] == ["sh-finance"]
    science = bureau("sh-science-technology").pk
    assert sum(row.assignments_returned for row in CaseFigureMonth.objects.filter(bureau_id=science)) == 1
    assert services.case_accept(case=case, actor=people["lead"]).state == CaseState.IN_PROGRESS


def test_a_ruling_needs_a_choice_and_a_reason_and_only_a_city_commissioner_rules(people, xuhui_centre):
    case = dispatch(people, log(people, xuhui_centre))
    case = services.case_return(case=case, actor=people["lead"], reason="Not ours.")
    with pytest.raises(ValidationError):
        services.case_rule_return(case=case, actor=people["city"], upheld=None, reason="x")
    with pytest.raises(ValidationError):
        services.case_rule_return(case=case, actor=people["city"], upheld=True, reason=" ")
    with pytest.raises(PermissionDenied):
        services.case_rule_return(case=case, actor=people["lead"], upheld=True, reason="x")
    case.refresh_from_db()
    assert case.return_pending


# --- Co-handlers ----------------------------------------------------------------------


def test_the_lead_answers_only_after_each_co_handler_contributed_and_the_answer_says_so(people, xuhui_centre):
    with at(BEFORE_NATIONAL_DAY):
        case = in_progress(people, xuhui_centre)
        co = case.assignments.get(is_lead=False)
        assert co.contribute_due_on == date(2024, 10, 18)  # 10 working days, the 12th worked
        with pytest.raises(Conflict):
            services.case_answer(
                case=case, actor=people["lead"], answer_text="Done.", answer_outcome="solved"
            )
        case = services.case_contribute(case=case, actor=people["co"], contribution="Funds approved.")
        case = services.case_answer(
            case=case, actor=people["lead"], answer_text="Done.", answer_outcome="solved"
        )
    assert case.answer_contributions == {"sh-finance": "contributed"}


def test_the_lead_may_answer_without_a_contribution_once_its_deadline_passed(people, xuhui_centre):
    with at(BEFORE_NATIONAL_DAY):
        case = in_progress(people, xuhui_centre)
    with at(date(2024, 10, 22)):
        case = services.case_answer(
            case=case, actor=people["lead"], answer_text="Done.", answer_outcome="solved"
        )
    assert case.answer_contributions == {"sh-finance": "deadline_passed"}
    event = case.events.get(action="answer")
    assert event.changes["contributions"] == {"sh-finance": "deadline_passed"}


def test_a_co_handler_is_reminded_then_escalated_once_across_national_day(people, xuhui_centre):
    from cases.services import clocks

    with at(date(2024, 9, 20)):
        case = in_progress(people, xuhui_centre)
    Assignment.objects.filter(case=case, is_lead=False).update(contribute_due_on=date(2024, 10, 8))
    with at(BEFORE_NATIONAL_DAY):  # the last working day before the due date
        scheduling.remind_upcoming_deadlines(today=BEFORE_NATIONAL_DAY)
    assert [n.params["due_on"] for n in told(people["co"], K.CONTRIBUTION_DUE)] == ["2024-10-08"]
    assert clocks.escalate_overdue_co_handling(today=date(2024, 10, 8)) == 0
    for _ in range(2):
        clocks.escalate_overdue_co_handling(today=date(2024, 10, 9))
    [overdue] = told(people["co"], K.CASE_OVERDUE)
    assert overdue.params["role"] == "co"
    assert len(told(people["city"], K.CASE_OVERDUE)) == 1
    assert told(people["lead"], K.CASE_OVERDUE) == []


def test_a_confidential_case_goes_to_the_lead_alone(people, xuhui_centre):
    case = log(people, xuhui_centre, is_confidential=True)
    assert [row.is_lead for row in services.case_routing_proposal(case=case)] == [True]
    with pytest.raises(ValidationError) as error:
        dispatch(people, case)
    assert "co_bureaus" in error.value.message_dict
    dispatched = dispatch(people, case, co=False)
    assert [a.bureau.code for a in dispatched.assignments.all()] == ["sh-science-technology"]
    assert told(people["co"]) == []


def test_making_a_case_confidential_takes_the_co_handlers_off_it(people, xuhui_centre):
    case = dispatch(people, log(people, xuhui_centre))
    case = services.case_edit(case=case, actor=people["district"], is_confidential=True)
    co = Assignment.objects.get(case=case, is_lead=False)
    assert (co.is_current, co.status) == (False, Assignment.Status.RELEASED)
    assert case.events.get(action="edit").changes["co_bureaus_released"] == ["sh-finance"]
    finance = bureau("sh-finance").pk
    assert sum(row.assignments for row in CaseFigureMonth.objects.filter(bureau_id=finance)) == 0


# --- Referrals ------------------------------------------------------------------------


def test_a_referral_is_chased_and_its_outcome_confirmed_in_a_call_back(people, xuhui_centre):
    from cases.services import clocks

    with at(BEFORE_NATIONAL_DAY):
        case = services.case_refer_up(
            case=log(people, xuhui_centre),
            actor=people["city"],
            department=bureau("mofcom"),
            note="National.",
        )
    assert case.referral_due_on == date(2024, 11, 1)  # 20 working days
    clocks.chase_referrals(today=date(2024, 10, 31))
    assert len(told(people["city"], K.REFERRAL_FOLLOW_UP_DUE)) == 1
    for _ in range(2):
        clocks.chase_referrals(today=date(2024, 11, 4))
    assert len(told(people["city"], K.REFERRAL_OVERDUE)) == 1
    assert len(told(people["leadership"], K.REFERRAL_OVERDUE)) == 1

    with at(date(2024, 11, 4)):
        case = services.case_follow_up_referral(
            case=case,
            actor=people["city"],
            note="The ministry answers this week.",
            next_due_on=date(2024, 11, 8),
        )
        assert case.referral_due_on == date(2024, 11, 8)
        assert case.events.get(action="follow_up_referral").changes["referral_due_on"] == [
            "2024-11-01",
            "2024-11-08",
        ]
        case = services.case_record_referral_outcome(case=case, actor=people["city"], outcome="Granted.")
        assert (case.state, case.answer_outcome) == (CaseState.ANSWERED, "referred")
        assert told(people["district"], K.REFERRAL_OUTCOME)[0].params["reason"] == "Granted."
        scheduling.open_callback_follow_ups(case_ids=[case.pk])
        assert FollowUp.objects.filter(case=case, kind=FollowUp.Kind.CALLBACK).count() == 1
        # Not resolved: back to the city, which follows the referral up again.
        case = services.case_record_callback(
            case=case, actor=people["district"], resolved=False, satisfaction="unsatisfied"
        )
        assert case.state == CaseState.REFERRED_UP and case.referral_due_on == date(2024, 12, 2)
        case = services.case_record_referral_outcome(case=case, actor=people["city"], outcome="Granted now.")
        case = services.case_record_callback(
            case=case, actor=people["district"], resolved=True, satisfaction="satisfied"
        )
    assert case.state == CaseState.CLOSED


def test_a_referral_outcome_counts_against_no_city_bureau(people, xuhui_centre):
    with at(BEFORE_NATIONAL_DAY):
        case = services.case_accept(case=dispatch(people, log(people, xuhui_centre)), actor=people["lead"])
        case = services.case_refer_up(case=case, actor=people["city"], department=bureau("mofcom"), note="N.")
        services.case_record_referral_outcome(case=case, actor=people["city"], outcome="Granted.")
    science = bureau("sh-science-technology").pk
    assert sum(row.answered for row in CaseFigureMonth.objects.filter(bureau_id=science)) == 0
    assert sum(row.answered for row in CaseFigureMonth.objects.filter(bureau_id=0)) == 1


# --- Supervision (督办) -----------------------------------------------------------------


def test_an_unanswered_supervision_goes_up_to_the_leadership_then_is_reported_again(people, xuhui_centre):
    from cases.services import clocks

    with at(BEFORE_NATIONAL_DAY):
        case = in_progress(people, xuhui_centre)
        case = services.case_supervise(case=case, actor=people["city"], note="Chase it.")
    supervision = Supervision.objects.get(case=case)
    assert (supervision.bureau.code, supervision.due_on, supervision.level) == (
        "sh-science-technology",
        date(2024, 10, 10),
        "city",
    )
    clocks.chase_supervisions(today=date(2024, 10, 10))
    assert len(told(people["lead"], K.SUPERVISION_DUE)) == 1
    for _ in range(2):
        clocks.chase_supervisions(today=date(2024, 10, 11))
    supervision.refresh_from_db()
    assert (supervision.level, supervision.due_on) == ("leadership", date(2024, 10, 15))  # the 12th is worked
    for person in ("lead", "city", "leadership"):
        assert len(told(people[person], K.SUPERVISION_OVERDUE)) == 1
    assert CaseEvent.objects.filter(case=case, action="supervision_escalated").count() == 1

    clocks.chase_supervisions(today=date(2024, 10, 17))
    supervision.refresh_from_db()
    assert supervision.level == "leadership"
    assert len(told(people["leadership"], K.SUPERVISION_OVERDUE)) == 2

    case = services.case_reply_supervision(case=case, actor=people["lead"], reply="Done at last.")
    assert Supervision.objects.get(pk=supervision.pk).reply == "Done at last."
    with pytest.raises(Conflict):
        services.case_reply_supervision(case=case, actor=people["lead"], reply="Again.")


def test_only_the_supervised_lead_replies_and_a_reply_needs_text(people, xuhui_centre):
    case = services.case_supervise(
        case=in_progress(people, xuhui_centre), actor=people["city"], note="Chase."
    )
    with pytest.raises(PermissionDenied):
        services.case_reply_supervision(case=case, actor=people["co"], reply="Not mine.")
    with pytest.raises(ValidationError):
        services.case_reply_supervision(case=case, actor=people["lead"], reply="  ")


# --- Appeals (申诉核减) -----------------------------------------------------------------


def test_an_upheld_appeal_excludes_the_case_from_the_bureaus_rates(people, xuhui_centre):
    case = in_progress(people, xuhui_centre)
    case = services.case_appeal(case=case, actor=people["lead"], reason="The request is unreasonable.")
    assert told(people["city"], K.APPEAL_FILED)[0].params["reason"] == "The request is unreasonable."
    with pytest.raises(Conflict):
        services.case_appeal(case=case, actor=people["lead"], reason="Again.")
    appeal = Appeal.objects.get(case=case)
    with pytest.raises(PermissionDenied):
        services.case_decide_appeal(
            case=case, actor=people["lead"], appeal_id=appeal.pk, upheld=True, reason="x"
        )
    case = services.case_decide_appeal(
        case=case, actor=people["city"], appeal_id=appeal.pk, upheld=True, reason="It asks for a law change."
    )
    assert case.excluded_from_rates
    assert Assignment.objects.get(case=case, is_lead=True).excluded_from_rates
    assert not Assignment.objects.get(case=case, is_lead=False).excluded_from_rates
    assert told(people["lead"], K.APPEAL_DECIDED)[0].params["upheld"] is True
    assert not rules.may("appeal", case, people["lead"])  # upheld stands
    assert rules.may("appeal", case, people["co"])


def test_a_rejected_appeal_changes_nothing_but_its_status(people, xuhui_centre):
    case = services.case_appeal(
        case=in_progress(people, xuhui_centre), actor=people["co"], reason="Not ours."
    )
    appeal = Appeal.objects.get(case=case)
    with pytest.raises(ValidationError):
        services.case_decide_appeal(
            case=case, actor=people["city"], appeal_id=appeal.pk + 1, upheld=True, reason="x"
        )
    case = services.case_decide_appeal(
        case=case, actor=people["city"], appeal_id=appeal.pk, upheld=False, reason="It is yours."
    )
    appeal.refresh_from_db()
    assert appeal.status == "rejected" and not case.excluded_from_rates
    assert not Assignment.objects.filter(case=case, excluded_from_rates=True).exists()
    assert rules.may("appeal", case, people["co"])  # a new appeal may follow


# --- Call-backs that cannot reach the centre --------------------------------------------


def test_a_call_back_that_cannot_reach_the_centre_is_retried_and_reported_after_three_tries(
    people, xuhui_centre
):
    with at(BEFORE_NATIONAL_DAY):
        case = services.case_contribute(
            case=in_progress(people, xuhui_centre), actor=people["co"], contribution="Yes."
        )
        case = services.case_answer(
            case=case, actor=people["lead"], answer_text="Done.", answer_outcome="solved"
        )
        scheduling.open_callback_follow_ups(case_ids=[case.pk])
        case = services.case_record_callback(
            case=case, actor=people["district"], reached=False, note="No answer."
        )
    assert case.state == CaseState.ANSWERED and case.callback_attempts == 1
    follow_up = FollowUp.objects.get(case=case, kind=FollowUp.Kind.CALLBACK)
    assert follow_up.due_on == date(2024, 10, 8)  # the next working day after the holiday
    assert follow_up.closed_at is None
    with at(date(2024, 10, 8)):
        for _ in range(2):
            case = services.case_record_callback(case=case, actor=people["district"], reached=False)
    # The call-back's first notice, then one per try with the day it is tried again.
    assert [n.key.split(":")[0] for n in told(people["district"], K.CALLBACK_DUE)] == [
        "callback_due",
        "callback_retry",
        "callback_retry",
        "callback_retry",
    ]
    [reported] = told(people["city"], K.CALLBACK_UNREACHABLE)
    assert reported.params["count"] == 3
    with at(date(2024, 10, 9)):
        case = services.case_record_callback(
            case=case, actor=people["district"], resolved=True, satisfaction="satisfied"
        )
    assert case.state == CaseState.CLOSED and case.callback_attempts == 0
    assert list(CallbackAttempt.objects.filter(case=case).values_list("reached", flat=True)) == [
        False,
        False,
        False,
        True,
    ]
    assert [e.changes.get("reached") for e in case.events.filter(action="callback")] == [
        False,
        False,
        False,
        None,
    ]


def test_a_reached_call_back_still_needs_its_outcome(people, xuhui_centre):
    case = services.case_contribute(
        case=in_progress(people, xuhui_centre), actor=people["co"], contribution="Y"
    )
    case = services.case_answer(case=case, actor=people["lead"], answer_text="Done.", answer_outcome="solved")
    with pytest.raises(ValidationError) as error:
        services.case_record_callback(case=case, actor=people["district"], reached=True)
    assert set(error.value.message_dict) == {"resolved", "satisfaction"}
    assert not CallbackAttempt.objects.filter(case=case).exists()


# --- Through the API --------------------------------------------------------------------


def test_the_new_moves_are_in_the_api(client_for, people, xuhui_centre):
    case = dispatch(people, log(people, xuhui_centre))
    lead, city = client_for(people["lead"]), client_for(people["city"], "zh-hans")
    assert (
        lead.post(f"/api/cases/{case.pk}/return/", {"reason": "Not ours."}, format="json").status_code == 200
    )
    detail = city.get(f"/api/cases/{case.pk}/").json()
    assert "rule_return" in detail["allowed_moves"] and "dispatch" not in detail["allowed_moves"]
    missing = city.post(f"/api/cases/{case.pk}/rule-return/", {"reason": "x"}, format="json")
    assert missing.status_code == 400
    assert [e["attr"] for e in missing.json()["errors"]] == ["upheld"]
    ruled = city.post(
        f"/api/cases/{case.pk}/rule-return/", {"upheld": False, "reason": "Yours."}, format="json"
    )
    assert ruled.status_code == 200, ruled.content
    body = ruled.json()
    assert body["state"] == "dispatched"
    assert [a["return_ruling"] for a in body["assignments"] if a["status"] == "returned"] == ["rejected"]
    assert lead.post(f"/api/cases/{case.pk}/accept/").status_code == 200
    appealed = lead.post(f"/api/cases/{case.pk}/appeal/", {"reason": "Unreasonable."}, format="json")
    assert appealed.status_code == 200
    appeal_id = appealed.json()["appeals"][0]["id"]
    decided = city.post(
        f"/api/cases/{case.pk}/decide-appeal/",
        {"appeal": appeal_id, "upheld": True, "reason": "Agreed."},
        format="json",
    )
    assert decided.status_code == 200 and decided.json()["excluded_from_rates"] is True


def test_the_city_finds_its_work_with_the_list_filters(client_for, people, xuhui_centre):
    with at(BEFORE_NATIONAL_DAY):
        waiting = log(people, xuhui_centre)
        dispatched = dispatch(people, log(people, xuhui_centre))
    with at(date(2024, 10, 9)):
        returned = services.case_return(case=dispatched, actor=people["lead"], reason="Not ours.")
        appealed = services.case_appeal(
            case=in_progress(people, xuhui_centre), actor=people["lead"], reason="No."
        )
    city = client_for(people["city"])

    def ids(**params):
        response = city.get("/api/cases/", params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(return_pending="true") == {returned.pk}
    assert ids(appeal_pending="true") == {appealed.pk}
    with at(date(2024, 10, 10)):
        assert ids(triage_overdue="true") == {waiting.pk}  # the returned one is due later
    assert city.get("/api/cases/", {"return_pending": "perhaps"}).status_code == 400
