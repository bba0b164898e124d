"""Moves at the same moment on real concurrent connections: conflicting ones end in one
success and one 409 with one line of history; moves that do not conflict both land."""

import itertools

import pytest

from cases.models import Case, CaseEvent, CaseState, Supervision
from cases.services import case_accept, case_accept_assignment, case_return, case_supervise
from commissioners.models import Role
from core.errors import Conflict
from tests.concurrency import race
from tests.factories import CentreFactory, UserFactory, bureau, district

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def dispatched():
    from cases.services import case_dispatch, case_submit
    from tests.factories import shanghai_measure

    commissioner = UserFactory(role=Role.DISTRICT_COMMISSIONER, district=district("xuhui"))
    city = UserFactory(role=Role.CITY_COMMISSIONER)
    centre = CentreFactory(district=district("xuhui"))
    case = case_submit(
        actor=commissioner, centre=centre, measure=shanghai_measure(1), title="t", description="d"
    )
    return case_dispatch(
        case=case, actor=city, lead_bureau=bureau("sh-science-technology"), co_bureaus=[bureau("sh-finance")]
    )


def staff(code: str):
    return UserFactory(role=Role.BUREAU_STAFF, bureau=bureau(code))


def test_accept_and_return_at_once_exactly_one_succeeds(dispatched):
    case, first, second = dispatched, staff("sh-science-technology"), staff("sh-science-technology")

    outcomes = race(
        accept=lambda: case_accept(case=case, actor=first),
        back=lambda: case_return(case=case, actor=second, reason="Not ours."),
    )

    assert sorted(outcomes.values()) == ["conflict", "ok"]
    stored = Case.objects.get(pk=case.pk)
    assert stored.state == (CaseState.IN_PROGRESS if outcomes["accept"] == "ok" else CaseState.SUBMITTED)
    assert CaseEvent.objects.filter(case=case, action__in=["accept", "return"]).count() == 1


def test_two_supervisions_at_once_open_one(dispatched):
    case = dispatched
    city = [UserFactory(role=Role.CITY_COMMISSIONER) for _ in range(2)]

    outcomes = race(
        **{
            f"city{n}": lambda n=n: case_supervise(case=case, actor=city[n], note="Watch it.")
            for n in range(2)
        }
    )

    assert sorted(outcomes.values()) == ["conflict", "ok"]
    assert Supervision.objects.filter(case=case).count() == 1
    assert CaseEvent.objects.filter(case=case, action="supervise").count() == 1


def test_the_lead_and_a_co_handler_accepting_at_once_both_land(dispatched):
    case = dispatched

    outcomes = race(
        lead=lambda: case_accept(case=case, actor=staff("sh-science-technology")),
        co=lambda: case_accept_assignment(case=case, actor=staff("sh-finance")),
    )

    assert outcomes == {"lead": "ok", "co": "ok"}
    stored = Case.objects.get(pk=case.pk)
    assert stored.state == CaseState.IN_PROGRESS
    assert set(stored.assignments.filter(is_current=True).values_list("status", flat=True)) == {"accepted"}


def test_a_move_made_on_a_stale_read_lands_when_it_is_still_allowed(dispatched):
    read_while_dispatched = Case.objects.get(pk=dispatched.pk)
    case_accept(case=Case.objects.get(pk=dispatched.pk), actor=staff("sh-science-technology"))

    case_accept_assignment(case=read_while_dispatched, actor=staff("sh-finance"))

    assert dispatched.assignments.get(is_lead=False, is_current=True).status == "accepted"


def test_a_move_made_on_a_stale_read_that_is_no_longer_allowed_is_a_conflict(dispatched):
    read_while_dispatched = Case.objects.get(pk=dispatched.pk)
    case_return(
        case=Case.objects.get(pk=dispatched.pk), actor=staff("sh-science-technology"), reason="Not ours."
    )

    with pytest.raises(Conflict):
        case_accept(case=read_while_dispatched, actor=staff("sh-science-technology"))


def test_uploads_and_comments_racing_moves_leave_an_unbroken_history_chain(dispatched, settings, tmp_path):
    """Each history entry records the state under the case's row lock, so every entry leaves from
    the state the one before it arrived at, whatever commits meanwhile."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.services import case_add_attachment, case_add_comment, case_answer

    settings.MEDIA_ROOT = tmp_path
    uploader = UserFactory(role=Role.CITY_COMMISSIONER)
    lead = UserFactory(role=Role.BUREAU_STAFF, bureau=bureau("sh-science-technology"))
    # The co-handlers have given their parts, so the lead may answer.
    dispatched.assignments.filter(is_lead=False).update(status="contributed")

    def upload(n):
        return lambda: case_add_attachment(
            case=dispatched,
            uploaded_by=uploader,
            upload=SimpleUploadedFile(f"note-{n}.txt", b"a note", content_type="text/plain"),
        )

    def accept_then_answer():
        case_accept(case=dispatched, actor=lead)
        case_answer(
            case=Case.objects.get(pk=dispatched.pk),
            actor=lead,
            answer_text="Done.",
            answer_outcome="solved",
        )

    def comment(n):
        return lambda: case_add_comment(case=dispatched, author=uploader, body=f"Called the centre ({n}).")

    outcomes = race(
        move=accept_then_answer,
        **{f"upload_{n}": upload(n) for n in range(8)},
        **{f"comment_{n}": comment(n) for n in range(8)},
    )
    assert set(outcomes.values()) == {"ok"}, outcomes

    events = list(CaseEvent.objects.filter(case=dispatched).order_by("id"))
    assert len([e for e in events if e.action == "attach"]) == 8
    assert len([e for e in events if e.action == "comment"]) == 8
    for before, after in itertools.pairwise(events):
        assert after.from_state == before.to_state, (
            before.action,
            before.to_state,
            after.action,
            after.from_state,
        )
    assert Case.objects.get(pk=dispatched.pk).state == CaseState.ANSWERED
    assert [e.action for e in events if e.action not in ("attach", "comment")][-2:] == ["accept", "answer"]


def test_an_upload_on_a_case_read_before_a_move_records_the_state_after_it(dispatched, settings, tmp_path):
    """The upload's request read the case before another request's move committed: its history entry
    still leaves from the state the move arrived at."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.services import case_add_attachment

    settings.MEDIA_ROOT = tmp_path
    stale = Case.objects.get(pk=dispatched.pk)
    case_accept(
        case=dispatched, actor=UserFactory(role=Role.BUREAU_STAFF, bureau=bureau("sh-science-technology"))
    )
    case_add_attachment(
        case=stale,
        uploaded_by=UserFactory(role=Role.CITY_COMMISSIONER),
        upload=SimpleUploadedFile("note.txt", b"a note", content_type="text/plain"),
    )
    accept, attach = CaseEvent.objects.filter(case=dispatched).order_by("-id")[:2][::-1]
    assert (accept.action, attach.action) == ("accept", "attach")
    assert attach.from_state == attach.to_state == accept.to_state == CaseState.IN_PROGRESS


def test_one_case_joining_two_policy_issues_at_once_joins_one():
    from cases.models import PolicyIssue, PolicyIssueEvent
    from cases.services import case_submit
    from cases.services.policy_issues import policy_issue_create, policy_issue_link_case
    from tests.factories import shanghai_measure

    commissioner = UserFactory(role=Role.DISTRICT_COMMISSIONER, district=district("xuhui"))
    city = UserFactory(role=Role.CITY_COMMISSIONER)
    case = case_submit(
        actor=commissioner,
        centre=CentreFactory(district=district("xuhui")),
        measure=shanghai_measure(3),
        title="Reagents held at customs",
        description="d",
    )
    first, second = (
        policy_issue_create(actor=city, title=f"Customs {n}", description="d", measure=shanghai_measure(3))
        for n in (1, 2)
    )

    outcomes = race(
        one=lambda: policy_issue_link_case(issue=first, actor=city, case=case.pk),
        two=lambda: policy_issue_link_case(issue=second, actor=city, case=case.pk),
    )

    assert sorted(outcomes.values()) == ["conflict", "ok"]
    joined = first if outcomes["one"] == "ok" else second
    assert Case.objects.get(pk=case.pk).policy_issue_id == joined.pk
    assert CaseEvent.objects.filter(case=case, action="link_policy_issue").count() == 1
    assert PolicyIssueEvent.objects.filter(action="link").count() == 1
    assert PolicyIssue.objects.count() == 2


def test_through_the_api_a_move_that_waited_for_the_lock_is_a_conflict(dispatched):
    # The API finds the case and locks it in one query. A request that waits there for another
    # move gets the row as that move left it; what it decides on is still the state it first saw,
    # so the accept behind a return is told of the conflict (409), not refused as another's (403).
    import threading
    import time

    from django.db import connection, transaction
    from rest_framework.test import APIClient

    from cases.services import case_return

    answers = {}

    def accept() -> None:
        client = APIClient()
        client.force_authenticate(staff("sh-science-technology"))
        answers["accept"] = client.post(f"/api/cases/{dispatched.pk}/accept/", {}, format="json")
        connection.close()

    with transaction.atomic():
        case_return(case=dispatched, actor=staff("sh-science-technology"), reason="Not ours.")
        waiting = threading.Thread(target=accept)
        waiting.start()
        for _ in range(200):  # until the accept waits for the case's lock
            with connection.cursor() as cursor:
                # The activity view is read once per transaction unless its snapshot is cleared.
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
                )
                if cursor.fetchone()[0] or answers:
                    break
            time.sleep(0.05)
        else:
            raise AssertionError(f"the accept never waited for the lock: {answers}")
    waiting.join()

    assert answers["accept"].status_code == 409, answers["accept"].content
    assert Case.objects.get(pk=dispatched.pk).state == CaseState.SUBMITTED
    assert CaseEvent.objects.filter(case=dispatched, action__in=["accept", "return"]).count() == 1
