"""The scheduling sweeps at scale: 50,000 centres and 200,000 open cases, on this machine.

    .venv/bin/python bench/sweeps_bench.py            # build the data once, then time the sweeps
    .venv/bin/python bench/sweeps_bench.py --centres 2000 --cases 8000     # a quick try
    .venv/bin/python bench/sweeps_bench.py --rebuild  # drop the benchmark database first

Uses its own PostgreSQL database (BENCH_SWEEPS_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/commissioners_sweeps_bench) and fills it once:
active centres with their district commissioners, open cases (dispatched, in
progress, answered) with their lead assignments, and open call-back follow-ups for
part of the answered cases. The data only grows: ask for fewer rows than the database
holds and the larger set is measured (use --rebuild to scale down).

Before measuring, whatever the sweeps wrote is undone (set-wise), so every run of the
script measures the same work. Then each sweep is called directly, not through Celery,
twice: the first run does the work, the second must write nothing new. For each run it
prints the wall time, the SQL queries issued, the sweep's return value (the rows it
found) and what it wrote. A sweep works set-wise (issue: scheduling): a run over
30 s or over 200 queries fails the benchmark, and so does a second run that writes.

The clocks of policy landing are measured too: eligibility findings awaiting their outcome (one
for every tenth centre, their outcome days spread around today) and 300 routed policy issues
(their answer days spread around today).

The development assessments are measured too. The reset recreates the benchmark's
cycle ("Benchmark annual") unopened: the 365 days up to yesterday, opening today, due
in 30 days. `open_due_cycles` then opens it: one assessment per active centre with the
period's case and contact figures, which the script checks against its own count.
`chase_assessments` is measured on the day the cycle's reminders go out
(ASSESSMENT_REMIND_DAYS_BEFORE before it is due); today it would have nothing to do.
"""

import argparse
import os
import random
import time
from collections import Counter
from datetime import date, datetime, timedelta
from datetime import time as clock

from bench_support import django_setup, ensure_database, settle_database

BENCH_DATABASE_URL = os.environ.get(
    "BENCH_SWEEPS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/commissioners_sweeps_bench"
)
MAX_SECONDS = 30
MAX_QUERIES = 200
# A step that works row by row by design, and the queries it may spend on each row: the outbox
# claims, sends and marks each e-mail on its own, so one refused address harms only its message.
QUERIES_PER_ROW = {"send_due_emails": 8}
BATCH = 5000
PREFIX = "sweeps-bench"
CYCLE = "Benchmark annual"
CYCLE_DUE_IN_DAYS = 30


# --- The data ------------------------------------------------------------------------


def build_people() -> dict:
    """District commissioners (one per district), city commissioners, two staff per city bureau."""
    from commissioners.models import Bureau, District, Role, User

    districts = list(District.objects.all())
    city_bureaus = list(Bureau.objects.filter(level=Bureau.Level.CITY))

    def user(username: str, index: int, **fields) -> User:
        language = "en" if index % 3 == 0 else "zh-hans"
        return User(
            username=username,
            email=f"{username}@example.org",
            password="!",
            language=language,
            **fields,
        )

    users = [
        user(f"{PREFIX}-dc-{d.code}", i, role=Role.DISTRICT_COMMISSIONER, district=d)
        for i, d in enumerate(districts)
    ]
    users += [user(f"{PREFIX}-city-{n}", n, role=Role.CITY_COMMISSIONER) for n in range(3)]
    # The commission's leadership, told of referrals and supervisions gone past their dates.
    users += [user(f"{PREFIX}-leader-{n}", n, role=Role.MANAGER) for n in range(2)]
    users += [
        user(f"{PREFIX}-{b.code}-{n}", n, role=Role.BUREAU_STAFF, bureau=b)
        for b in city_bureaus
        for n in range(2)
    ]
    User.objects.bulk_create(users, ignore_conflicts=True)
    commissioners = dict(
        User.objects.filter(username__startswith=f"{PREFIX}-dc-").values_list("district_id", "pk")
    )
    return {
        "districts": districts,
        "city_bureaus": city_bureaus,
        "commissioners": commissioners,
        "national": Bureau.objects.filter(level=Bureau.Level.NATIONAL).first(),
    }


def build_centres(count: int, people: dict, today: date) -> None:
    from django.db import connection, transaction

    from centres.models import Centre, GuidanceClass

    existing = Centre.objects.filter(name_en__startswith="Sweep centre").count()
    districts, commissioners = people["districts"], people["commissioners"]
    classes = (
        [GuidanceClass.UNCLASSIFIED] * 6
        + [GuidanceClass.LEADING] * 3
        + [GuidanceClass.GROWING] * 7
        + [GuidanceClass.NEEDS_ATTENTION] * 4
    )
    for offset in range(existing, count, BATCH):
        rng = random.Random(offset)
        centres = []
        for i in range(offset, min(offset + BATCH, count)):
            district = districts[i % len(districts)]
            contacted = rng.random() < 0.75
            centres.append(
                Centre(
                    name_zh=f"扫描基准研发中心{i}",
                    name_en=f"Sweep centre {i}",
                    parent_company=f"Sweep Parent {i % 5000}",
                    parent_country=rng.choice(["DE", "US", "JP", "FR", "GB", "CH", "KR"]),
                    district=district,
                    centre_type=rng.choice(["rd_centre"] * 6 + ["global_rd_centre", "regional_rd_centre"]),
                    full_time_rd_staff=rng.randint(5, 200),
                    total_staff=400,
                    commissioner_id=commissioners[district.id],
                    guidance_class=rng.choice(classes),
                    last_contacted_on=today - timedelta(days=rng.randint(0, 200)) if contacted else None,
                )
            )
        with transaction.atomic():
            Centre.objects.bulk_create(centres, batch_size=BATCH)
        print(f"data: {offset + len(centres)} centres", flush=True)
    if existing < count:
        # created_at is auto_now_add: put it in the past (up to two years) afterwards, in one statement.
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Centre._meta.db_table} SET created_at = now() - ((id * 7919) %% 720) * interval '1 day'"
                " WHERE name_en LIKE %s",
                ["Sweep centre %"],
            )


def build_cases(count: int, people: dict, today: date) -> None:
    from django.db import transaction
    from django.utils import timezone

    from cases.models import Assignment, Case, CaseState
    from centres.models import Centre
    from policies.models import Measure

    S = CaseState
    existing = Case.objects.count()
    if existing >= count:
        return
    centres = list(Centre.objects.filter(name_en__startswith="Sweep centre").values_list("pk", "district_id"))
    measures = list(Measure.objects.filter(programme="shanghai_2024").values_list("pk", flat=True))
    city_bureaus, commissioners = people["city_bureaus"], people["commissioners"]
    states = [S.DISPATCHED] * 30 + [S.IN_PROGRESS] * 45 + [S.ANSWERED] * 25
    topics = ["customs", "talent", "tax", "data", "funding", "patent", "visa", "samples"]
    now = timezone.now()
    for offset in range(existing, count, BATCH):
        rng = random.Random(2026 + offset)
        cases = []
        for i in range(offset, min(offset + BATCH, count)):
            centre_id, district_id = rng.choice(centres)
            state = rng.choice(states)
            created = now - timedelta(days=rng.randint(30, 400), minutes=rng.randint(0, 1440))
            case = Case(
                centre_id=centre_id,
                district_id=district_id,
                measure_id=rng.choice(measures),
                title=f"Sweep case {i}: a {rng.choice(topics)} question",
                description="A difficulty the centre met, described for the benchmark.",
                urgency=rng.choice(["normal"] * 4 + ["urgent"]),
                is_confidential=rng.random() < 0.05,
                state=state,
                created_by_id=commissioners[district_id],
                created_at=created,
                lead_bureau=rng.choice(city_bureaus),
                dispatched_at=created + timedelta(days=1),
                reopen_count=1 if rng.random() < 0.1 else 0,
            )
            if state == S.DISPATCHED:
                # Half overdue to accept, a few due tomorrow, the rest later.
                case.accept_due_on = today + timedelta(days=rng.randint(-15, 15))
                case.answer_due_on = case.accept_due_on + timedelta(days=rng.randint(14, 28))
            else:
                case.accept_due_on = today - timedelta(days=rng.randint(20, 60))
                case.accepted_at = created + timedelta(days=2)
                if state == S.IN_PROGRESS:
                    case.answer_due_on = today + timedelta(days=rng.randint(-20, 25))
                else:
                    # Answered within the last 40 days: the older ones' call-backs are missed.
                    case.answer_due_on = today - timedelta(days=rng.randint(0, 40))
                    case.answered_at = now - timedelta(days=rng.randint(0, 40), minutes=rng.randint(0, 600))
                    case.answer_text = "What the bureau did and found."
                    case.answer_outcome = "solved"
            case.answer_due_original = case.answer_due_on
            cases.append(case)
        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=BATCH)
            assignments = []
            for case in cases:
                lead_status = "pending" if case.state == S.DISPATCHED else "accepted"
                assignments.append(
                    Assignment(
                        case=case,
                        bureau_id=case.lead_bureau_id,
                        is_lead=True,
                        status=lead_status,
                        accept_due_on=case.accept_due_on,
                        accepted_at=case.accepted_at,
                    )
                )
                if case.pk % 5 == 0:
                    co = rng.choice(city_bureaus)
                    if co.pk != case.lead_bureau_id:
                        assignments.append(
                            Assignment(
                                case=case,
                                bureau=co,
                                is_lead=False,
                                status="pending" if case.pk % 10 == 0 else "contributed",
                                accept_due_on=case.accept_due_on,
                            )
                        )
            for assignment in assignments:
                assignment.case_state = assignment.case.state
                assignment.case_is_confidential = assignment.case.is_confidential
                assignment.case_answer_due_on = assignment.case.answer_due_on
            Assignment.objects.bulk_create(assignments, batch_size=BATCH)
        print(f"data: {offset + len(cases)} cases", flush=True)


CITY_CLOCK_CASES = 15_000


def build_city_clock_cases(people: dict, today: date) -> None:
    """Cases on the city's own clocks, beside the bureaus' open cases: logged ones waiting for
    triage (two thirds, a third of them returned and waiting for a ruling) and referrals upward."""
    from django.utils import timezone

    from cases.models import Case, CaseState

    if Case.objects.filter(title__startswith="City clock case").exists():
        return
    centres = list(centre_ids())
    measures = measure_ids()
    commissioners = people["commissioners"]
    rng = random.Random(15)
    now = timezone.now()
    cases = []
    for i in range(CITY_CLOCK_CASES):
        centre_id, district_id = rng.choice(centres)
        referred = i % 3 == 2
        created = now - timedelta(days=rng.randint(1, 60))
        cases.append(
            Case(
                centre_id=centre_id,
                district_id=district_id,
                measure_id=rng.choice(measures),
                title=f"City clock case {i}",
                description="A case waiting on the city, for the benchmark.",
                created_by_id=commissioners[district_id],
                created_at=created,
                state=CaseState.REFERRED_UP if referred else CaseState.SUBMITTED,
                referred_to=people["national"] if referred else None,
                referred_at=created + timedelta(days=1) if referred else None,
                return_pending=not referred and i % 9 == 0,
                return_count=1 if not referred and i % 9 == 0 else 0,
            )
        )
    Case.objects.bulk_create(cases, batch_size=BATCH)
    print(f"data: {len(cases)} cases on the city's clocks", flush=True)


FINDINGS_CYCLE = "Benchmark findings cycle"
POLICY_ISSUES = 300


def build_landing_clocks(people: dict, today: date) -> None:
    """The clocks of policy landing, beside the cases': an eligibility finding awaiting its outcome
    for every tenth centre (its assessment reviewed in a past cycle), and policy issues routed to
    the bureaus, waiting for their answer."""
    from django.utils import timezone

    from assessments.models import Assessment, AssessmentCycle, AssessmentState, Finding
    from cases.models import PolicyIssue, PolicyIssueState
    from commissioners.models import Bureau, User
    from policies.models import Measure

    if not AssessmentCycle.objects.filter(name=FINDINGS_CYCLE).exists():
        cycle = AssessmentCycle.objects.create(
            name=FINDINGS_CYCLE,
            period_start=today - timedelta(days=730),
            period_end=today - timedelta(days=366),
            opens_on=today - timedelta(days=365),
            due_on=today - timedelta(days=335),
            opened_at=timezone.now() - timedelta(days=365),
            closed_at=timezone.now() - timedelta(days=300),
        )
        reviewed = timezone.now() - timedelta(days=320)
        Assessment.objects.bulk_create(
            (
                Assessment(
                    cycle=cycle,
                    centre_id=centre_id,
                    district_id=district_id,
                    state=AssessmentState.REVIEWED,
                    reviewed_at=reviewed,
                )
                for centre_id, district_id in centre_ids()
                if centre_id % 10 == 0
            ),
            batch_size=BATCH,
        )
        measure = Measure.objects.get(programme="shanghai_2024", number=8)
        bureau = Bureau.objects.get(code="sh-science-technology")
        Finding.objects.bulk_create(
            (
                Finding(assessment_id=pk, rule="rd_cost_super_deduction", measure=measure, bureau=bureau)
                for pk in Assessment.objects.filter(cycle=cycle).values_list("pk", flat=True)
            ),
            batch_size=BATCH,
        )
    if not PolicyIssue.objects.filter(title__startswith="Benchmark policy issue").exists():
        measures = list(Measure.objects.filter(programme="shanghai_2024").order_by("number"))
        leads = list(Bureau.objects.filter(level="city").order_by("code"))
        city = User.objects.filter(username__startswith=f"{PREFIX}-city-").order_by("pk").first()
        PolicyIssue.objects.bulk_create(
            PolicyIssue(
                title=f"Benchmark policy issue {i}",
                description="Like cases of several centres, for the benchmark.",
                measure=measures[i % len(measures)],
                state=PolicyIssueState.IN_PROGRESS if i % 2 else PolicyIssueState.DISPATCHED,
                created_by=city,
                lead_bureau=leads[i % len(leads)],
                dispatched_at=timezone.now() - timedelta(days=30),
            )
            for i in range(POLICY_ISSUES)
        )
    print(
        f"data: {Finding.objects.filter(assessment__cycle__name=FINDINGS_CYCLE).count()} eligibility findings "
        f"awaiting an outcome, {POLICY_ISSUES} routed policy issues",
        flush=True,
    )


def reset_landing_clocks(today: date) -> None:
    """Outcome days of the findings and answer days of the policy issues spread around today, with
    nothing escalated yet."""
    from django.db import connection

    from assessments.models import Assessment, AssessmentCycle, Finding
    from cases.models import PolicyIssueEvent

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Finding._meta.db_table} SET outcome = '', "
            "follow_up_due_on = %s::date + (id %% 21 - 10)::int "
            f"WHERE assessment_id IN (SELECT a.id FROM {Assessment._meta.db_table} a "
            f"JOIN {AssessmentCycle._meta.db_table} c ON c.id = a.cycle_id WHERE c.name = %s)",
            [today, FINDINGS_CYCLE],
        )
        cursor.execute(
            f"DELETE FROM {PolicyIssueEvent._meta.db_table} WHERE actor_id IS NULL AND action = 'escalate'"
        )
        cursor.execute(
            "UPDATE cases_policyissue SET escalated_due_on = NULL, is_supervised = false, "
            "answer_due_on = %s::date + (id %% 11 - 5)::int WHERE title LIKE 'Benchmark policy issue%%'",
            [today],
        )


def centre_ids():
    from centres.models import Centre

    return Centre.objects.filter(name_en__startswith="Sweep centre").values_list("pk", "district_id")


def measure_ids() -> list[int]:
    from policies.models import Measure

    return list(Measure.objects.filter(programme="shanghai_2024").values_list("pk", flat=True))


def build_data(centre_count: int, case_count: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from cases.models import Case
    from centres.models import Centre

    call_command("migrate", verbosity=0)
    centres = Centre.objects.filter(name_en__startswith="Sweep centre").count()
    cases = Case.objects.exclude(title__startswith="City clock case").count()
    started = time.monotonic()
    today = timezone.localdate()
    people = build_people()
    if centres >= centre_count and cases >= case_count:
        print(f"data: {centres} centres and {cases} cases already there")
    else:
        build_centres(centre_count, people, today)
        build_cases(case_count, people, today)
    build_city_clock_cases(people, today)
    build_landing_clocks(people, today)
    print(f"data: built in {time.monotonic() - started:.0f} s", flush=True)


# --- Back to the state the build left ------------------------------------------------


def reset() -> None:
    """Undoes what the sweeps wrote, set-wise: a rerun of the script measures the same work.

    The benchmark's assessment cycle is recreated unopened, without assessments.

    The call-back follow-ups that stand for earlier runs (open, due in the past, a third of
    them already reminded) are recreated from the answered cases: 40% of them have one."""
    import pgtrigger
    from django.core import mail
    from django.db import connection, transaction
    from django.db.models import Q
    from django.db.models.functions import Mod
    from django.utils import timezone

    from cases.models import Case, CaseEvent, CaseState, Supervision
    from centres.models import FollowUp
    from commissioners.models import DailyDigest, Notification
    from core.history import APPEND_ONLY_TRIGGER

    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    # The product never deletes history (the database refuses); the benchmark undoes its own sweeps'
    # entries, past the refusal as `purge_history` does.
    with (
        transaction.atomic(),
        pgtrigger.ignore(
            f"cases.CaseEvent:{APPEND_ONLY_TRIGGER}", f"cases.PolicyIssueEvent:{APPEND_ONLY_TRIGGER}"
        ),
    ):
        reset_assessment_cycle(today)
        FollowUp.objects.all().delete()
        Notification.objects.all().delete()
        DailyDigest.objects.all().delete()
        Supervision.objects.filter(reason=Supervision.Reason.OVERDUE).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {CaseEvent._meta.db_table} WHERE actor_id IS NULL AND action = 'supervise'"
            )
        Case.objects.filter(Q(escalated_due_on__isnull=False) | Q(is_supervised=True)).update(
            escalated_due_on=None, is_supervised=False
        )
        reset_city_clocks(today)
        reset_landing_clocks(today)
        answered = (
            Case.objects.filter(state=CaseState.ANSWERED)
            .annotate(bucket=Mod("pk", 5))
            .filter(bucket__lt=2)
            .values_list("pk", "centre_id", "created_by_id", "reopen_count", "answered_at")
        )
        follow_ups = []
        for pk, centre_id, created_by_id, reopen_count, answered_at in answered.iterator(chunk_size=BATCH):
            due_on = min(timezone.localdate(answered_at) + timedelta(days=5), today - timedelta(days=1))
            reminded = pk % 3 == 0 and due_on < today - timedelta(days=1)
            follow_ups.append(
                FollowUp(
                    kind=FollowUp.Kind.CALLBACK,
                    centre_id=centre_id,
                    case_id=pk,
                    answer_round=reopen_count,
                    assignee_id=created_by_id,
                    due_on=due_on,
                    opened_at=answered_at,
                    reminded_at=(
                        datetime.combine(due_on + timedelta(days=1), clock(9), tzinfo=zone)
                        if reminded
                        else None
                    ),
                )
            )
        FollowUp.objects.bulk_create(follow_ups, batch_size=BATCH)
    mail.outbox = []


def reset_city_clocks(today: date) -> None:
    """The clocks besides the lead's, set-wise, to a spread around today: the co-handlers'
    contributions, the triage and referral dates of the city's cases, and manual supervisions of
    every twentieth case in progress (half of them past their reply date, half of those already
    escalated to the leadership once)."""
    from django.db import connection

    from cases.models import CaseEvent

    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {CaseEvent._meta.db_table} WHERE actor_id IS NULL AND action IN "
            "('triage_overdue', 'co_handling_overdue', 'referral_overdue', 'supervision_escalated',"
            " 'supervision_overdue')"
        )
        cursor.execute(
            "UPDATE cases_assignment SET escalated_due_on = NULL, "
            "contribute_due_on = %s::date + (id %% 31 - 15)::int "
            "WHERE NOT is_lead AND is_current",
            [today],
        )
        cursor.execute(
            "UPDATE cases_case SET triage_escalated_on = NULL, triage_due_on = %s::date + (id %% 11 - 5)::int "
            "WHERE state = 'submitted'",
            [today],
        )
        cursor.execute(
            "UPDATE cases_case SET referral_escalated_on = NULL, "
            "referral_due_on = %s::date + (id %% 21 - 10)::int WHERE state = 'referred_up'",
            [today],
        )
        cursor.execute("DELETE FROM cases_supervision WHERE reason = 'manual'")
        cursor.execute(
            "INSERT INTO cases_supervision (case_id, reason, note, bureau_id, level, due_on, opened_at,"
            " reply, closing_note) "
            "SELECT id, 'manual', 'Benchmark supervision.', lead_bureau_id,"
            " CASE WHEN id %% 40 = 0 THEN 'leadership' ELSE 'city' END,"
            " %s::date + (id %% 9 - 4)::int, now(), '', '' "
            "FROM cases_case WHERE state = 'in_progress' AND id %% 20 = 0",
            [today],
        )
        cursor.execute(
            "UPDATE cases_case SET is_supervised = true WHERE state = 'in_progress' AND id %% 20 = 0"
        )


def reset_assessment_cycle(today: date) -> None:
    """Deletes the benchmark cycle with what hangs off its assessments, and creates it again
    unopened: the 365 days up to yesterday, opening today."""
    from django.db import connection

    from assessments.models import Assessment, AssessmentCycle, AssessmentEvent, AssessmentProblem, Finding

    own = Assessment.objects.filter(cycle__name=CYCLE)
    Finding.objects.filter(assessment__in=own).delete()
    AssessmentProblem.objects.filter(assessment__in=own).delete()
    own_ids = (
        f"SELECT a.id FROM {Assessment._meta.db_table} a JOIN {AssessmentCycle._meta.db_table} c"
        " ON c.id = a.cycle_id WHERE c.name = %s"
    )
    # Raw SQL: history refuses deletes (the benchmark undoes its own sweep), and the ORM would
    # load 50,000 assessments to check their protected history, then delete them 100 at a time.
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {AssessmentEvent._meta.db_table} WHERE assessment_id IN ({own_ids})", [CYCLE]
        )
        cursor.execute(f"DELETE FROM {Assessment._meta.db_table} WHERE id IN ({own_ids})", [CYCLE])
    AssessmentCycle.objects.filter(name=CYCLE).delete()
    AssessmentCycle.objects.create(
        name=CYCLE,
        period_start=today - timedelta(days=365),
        period_end=today - timedelta(days=1),
        opens_on=today,
        due_on=today + timedelta(days=CYCLE_DUE_IN_DAYS),
    )


def describe(today: date) -> None:
    from django.db.models import Count, Q

    from cases.models import Case
    from centres.models import Centre, FollowUp

    centres = Centre.objects.filter(status=Centre.Status.ACTIVE).count()
    states = dict(Case.objects.values_list("state").annotate(n=Count("pk")).order_by())
    overdue = Case.objects.filter(current_due_on__lt=today).count()
    callbacks = FollowUp.objects.filter(kind=FollowUp.Kind.CALLBACK, closed_at__isnull=True).aggregate(
        open=Count("pk"), reminded=Count("pk", filter=Q(reminded_at__isnull=False))
    )
    print(
        f"data: {centres} active centres; {sum(states.values())} cases "
        f"({', '.join(f'{n} {state}' for state, n in sorted(states.items()))}), {overdue} past their deadline; "
        f"{callbacks['open']} open call-backs ({callbacks['reminded']} already reminded)",
        flush=True,
    )


# --- Measuring -----------------------------------------------------------------------


def snapshot() -> dict[str, int]:
    """What the sweeps write, counted: a second run must change none of it."""
    from django.core import mail

    from assessments.models import Assessment
    from cases.models import Case, CaseEvent, PolicyIssue, PolicyIssueEvent, Supervision
    from centres.models import FollowUp
    from commissioners.models import DailyDigest, Notification

    return {
        "issues escalated": PolicyIssue.objects.filter(escalated_due_on__isnull=False).count(),
        "issue events": PolicyIssueEvent.objects.count(),
        "follow-ups": FollowUp.objects.count(),
        "reminded": FollowUp.objects.filter(reminded_at__isnull=False).count(),
        "reported": FollowUp.objects.filter(reported_at__isnull=False).count(),
        "notifications": Notification.objects.count(),
        "escalated": Case.objects.filter(escalated_due_on__isnull=False).count(),
        "supervisions": Supervision.objects.count(),
        "events": CaseEvent.objects.count(),
        "digests sent": DailyDigest.objects.filter(sent_at__isnull=False).count(),
        "assessments": Assessment.objects.count(),
        "e-mails": len(getattr(mail, "outbox", [])),
    }


def sweeps(today: date, digest_day: date, remind_day: date) -> list[tuple[str, object]]:
    from assessments.services import chase_assessments, open_due_cycles
    from assessments.services.findings import chase_finding_outcomes
    from cases.services import clocks, digests, policy_issues, scheduling
    from centres.scheduling import open_contact_follow_ups
    from commissioners.mail import send_due_emails

    return [
        ("open_contact_follow_ups", lambda: open_contact_follow_ups(today=today)),
        ("remind_upcoming_deadlines", lambda: scheduling.remind_upcoming_deadlines(today=today)),
        ("escalate_overdue_cases", lambda: scheduling.escalate_overdue_cases(today=today)),
        ("escalate_overdue_co_handling", lambda: clocks.escalate_overdue_co_handling(today=today)),
        ("escalate_overdue_triage", lambda: clocks.escalate_overdue_triage(today=today)),
        ("chase_referrals", lambda: clocks.chase_referrals(today=today)),
        ("chase_supervisions", lambda: clocks.chase_supervisions(today=today)),
        ("escalate_policy_issues", lambda: policy_issues.escalate_overdue_policy_issues(today=today)),
        ("chase_finding_outcomes", lambda: chase_finding_outcomes(today=today)),
        ("open_callback_follow_ups", lambda: scheduling.open_callback_follow_ups()),
        ("chase_missed_callbacks", lambda: scheduling.chase_missed_callbacks(today=today)),
        ("send_daily_digests", lambda: digests.send_daily_digests(today=digest_day, send=False)),
        # The outbox sends message by message, each claimed and marked in its own short transaction.
        ("send_due_emails", lambda: send_due_emails()),
        ("open_due_cycles", lambda: open_due_cycles(today=today)),
        # After open_due_cycles: it reminds of the assessments that opening created.
        ("chase_assessments", lambda: chase_assessments(today=remind_day)),
    ]


def check_assessments() -> list[str]:
    """What opening the cycle must have made: one assessment per active centre (the cycle and
    centre are unique together), whose figures add up to the period's cases and contacts,
    counted here independently. Returns the failures."""
    from django.db.models import Sum

    from assessments.models import Assessment, AssessmentCycle
    from cases.models import Case
    from centres.models import Centre, ContactRecord

    cycle = AssessmentCycle.objects.get(name=CYCLE)
    start, end = period_bounds(cycle.period_start, cycle.period_end)
    active = Centre.objects.filter(status=Centre.Status.ACTIVE)
    cases = Case.objects.filter(centre__in=active)
    contacts = ContactRecord.objects.filter(centre__in=active)
    expected = {
        "cases_logged": cases.filter(created_at__gte=start, created_at__lt=end).count(),
        "cases_answered": cases.filter(answered_at__gte=start, answered_at__lt=end).count(),
        "callbacks": cases.filter(callback_at__gte=start, callback_at__lt=end).count(),
        "contacts_made": contacts.filter(contacted_on__range=(cycle.period_start, cycle.period_end)).count(),
    }
    own = Assessment.objects.filter(cycle=cycle, centre__in=active)
    found = {
        name: total or 0 for name, total in own.aggregate(**{name: Sum(name) for name in expected}).items()
    }
    expected["assessments"], found["assessments"] = active.count(), own.count()
    print("assessments opened:", ", ".join(f"{found[name]} {name}" for name in expected), flush=True)
    return [
        f"open_due_cycles: {found[name]} {name}, expected {n}"
        for name, n in expected.items()
        if found[name] != n
    ]


def period_bounds(period_start: date, period_end: date) -> tuple[datetime, datetime]:
    """From the start of the first day to the start of the day after the last, in local time."""
    from django.utils import timezone

    zone = timezone.get_current_timezone()
    return (
        datetime.combine(period_start, clock.min, tzinfo=zone),
        datetime.combine(period_end + timedelta(days=1), clock.min, tzinfo=zone),
    )


def measure(name: str, run: int, sweep) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        rows = sweep()
        elapsed = time.perf_counter() - started
    after = snapshot()
    kinds = Counter(query["sql"].lstrip().split(None, 1)[0].upper() for query in queries.captured_queries)
    del queries
    wrote = {key: after[key] - before[key] for key in after if after[key] != before[key]}
    result = {
        "name": name,
        "run": run,
        "seconds": elapsed,
        "queries": sum(kinds.values()),
        "rows": rows,
        "wrote": wrote,
        "ok": elapsed <= MAX_SECONDS
        and sum(kinds.values()) <= MAX_QUERIES + QUERIES_PER_ROW.get(name, 0) * (rows or 0)
        and (run == 1 or not wrote),
    }
    statements = ", ".join(f"{kind.lower()} {n}" for kind, n in kinds.most_common())
    written = ", ".join(f"+{n} {key}" for key, n in wrote.items()) or "nothing"
    print(
        f"{name:<26} run {run}: {elapsed:6.2f} s, {result['queries']:>3} queries, {rows:>6} rows"
        f"   [{statements}; wrote {written}]{'' if result['ok'] else '  FAIL'}",
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--centres", type=int, default=50_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--rebuild", action="store_true", help="drop the benchmark database first")
    args = parser.parse_args()
    ensure_database(BENCH_DATABASE_URL, rebuild=args.rebuild)
    # No broker needed: the e-mail task `notify` queues goes nowhere, digests stay in memory.
    django_setup(
        BENCH_DATABASE_URL,
        CELERY_BROKER_URL="memory://",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    import logging

    from django.conf import settings
    from django.utils import timezone

    from cases.deadlines import due_after

    # The memory broker has no worker: each queued e-mail task is simply dropped.
    for logger in ("core.queue", "kombu"):
        logging.getLogger(logger).setLevel(logging.ERROR)
    build_data(args.centres, args.cases)
    started = time.monotonic()
    reset()
    settle_database()
    print(f"reset and VACUUM ANALYZE: {time.monotonic() - started:.0f} s", flush=True)

    today = timezone.localdate()
    # The first working day from today on (the day before plus one working day).
    digest_day = due_after(start=today - timedelta(days=1), working_days=1).due_on
    # Today the cycle is due in 30 days, too early for reminders: they go out this many days before.
    remind_day = today + timedelta(
        days=CYCLE_DUE_IN_DAYS - settings.SCHEDULING["ASSESSMENT_REMIND_DAYS_BEFORE"]
    )
    print(f"today: {today}")
    describe(today)
    if digest_day != today:
        print(f"today is no working day (the digest sends nothing): digests measured for {digest_day}")
    print(
        f"assessment reminders measured for {remind_day} (the cycle is due {CYCLE_DUE_IN_DAYS} days from today)"
    )
    results = []
    for name, sweep in sweeps(today, digest_day, remind_day):
        for run in (1, 2):
            results.append(measure(name, run, sweep))
    failed = [f"{r['name']} run {r['run']}" for r in results if not r["ok"]]
    failed += check_assessments()
    if failed:
        raise SystemExit(
            f"over {MAX_SECONDS} s or {MAX_QUERIES} queries, a second run wrote, or the opened"
            f" assessments do not add up: {', '.join(failed)}"
        )


if __name__ == "__main__":
    main()
