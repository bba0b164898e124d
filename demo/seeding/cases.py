"""The demo cases, walked through the real case services: this year's in every state, last
year's moved back to their 2025 dates, and the call-back the answered one misses."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from cases import services
from cases.deadlines import due_after
from cases.models import Case, CaseState, DeadlineRule
from cases.services._base import sync_assignments
from centres.models import Centre, FollowUp
from commissioners.models import Bureau, Role, User
from demo.data.cases import CASES, CASES_2025, MISSED_CALLBACK_CASE
from demo.data.organisation import DEMO_CASE_USERS, STAFF_BY_BUREAU
from demo.seeding.measures import shanghai_measure
from demo.seeding.organisation import demo_user


def seed_cases() -> int:
    """Cases in every state, walked through the real services so their history is true."""
    users = {user.username: user for user in User.objects.filter(username__in=DEMO_CASE_USERS)}
    created = 0
    for centre_name, measure_number, title, description, final_state, urgency, confidential in CASES:
        centre = Centre.objects.get(name_en=centre_name)
        if Case.objects.filter(centre=centre, title=title).exists():
            continue
        commissioner = users[f"dc-{centre.district.code}"]
        case = services.case_submit(
            actor=commissioner,
            centre=centre,
            measure=shanghai_measure(measure_number),
            title=title,
            description=description,
            urgency=urgency,
            is_confidential=confidential,
        )
        _walk(case, final_state, commissioner=commissioner, city=users["city"], staff=users)
        created += 1
    return created


def seed_cases_2025() -> int:
    """Last year's cases, so the reviewed 2025 assessments have case figures: walked through
    the real services, then moved back to their 2025 dates (see `_backdate_2025`)."""
    users = {user.username: user for user in User.objects.filter(username__in=DEMO_CASE_USERS)}
    created = 0
    for (
        centre_name,
        measure_number,
        title,
        description,
        logged_on,
        urgency,
        answer_days,
        satisfaction,
    ) in CASES_2025:
        centre = Centre.objects.get(name_en=centre_name)
        if Case.objects.filter(centre=centre, title=title).exists():
            continue
        commissioner = users[f"dc-{centre.district.code}"]
        case = services.case_submit(
            actor=commissioner,
            centre=centre,
            measure=shanghai_measure(measure_number),
            title=title,
            description=description,
            urgency=urgency,
        )
        if satisfaction is None:
            case = services.case_withdraw(
                case=case, actor=commissioner, reason="中心已自行解决 / Solved by the centre itself."
            )
        else:
            _walk(case, "answered", commissioner=commissioner, city=users["city"], staff=users)
            case = services.case_record_callback(
                case=Case.objects.get(pk=case.pk),
                actor=commissioner,
                resolved=True,
                satisfaction=satisfaction,
                note="回访企业 / Called the centre back.",
            )
        _backdate_2025(case, logged_on=date.fromisoformat(logged_on), answer_days=answer_days)
        created += 1
    return created


def seed_missed_callback(*, today: date) -> None:
    """The answered demo case was answered today, so nothing would be missed: its call-back
    follow-up is opened as due yesterday, for the call-back sweep to chase."""
    case = Case.objects.filter(state=CaseState.ANSWERED, title=MISSED_CALLBACK_CASE).first()
    if case is None or FollowUp.objects.filter(kind=FollowUp.Kind.CALLBACK, case=case).exists():
        return
    FollowUp.objects.create(
        kind=FollowUp.Kind.CALLBACK,
        centre_id=case.centre_id,
        case=case,
        answer_round=case.reopen_count,
        assignee_id=case.created_by_id,
        due_on=today - timedelta(days=1),
    )


def _walk(case: Case, final_state: str, *, commissioner: User, city: User, staff: dict[str, User]) -> None:
    """Moves a new case along the lifecycle until it reaches `final_state`."""
    if final_state == "submitted":
        return
    if final_state == "withdrawn":
        services.case_withdraw(
            case=case, actor=commissioner, reason="中心已自行解决 / Solved by the centre itself."
        )
        return
    if final_state == "referred_up":
        case = services.case_refer_up(
            case=case,
            actor=city,
            department=Bureau.objects.get(code="mofcom"),
            note="超出本市权限，报商务部 / Beyond the city's authority; referred to the Ministry of Commerce.",
        )
        return
    proposal = services.case_routing_proposal(case=case)
    lead = next(r.bureau for r in proposal if r.is_lead)
    co = [r.bureau for r in proposal if not r.is_lead]
    case = services.case_dispatch(case=case, actor=city, lead_bureau=lead, co_bureaus=co)
    if final_state == "dispatched":
        return
    lead_staff = _staff_of(lead, staff)
    if final_state == "returned":
        services.case_return(
            case=case, actor=lead_staff, reason="应由区政府牵头 / The district government should lead."
        )
        return
    case = services.case_accept(case=case, actor=lead_staff)
    if final_state == "supervised":
        services.case_supervise(
            case=case, actor=city, note="企业反映强烈，市级督办 / Strong concern from the centre."
        )
        return
    if final_state == "in_progress":
        return
    # The lead answers once every co-handler has given its part.
    for bureau in co:
        co_staff = _staff_of(bureau, staff)
        case = services.case_accept_assignment(case=case, actor=co_staff)
        case = services.case_contribute(
            case=case, actor=co_staff, contribution="本单位意见已提供 / Our part: the rules allow it."
        )
    case = services.case_answer(
        case=case,
        actor=lead_staff,
        answer_text="已协调办理 / Coordinated and handled.",
        answer_actions="召开协调会 / Held a coordination meeting.",
        answer_outcome="solved",
    )
    if final_state == "answered":
        return
    satisfied = final_state == "closed"
    services.case_record_callback(
        case=case,
        actor=commissioner,
        resolved=satisfied,
        satisfaction="satisfied" if satisfied else "unsatisfied",
        note="回访企业 / Called the centre back.",
    )


def _backdate_2025(case: Case, *, logged_on: date, answer_days: int | None) -> None:
    """Moves a case the services just walked back to its 2025 dates: logged in the morning,
    dispatched that afternoon with the deadlines the 2025 calendar gives, accepted the next
    day, answered `answer_days` later and called back three days after that (or withdrawn
    two days after logging). The assignments' copies of the case follow (`sync_assignments`);
    the history entries keep the day they were written, being append-only."""
    zone = ZoneInfo(settings.TIME_ZONE)

    def at(day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=zone)

    logged = at(logged_on, 9)
    if answer_days is None:
        closed = at(logged_on + timedelta(days=2), 10)
        Case.objects.filter(pk=case.pk).update(created_at=logged, closed_at=closed, updated_at=closed)
        return
    rule = DeadlineRule.objects.get(urgency=case.urgency)
    accept_due = due_after(start=logged_on, working_days=rule.accept_working_days)
    answer_due = due_after(start=logged_on, working_days=rule.answer_working_days)
    dispatched, accepted = at(logged_on, 15), at(logged_on + timedelta(days=1), 10)
    answered = at(logged_on + timedelta(days=answer_days), 16)
    called_back = at(logged_on + timedelta(days=answer_days + 3), 11)
    Case.objects.filter(pk=case.pk).update(
        created_at=logged,
        dispatched_at=dispatched,
        accept_due_on=accept_due.due_on,
        answer_due_on=answer_due.due_on,
        answer_due_original=answer_due.due_on,
        due_is_provisional=accept_due.is_provisional or answer_due.is_provisional,
        accepted_at=accepted,
        answered_at=answered,
        callback_at=called_back,
        closed_at=called_back,
        updated_at=called_back,
    )
    case.assignments.update(created_at=dispatched, accept_due_on=accept_due.due_on)
    case.assignments.filter(accepted_at__isnull=False).update(accepted_at=accepted)
    case.refresh_from_db()
    sync_assignments(case)


def _staff_of(bureau: Bureau, staff: dict[str, User]) -> User:
    """The demo staff member of a bureau, created on demand for bureaus without one."""
    username = STAFF_BY_BUREAU.get(bureau.code, f"staff-{bureau.code}")
    return staff.get(username) or demo_user(username, role=Role.BUREAU_STAFF, bureau=bureau)
