"""The managers' dashboards at scale: 50,000 centres and 1,000,000 (or 10,000,000) cases.

    .venv/bin/python bench/dashboard_bench.py                    # 1M cases: build once, then time
    .venv/bin/python bench/dashboard_bench.py --cases 10000000 --build-only   # the 10M database
    .venv/bin/python bench/dashboard_bench.py --compare          # time 1M, then 10M: p95 ratio
    .venv/bin/python bench/dashboard_bench.py --cases 20000 --centres 2000   # a quick try
    .venv/bin/python bench/dashboard_bench.py --rebuild          # drop the database first
    .venv/bin/python bench/dashboard_bench.py --refigure         # rebuild the summary tables again, timed
    .venv/bin/python bench/dashboard_bench.py --queries          # and each SQL query of the slowest requests

Budget (issue: dashboards): with 1,000,000 cases and 50,000 centres every dashboard figure
answers within 100 ms at the 95th percentile, and 10x the cases costs at most 1.5x the time.

Each size has its own PostgreSQL database, BENCH_DASHBOARD_DATABASE_URL plus a suffix
(default postgres://postgres@127.0.0.1:5432/commissioners_bench_dashboard_1m, ..._10m),
migrated and filled once; a database that holds the asked-for rows is reused (--rebuild
drops it). The data is generated set-wise in SQL (INSERT ... SELECT over generate_series),
half a million cases at a time, with the figure triggers and foreign-key checks off
(session_replication_role = replica) and the big tables' secondary indexes dropped and
built again afterwards; `cases.figures.rebuild_case_figures()` and
`assessments.figures.rebuild_assessment_figures()` then sum the summary tables from scratch,
and their times are reported.

The data: 16 districts weighted like Shanghai's (Pudong the largest), a district
commissioner per ~250 centres, guidance classes and last contacts that leave ~80% of the
centres covered; cases over the 24 months ending now, on the nine Shanghai measures,
routed as `policies.routing.measure_routing` routes them (lead first, up to two
co-handlers; Measure 9's co-handler is the centre's own district government), 12% urgent,
with deadlines from the deadline rules counted in Monday-to-Friday working days (holidays
ignored). Each case lives through triage, dispatch, acceptance, answer and call-back with
random durations, and its state is where that life stands now: old cases are closed,
recent ones open; 3% are withdrawn, 2% referred up to a national department, ~1% stuck
(never accepted, answered or called back), 5% reopened once by an unsatisfying call-back,
2% first returned as misrouted by another bureau. 3% of acceptances and 5% of answers are
late; half of the late answers asked for an extension (80% approved), plus 1.5% of the
others; every missed deadline was escalated by the sweep (an "overdue" supervision), and
0.4% of the cases were supervised by hand. Two annual assessment cycles with one
assessment per centre (the newest mostly reviewed, the centre's class its result) and
the findings the eligibility rules route. Not generated, because no dashboard reads
them: case history, comments, attachments, follow-ups, contact records.

Timing: in-process, Django's test Client with a knox token, as a city manager (role
manager, no district) and as Pudong's manager, one request at a time after a warm-up,
over a spread of periods (1, 3, 12 and 24 months, the default), filters (none, district,
bureau, measure, urgency, two together) and rank_by values; contacts and assessments
with and without a district and for both cycles. Prints p50/p95 per endpoint and user,
per endpoint and overall, with the verdict, and writes them to var/bench/.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
import warnings
from datetime import date, datetime, timedelta
from pathlib import Path

from bench_support import ROOT, django_setup, ensure_database, settle_database

BASE_URL = os.environ.get(
    "BENCH_DASHBOARD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/commissioners_bench_dashboard"
)
RESULTS = ROOT / "var" / "bench"
BUDGET_MS = 100
GROWTH_LIMIT = 1.5
CHUNK = 500_000
MONTHS = 24
PREFIX = "dash"
ENDPOINTS = ("cases", "rankings", "contacts", "assessments")

# Centres per district (per mille): Pudong holds most R&D centres, then the inner districts.
DISTRICT_WEIGHTS = {
    "pudong": 280,
    "minhang": 100,
    "xuhui": 80,
    "jingan": 70,
    "jiading": 70,
    "songjiang": 60,
    "changning": 50,
    "huangpu": 50,
    "yangpu": 50,
    "baoshan": 40,
    "qingpu": 40,
    "putuo": 30,
    "fengxian": 30,
    "hongkou": 20,
    "jinshan": 20,
    "chongming": 10,
}
CENTRES_PER_COMMISSIONER = 250
# Cases per Shanghai measure (percent): samples and customs, talent, and tax questions lead.
MEASURE_WEIGHTS = {1: 10, 2: 12, 3: 18, 4: 10, 5: 6, 6: 9, 7: 16, 8: 12, 9: 7}
URGENT_SHARE = 0.12
SURNAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun"]
GIVEN_NAMES = ["Wei", "Fang", "Min", "Jing", "Lei", "Yan", "Jun", "Hui", "Tao", "Ling", "Qiang", "Xin"]


def database_url(cases: int) -> str:
    suffix = f"{cases // 1_000_000}m" if cases % 1_000_000 == 0 else str(cases)
    return f"{BASE_URL}_{suffix}"


def results_path(cases: int) -> Path:
    return RESULTS / f"dashboard_bench-{database_url(cases).rsplit('/', 1)[1]}.json"


def execute(sql: str, params: dict | None = None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def scalar(sql: str, params: dict | None = None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


class Step:
    """Prints how long a step of the build took, and how long the build has run."""

    started = time.monotonic()

    def __init__(self, what: str):
        self.what = what

    def __enter__(self):
        self.begun = time.monotonic()
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            now = time.monotonic()
            print(
                f"data: {self.what}: {now - self.begun:.1f} s (total {now - Step.started:.0f} s)", flush=True
            )


# --- Whether the database holds the data already ------------------------------------------


def build_record() -> dict | None:
    """What the last complete build left in the database's comment (written last of all)."""
    from django.db import connection

    comment = scalar(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [connection.settings_dict["NAME"]],
    )
    try:
        return json.loads(comment) if comment else None
    except ValueError:
        return None


def write_build_record(record: dict) -> None:
    from django.db import connection

    name = connection.settings_dict["NAME"]
    literal = json.dumps(record).replace("'", "''")
    execute(f"COMMENT ON DATABASE \"{name}\" IS '{literal}'")


def is_built(cases: int, centres: int) -> bool:
    from cases.models import Case, CaseFigureMonth
    from centres.models import Centre

    record = build_record()
    if not record or record.get("cases") != cases or record.get("centres") != centres:
        return False
    return (
        Case.objects.count() == cases
        and Centre.objects.count() == centres
        and CaseFigureMonth.objects.exists()
    )


# --- Reference rows: people, routing, helper functions ------------------------------------


def build_people(centres: int) -> None:
    """District commissioners (one per ~250 expected centres), city commissioners, managers, and one
    staff member per city bureau and district government (who handles findings and asks for
    extensions)."""
    from commissioners.models import Bureau, District, Role, User

    districts = {d.code: d for d in District.objects.all()}
    people = []

    def person(username: str, index: int, **fields) -> User:
        return User(
            username=username,
            email=f"{username}@example.org",
            password="!",
            first_name=GIVEN_NAMES[index % len(GIVEN_NAMES)],
            last_name=SURNAMES[(index * 7) % len(SURNAMES)],
            language="en" if index % 3 == 0 else "zh-hans",
            **fields,
        )

    index = 0
    for code, weight in DISTRICT_WEIGHTS.items():
        expected = centres * weight / sum(DISTRICT_WEIGHTS.values())
        for k in range(max(2, round(expected / CENTRES_PER_COMMISSIONER))):
            index += 1
            people.append(
                person(
                    f"{PREFIX}-dc-{code}-{k}",
                    index,
                    role=Role.DISTRICT_COMMISSIONER,
                    district=districts[code],
                )
            )
    people += [person(f"{PREFIX}-city-{n}", n, role=Role.CITY_COMMISSIONER) for n in range(4)]
    people.append(person(f"{PREFIX}-manager-city", 1, role=Role.MANAGER))
    people += [
        person(f"{PREFIX}-manager-{code}", n, role=Role.MANAGER, district=districts[code])
        for n, code in enumerate(("pudong", "xuhui"))
    ]
    bureaus = Bureau.objects.filter(level__in=[Bureau.Level.CITY, Bureau.Level.DISTRICT_GOVERNMENT])
    people += [person(f"{PREFIX}-staff-{b.code}", b.pk, role=Role.BUREAU_STAFF, bureau=b) for b in bureaus]
    User.objects.bulk_create(people, ignore_conflicts=True)


def build_helpers() -> None:
    """Session-local helpers: working-day arithmetic, Shanghai dates, and the pick tables."""
    from centres.models import Centre
    from commissioners.models import District
    from policies.models import Measure, Programme
    from policies.routing import measure_routing

    execute("""
        CREATE OR REPLACE FUNCTION pg_temp.bench_local(at timestamptz) RETURNS date
        LANGUAGE sql IMMUTABLE AS $$ SELECT (at AT TIME ZONE 'Asia/Shanghai')::date $$;
        -- Midnight at the end of a Shanghai day: anything before it happened on that day or earlier.
        CREATE OR REPLACE FUNCTION pg_temp.bench_eod(day date) RETURNS timestamptz
        LANGUAGE sql IMMUTABLE AS $$ SELECT (day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai' $$;
        -- The n-th working day (Monday to Friday) after a day, like cases.deadlines without holidays.
        CREATE OR REPLACE FUNCTION pg_temp.bench_add_wd(day date, n integer) RETURNS date
        LANGUAGE sql IMMUTABLE AS $$
          SELECT day - greatest(extract(isodow FROM day)::int - 5, 0) + n
                 + 2 * ((least(extract(isodow FROM day)::int, 5) - 1 + n) / 5)
        $$;
    """)
    # The routing table as the product applies it, per measure and district: position 0 is the lead.
    routes = []
    centre = Centre()
    for measure in Measure.objects.filter(programme=Programme.SHANGHAI_2024):
        for district in District.objects.all():
            centre.district_id = district.pk
            routed = measure_routing(
                measure=measure, district_id=centre.district_id, areas=centre.special_areas
            )
            routes += [(measure.pk, district.pk, r.bureau.pk, pos) for pos, r in enumerate(routed)]
    execute("DROP TABLE IF EXISTS bench_route")
    execute(
        "CREATE TEMP TABLE bench_route (measure_id bigint, district_id bigint, bureau_id bigint, pos int)"
    )
    values = ", ".join(f"({m}, {d}, {b}, {p})" for m, d, b, p in routes)
    execute(f"INSERT INTO bench_route VALUES {values}")
    execute("ANALYZE bench_route")


def deadline_days() -> dict:
    from cases.models import DeadlineRule

    rules = {rule.urgency: rule for rule in DeadlineRule.objects.all()}
    return {
        "accept_normal": rules["normal"].accept_working_days,
        "answer_normal": rules["normal"].answer_working_days,
        "accept_urgent": rules["urgent"].accept_working_days,
        "answer_urgent": rules["urgent"].answer_working_days,
    }


# --- Centres ---------------------------------------------------------------------------------


def build_centres(count: int, now: datetime) -> None:
    """Centres 1..count: 98.5% registered before the cases' window, the newest 1.5% in the last
    300 days; 3% closed; 1% without a commissioner of their own."""
    from commissioners.models import District

    codes = list(DISTRICT_WEIGHTS)
    ids = dict(District.objects.filter(code__in=codes).values_list("code", "pk"))
    total = sum(DISTRICT_WEIGHTS.values())
    bounds, low = [], 0
    for code in codes:
        bounds.append((ids[code], low / total, (low + DISTRICT_WEIGHTS[code]) / total))
        low += DISTRICT_WEIGHTS[code]
    execute("DROP TABLE IF EXISTS bench_district")
    execute("CREATE TEMP TABLE bench_district (district_id bigint, lo float8, hi float8)")
    execute("INSERT INTO bench_district VALUES " + ", ".join(f"({d}, {lo}, {hi})" for d, lo, hi in bounds))
    execute("DROP TABLE IF EXISTS bench_commissioner")
    execute(
        """
        CREATE TEMP TABLE bench_commissioner AS
        SELECT district_id, (row_number() OVER (PARTITION BY district_id ORDER BY id) - 1)::int AS pos,
               count(*) OVER (PARTITION BY district_id) AS n, id AS user_id
        FROM commissioners_user WHERE role = 'district_commissioner' AND username LIKE %(prefix)s
        """,
        {"prefix": f"{PREFIX}-dc-%"},
    )
    execute("SELECT setseed(0.2026)")
    execute(
        """
        INSERT INTO centres_centre (
          id, name_zh, name_en, parent_company, parent_country, centre_type, in_free_trade_zone,
          in_lingang, in_zhangjiang, recognised_on, full_time_rd_staff, total_staff, status,
          created_at, updated_at, commissioner_id, district_id, guidance_class, last_contacted_on)
        SELECT g.id, '仪表板基准研发中心' || g.id, 'Dashboard bench centre ' || g.id,
               'Parent company ' || (1 + mod(g.id, 20000)),
               (ARRAY['DE', 'US', 'JP', 'FR', 'GB', 'CH', 'KR', 'NL', 'SE', 'DK'])[1 + floor(g.r_country * 10)::int],
               CASE WHEN g.r_type < 0.60 THEN 'rd_centre' WHEN g.r_type < 0.72 THEN 'global_rd_centre'
                    WHEN g.r_type < 0.92 THEN 'regional_rd_centre' ELSE 'open_innovation_platform' END,
               g.r_zone < 0.25, g.r_zone < 0.05, g.r_zone > 0.7,
               CASE WHEN g.r_type < 0.72 THEN (g.created_at + interval '200 days')::date END,
               g.staff, g.staff + floor(g.staff * (0.1 + 1.5 * g.r_total))::int,
               CASE WHEN g.r_closed < 0.03 THEN 'closed' ELSE 'active' END,
               g.created_at, g.created_at, CASE WHEN g.r_orphan >= 0.01 THEN k.user_id END, d.district_id,
               g.guidance_class,
               CASE WHEN g.new_centre THEN
                      CASE WHEN g.r_contact < 0.5
                           THEN greatest(g.created_at::date, %(today)s::date - floor(g.r_last * 30)::int) END
                    WHEN g.r_contact < 0.02 THEN NULL
                    ELSE %(today)s::date - floor(g.r_last * 1.22 * CASE g.guidance_class
                      WHEN 'needs_attention' THEN 30 WHEN 'leading' THEN 180 ELSE 90 END)::int
               END
        FROM (
          SELECT s.*,
                 CASE WHEN s.new_centre OR s.r_class < 0.08 THEN 'unclassified'
                      WHEN s.r_class < 0.26 THEN 'leading' WHEN s.r_class < 0.78 THEN 'growing'
                      ELSE 'needs_attention' END AS guidance_class,
                 CASE WHEN s.new_centre THEN %(now)s::timestamptz - s.r_age * interval '300 days'
                      ELSE %(now)s::timestamptz - interval '2 years' - power(s.r_age, 0.7) * interval '3000 days'
                 END AS created_at,
                 5 + floor(400 * power(s.r_staff, 3))::int AS staff
          FROM (
            SELECT id, id > %(old)s AS new_centre, random() AS r_district, random() AS r_comm,
                   random() AS r_orphan, random() AS r_country, random() AS r_type, random() AS r_zone,
                   random() AS r_total, random() AS r_closed, random() AS r_class, random() AS r_age,
                   random() AS r_staff, random() AS r_contact, random() AS r_last
            FROM generate_series(1, %(count)s) AS id OFFSET 0
          ) AS s
        ) AS g
        JOIN bench_district AS d ON g.r_district >= d.lo AND g.r_district < d.hi
        JOIN bench_commissioner AS k ON k.district_id = d.district_id AND k.pos = floor(g.r_comm * k.n)::int
        """,
        {"count": count, "old": old_centres(count), "now": now, "today": local_date(now)},
    )
    execute("SELECT setval(pg_get_serial_sequence('centres_centre', 'id'), %(count)s)", {"count": count})
    # The cases' pick table: centres registered before the window, with who logs their cases.
    execute("DROP TABLE IF EXISTS bench_centre")
    execute(
        """
        CREATE TEMP TABLE bench_centre AS
        SELECT c.id - 1 AS pos, c.id AS centre_id, c.district_id,
               coalesce(c.commissioner_id, k.user_id) AS created_by_id
        FROM centres_centre AS c JOIN bench_commissioner AS k ON k.district_id = c.district_id AND k.pos = 0
        WHERE c.id <= %(old)s
        """,
        {"old": old_centres(count)},
    )
    execute("ANALYZE bench_centre")


def old_centres(count: int) -> int:
    return count - count * 15 // 1000


def local_date(at: datetime) -> date:
    from django.utils import timezone

    return timezone.localtime(at).date()


# --- Cases and what hangs off them -----------------------------------------------------------

# Every case's life, half a million at a time: random durations from logging to the call-back,
# then where that life stands `now`. Stage by stage, each nested SELECT reads the previous one.
# OFFSET 0 fences every stage: without it the planner inlines each stage's expressions into the
# next, the expressions grow exponentially, and planning alone exhausts the server's memory; it
# also keeps the random draws from being drawn again in the outer stages.
PLAN = """
CREATE TEMP TABLE bench_plan AS
SELECT h.*,
       CASE WHEN h.ended AND h.fate = 'withdrawn' THEN 'withdrawn'
            WHEN h.ended THEN CASE WHEN h.t_ref_close <= %(now)s THEN 'closed' ELSE 'referred_up' END
            WHEN h.t_dispatch > %(now)s THEN 'submitted'
            WHEN h.t_accept IS NULL OR h.t_accept > %(now)s THEN 'dispatched'
            WHEN h.t_answer1 IS NULL OR h.t_answer1 > %(now)s THEN 'in_progress'
            WHEN h.t_cb1 IS NULL OR h.t_cb1 > %(now)s THEN 'answered'
            WHEN NOT h.reopened THEN 'closed'
            WHEN h.t_answer2 > %(now)s THEN 'in_progress'
            WHEN h.t_cb2 > %(now)s THEN 'answered'
            ELSE 'closed' END AS state,
       CASE WHEN h.accept_missed THEN h.t_accept_esc WHEN h.answer_missed THEN h.t_answer_esc
            WHEN h.manual_sup THEN h.t_dispatch + interval '1 day' * (1 + 4 * h.r_sup_close) END AS t_sup,
       CASE WHEN h.accept_missed THEN h.t_accept WHEN h.answer_missed THEN h.t_answer1
            WHEN h.manual_sup THEN h.t_answer1 END AS t_sup_done,
       CASE WHEN h.accept_missed THEN h.accept_due WHEN h.answer_missed THEN h.answer_due_first END
         AS escalated_due
FROM (
  SELECT g.*,
         g.t_end + interval '1 day' * (15 + 75 * g.r_ref_close) AS t_ref_close,
         g.t_answer2 + interval '1 hour' * (8 + 110 * g.r_cb2) AS t_cb2,
         g.t_end IS NOT NULL AND g.t_end <= %(now)s AS ended,
         coalesce(CASE WHEN g.t_end <= %(now)s THEN g.t_end END, %(now)s) AS tt,
         g.t_dispatch <= coalesce(CASE WHEN g.t_end <= %(now)s THEN g.t_end END, %(now)s) AS dispatched,
         g.t_first + (g.t_dispatch - g.t_first) / 2
           <= coalesce(CASE WHEN g.t_end <= %(now)s THEN g.t_end END, %(now)s) AND g.returned AS was_returned,
         -- The sweep escalates a deadline at 00:05 the day after it (every deadline once).
         g.t_accept_esc <= coalesce(CASE WHEN g.t_end <= %(now)s THEN g.t_end END, %(now)s)
           AND g.t_dispatch < g.t_accept_esc
           AND (g.t_accept IS NULL OR g.t_accept > g.t_accept_esc) AS accept_missed,
         g.t_accept < g.t_answer_esc
           AND g.t_answer_esc <= coalesce(CASE WHEN g.t_end <= %(now)s THEN g.t_end END, %(now)s)
           AND (g.t_answer1 IS NULL OR g.t_answer1 > g.t_answer_esc)
           AND NOT (g.t_accept_esc <= coalesce(CASE WHEN g.t_end <= %(now)s THEN g.t_end END, %(now)s)
                    AND (g.t_accept IS NULL OR g.t_accept > g.t_accept_esc)) AS answer_missed,
         g.r_sup < 0.004 AND g.t_dispatch + interval '1 day' * (1 + 4 * g.r_sup_close)
           <= coalesce(CASE WHEN g.t_end <= %(now)s THEN g.t_end END, %(now)s)
           AND g.t_accept IS NOT NULL AND g.t_accept < g.t_dispatch + interval '1 day' * (1 + 4 * g.r_sup_close)
           AND (g.t_answer1 IS NULL OR g.t_answer1 > g.t_dispatch + interval '1 day' * (1 + 4 * g.r_sup_close))
           AND (g.t_accept_esc > coalesce(CASE WHEN g.t_end <= %(now)s THEN g.t_end END, %(now)s)
                OR g.t_accept <= g.t_accept_esc)
           AND (g.t_answer_esc > coalesce(CASE WHEN g.t_end <= %(now)s THEN g.t_end END, %(now)s)
                OR g.t_answer1 <= g.t_answer_esc) AS manual_sup
  FROM (
    SELECT f.*,
           CASE WHEN f.reopened THEN f.t_cb1 + greatest(pg_temp.bench_eod(f.answer_due_re) - f.t_cb1,
                interval '4 hours') * (0.1 + 0.8 * f.r_ans2) END AS t_answer2,
           CASE WHEN f.fate = 'withdrawn'
                  THEN f.t0 + (coalesce(f.t_answer1, f.t0 + interval '20 days') - f.t0) * (0.05 + 0.9 * f.r_end)
                WHEN f.fate = 'referred'
                  THEN f.t0 + (least(coalesce(f.t_answer1, f.t0 + interval '10 days'), f.t0 + interval '10 days')
                               - f.t0) * (0.05 + 0.9 * f.r_end) END AS t_end,
           pg_temp.bench_eod(f.accept_due) + interval '5 minutes' AS t_accept_esc,
           pg_temp.bench_eod(f.answer_due_first) + interval '5 minutes' AS t_answer_esc
    FROM (
      SELECT e.*,
             CASE WHEN e.t_answer1 IS NULL OR e.fate = 'stuck_callback' THEN NULL
                  ELSE e.t_answer1 + interval '1 hour' * (8 + 110 * e.r_cb1) END AS t_cb1,
             CASE WHEN e.fate = 'normal' AND e.r_reopen < 0.05 AND e.t_answer1 IS NOT NULL
                  THEN pg_temp.bench_add_wd(pg_temp.bench_local(
                         e.t_answer1 + interval '1 hour' * (8 + 110 * e.r_cb1)), e.answer_wd) END AS answer_due_re,
             e.fate = 'normal' AND e.r_reopen < 0.05 AND e.t_answer1 IS NOT NULL AS reopened,
             e.t_ext_req + interval '1 hour' * (3 + 45 * e.r_ext_dec) AS t_ext_dec,
             CASE WHEN e.has_ext AND e.ext_approved
                  THEN pg_temp.bench_add_wd(e.answer_due_original, e.ext_days) END AS answer_due_ext,
             -- The answer deadline the sweep watched: extended if the extension came in time.
             CASE WHEN e.has_ext AND e.ext_approved
                       AND e.t_ext_req + interval '1 hour' * (3 + 45 * e.r_ext_dec)
                           < pg_temp.bench_eod(e.answer_due_original)
                  THEN pg_temp.bench_add_wd(e.answer_due_original, e.ext_days)
                  ELSE e.answer_due_original END AS answer_due_first
      FROM (
        SELECT d.*,
               CASE WHEN d.has_ext THEN d.t_accept + greatest(
                      least(coalesce(d.t_answer1, pg_temp.bench_eod(d.answer_due_original)),
                            pg_temp.bench_eod(d.answer_due_original)) - d.t_accept, interval '2 hours')
                    * (0.3 + 0.5 * d.r_ext_req) END AS t_ext_req
        FROM (
          SELECT c.*,
                 CASE WHEN c.t_accept IS NULL OR c.fate = 'stuck_answer' THEN NULL
                      WHEN c.late_answer THEN greatest(pg_temp.bench_eod(c.answer_due_original), c.t_accept)
                           + interval '1 hour' * (3 + 24 * 14 * c.r_work)
                      ELSE c.t_accept + greatest(pg_temp.bench_eod(c.answer_due_original) - c.t_accept,
                           interval '4 hours') * (0.08 + 0.85 * power(c.r_work, 1.3)) END AS t_answer1,
                 c.t_accept IS NOT NULL AND CASE WHEN c.late_answer OR c.fate = 'stuck_answer'
                   THEN c.r_ext < 0.5 ELSE c.r_ext < 0.015 END AS has_ext,
                 c.r_ext_ok < 0.8 AS ext_approved,
                 (ARRAY[5, 10, 15])[1 + floor(c.r_ext_days * 3)::int] AS ext_days
          FROM (
            SELECT b.*,
                   CASE WHEN b.fate = 'stuck_accept' THEN NULL
                        WHEN b.r_acc_late < 0.03
                          THEN pg_temp.bench_eod(b.accept_due) + interval '1 hour' * (2 + 100 * b.r_acc)
                        ELSE b.t_dispatch + (pg_temp.bench_eod(b.accept_due) - b.t_dispatch)
                             * (0.03 + 0.9 * power(b.r_acc, 2)) END AS t_accept,
                   b.r_work_late < 0.05 AS late_answer
            FROM (
              SELECT a.*,
                     pg_temp.bench_add_wd(pg_temp.bench_local(a.t_dispatch), a.accept_wd) AS accept_due,
                     pg_temp.bench_add_wd(pg_temp.bench_local(a.t_dispatch), a.answer_wd) AS answer_due_original
              FROM (
                SELECT r.*, p.centre_id, p.district_id, p.created_by_id, lead.bureau_id AS lead_id,
                       r.t0 + interval '1 hour' * (1 + 60 * power(r.r_triage, 2)) AS t_first,
                       r.t0 + interval '1 hour' * (1 + 60 * power(r.r_triage, 2)
                         + CASE WHEN r.returned THEN 4 + 24 * r.r_ret_h ELSE 0 END) AS t_dispatch,
                       CASE r.urgency WHEN 'urgent' THEN %(accept_urgent)s ELSE %(accept_normal)s END AS accept_wd,
                       CASE r.urgency WHEN 'urgent' THEN %(answer_urgent)s ELSE %(answer_normal)s END AS answer_wd
                FROM (
                  SELECT q.*,
                         (%(measures)s::bigint[])[1 + floor(q.r_measure * 100)::int] AS measure_id,
                         CASE WHEN q.r_urg < %(urgent_share)s THEN 'urgent' ELSE 'normal' END AS urgency,
                         least(%(start)s::timestamptz + (%(now)s::timestamptz - %(start)s::timestamptz)
                                 * power((q.id - 0.5)::float8 / %(n)s, 0.8) + (q.r_jit - 0.5) * interval '4 hours',
                               %(now)s::timestamptz - interval '5 minutes') AS t0,
                         CASE WHEN q.r_fate < 0.03 THEN 'withdrawn' WHEN q.r_fate < 0.05 THEN 'referred'
                              WHEN q.r_fate < 0.052 THEN 'stuck_accept' WHEN q.r_fate < 0.060 THEN 'stuck_answer'
                              WHEN q.r_fate < 0.063 THEN 'stuck_callback' ELSE 'normal' END AS fate,
                         q.r_ret < 0.02 AS returned
                  FROM (
                    SELECT id, random() AS r_centre, random() AS r_measure, random() AS r_urg,
                           random() AS r_conf, random() AS r_jit, random() AS r_source, random() AS r_fate,
                           random() AS r_ret, random() AS r_ret_h, random() AS r_wrong, random() AS r_triage,
                           random() AS r_acc, random() AS r_acc_late, random() AS r_work,
                           random() AS r_work_late, random() AS r_cb1, random() AS r_reopen,
                           random() AS r_cb1_kind, random() AS r_ans2, random() AS r_cb2, random() AS r_sat,
                           random() AS r_outcome, random() AS r_end, random() AS r_ref_close,
                           random() AS r_ref_dept, random() AS r_ext, random() AS r_ext_req,
                           random() AS r_ext_dec, random() AS r_ext_ok, random() AS r_ext_days,
                           random() AS r_sup, random() AS r_sup_close, random() AS r_nco
                    FROM generate_series(%(low)s, %(high)s) AS id OFFSET 0
                  ) AS q
                  OFFSET 0
                ) AS r
                JOIN bench_centre AS p ON p.pos = floor(power(r.r_centre, 1.3) * %(centres)s)::int
                JOIN bench_route AS lead
                  ON lead.measure_id = r.measure_id AND lead.district_id = p.district_id AND lead.pos = 0
                OFFSET 0
              ) AS a
              OFFSET 0
            ) AS b
            OFFSET 0
          ) AS c
          OFFSET 0
        ) AS d
        OFFSET 0
      ) AS e
      OFFSET 0
    ) AS f
    OFFSET 0
  ) AS g
  OFFSET 0
) AS h
"""

CASES = """
INSERT INTO cases_case (
  id, centre_id, district_id, measure_id, title, description, urgency, is_confidential, source, state,
  contact_record_id, created_by_id, created_at, updated_at, lead_bureau_id, dispatched_at, accept_due_on,
  answer_due_on, answer_due_original, due_is_provisional, escalated_due_on, accepted_at, answered_at,
  answer_text, answer_actions, answer_outcome, callback_at, callback_resolved, callback_satisfaction,
  callback_note, reopen_count, return_count, referred_to_id, referred_at, referral_note, referral_outcome,
  is_supervised, closed_at)
SELECT x.id, x.centre_id, x.district_id, x.measure_id,
       'Case ' || x.id || ': ' || (ARRAY['customs clearance of R&D samples', 'work permits for foreign experts',
         'R&D expense deduction', 'cross-border data transfer', 'research funding application',
         'patent examination', 'visa for a visiting scientist', 'rent subsidy'])[1 + mod(x.id, 8)::int],
       'What the centre met, as its district commissioner logged it for the dashboard benchmark.',
       x.urgency, x.r_conf < 0.05,
       (ARRAY['visit', 'visit', 'visit', 'visit', 'visit', 'call', 'call', 'meeting', 'assessment', 'other'])
         [1 + floor(x.r_source * 10)::int],
       x.state, NULL, x.created_by_id, x.t0,
       greatest(x.t0, CASE WHEN x.dispatched THEN x.t_dispatch END, x.accepted_at, x.answered_at,
                x.callback_at, x.closed_at, CASE WHEN x.ended THEN x.t_end END),
       CASE WHEN x.dispatched THEN x.lead_id END, CASE WHEN x.dispatched THEN x.t_dispatch END,
       CASE WHEN x.dispatched THEN x.accept_due END, x.answer_due_now,
       CASE WHEN x.dispatched THEN x.answer_due_original END, false,
       CASE WHEN x.t_sup IS NOT NULL AND x.t_sup <= x.tt THEN x.escalated_due END,
       x.accepted_at, x.answered_at,
       CASE WHEN x.t_answer1 <= x.tt THEN 'What the bureau did and found.' ELSE '' END, '',
       CASE WHEN x.t_answer1 <= x.tt THEN CASE WHEN x.r_outcome < 0.7 THEN 'solved' ELSE 'explained' END
            ELSE '' END,
       x.callback_at,
       CASE WHEN x.callback_at IS NULL THEN NULL WHEN x.reopened AND x.callback_at = x.t_cb1
            THEN x.r_cb1_kind >= 0.7 ELSE true END,
       CASE WHEN x.callback_at IS NULL THEN ''
            WHEN x.reopened AND x.callback_at = x.t_cb1
              THEN CASE WHEN x.r_cb1_kind >= 0.7 OR x.r_sat < 0.5 THEN 'unsatisfied' ELSE 'basically_satisfied' END
            WHEN x.r_sat < 0.8 THEN 'satisfied' ELSE 'basically_satisfied' END,
       '', CASE WHEN x.reopened AND x.t_cb1 <= %(now)s THEN 1 ELSE 0 END,
       CASE WHEN x.was_returned THEN 1 ELSE 0 END,
       CASE WHEN x.ended AND x.fate = 'referred' THEN (%(departments)s::bigint[])
         [1 + floor(x.r_ref_dept * cardinality(%(departments)s::bigint[]))::int] END,
       CASE WHEN x.ended AND x.fate = 'referred' THEN x.t_end END,
       CASE WHEN x.ended AND x.fate = 'referred' THEN 'Beyond the city''s authority.' ELSE '' END,
       CASE WHEN x.ended AND x.fate = 'referred' AND x.state = 'closed' THEN 'The department replied.' ELSE '' END,
       x.t_sup IS NOT NULL AND x.t_sup <= x.tt AND x.sup_closed IS NULL,
       x.closed_at
FROM (
  SELECT p.*,
         CASE WHEN p.t_accept <= p.tt THEN p.t_accept END AS accepted_at,
         CASE WHEN p.reopened AND p.t_cb1 <= %(now)s THEN CASE WHEN p.t_answer2 <= %(now)s THEN p.t_answer2 END
              WHEN p.t_answer1 <= p.tt THEN p.t_answer1 END AS answered_at,
         CASE WHEN p.reopened AND p.t_cb2 <= %(now)s THEN p.t_cb2 WHEN p.t_cb1 <= p.tt THEN p.t_cb1 END
           AS callback_at,
         CASE WHEN p.state = 'closed' AND p.fate = 'referred' THEN p.t_ref_close
              WHEN p.state = 'closed' THEN CASE WHEN p.reopened THEN p.t_cb2 ELSE p.t_cb1 END
              WHEN p.state = 'withdrawn' THEN p.t_end END AS closed_at,
         CASE WHEN NOT p.dispatched THEN NULL
              WHEN p.reopened AND p.t_cb1 <= %(now)s THEN p.answer_due_re
              WHEN p.has_ext AND p.ext_approved AND p.t_ext_dec <= p.tt THEN p.answer_due_ext
              ELSE p.answer_due_original END AS answer_due_now,
         CASE WHEN p.t_sup IS NULL OR p.t_sup > p.tt THEN NULL
              WHEN p.t_sup_done <= p.tt
                   AND greatest(p.t_sup_done, p.t_sup) + interval '1 hour' * (2 + 46 * p.r_sup_close) <= %(now)s
                THEN greatest(p.t_sup_done, p.t_sup) + interval '1 hour' * (2 + 46 * p.r_sup_close)
              WHEN p.ended THEN greatest(p.t_end, p.t_sup) END AS sup_closed
  FROM bench_plan AS p
  OFFSET 0
) AS x
"""

ASSIGNMENTS = """
INSERT INTO cases_assignment (
  case_id, bureau_id, is_lead, status, is_current, accept_due_on, accepted_at, contribution,
  contributed_at, return_reason, created_at, case_state, case_is_confidential, case_answer_due_on)
-- The bureau that first got a misrouted case and sent it back.
SELECT p.id,
       CASE WHEN w.bureau_id = p.lead_id
            THEN (%(leads)s::bigint[])[1 + mod(w.slot, cardinality(%(leads)s::bigint[]))]
            ELSE w.bureau_id END,
       true, 'returned', false,
       pg_temp.bench_add_wd(pg_temp.bench_local(p.t_first), p.accept_wd), NULL, '', NULL,
       'Not within our remit: the measure''s other unit handles this.', p.t_first, c.state, c.is_confidential,
       c.answer_due_on
FROM bench_plan AS p
JOIN cases_case AS c ON c.id = p.id
CROSS JOIN LATERAL (
  SELECT (%(leads)s::bigint[])[1 + floor(p.r_wrong * cardinality(%(leads)s::bigint[]))::int] AS bureau_id,
         1 + floor(p.r_wrong * cardinality(%(leads)s::bigint[]))::int AS slot
) AS w
WHERE p.was_returned
UNION ALL
-- The lead and the co-handlers the routing table names after it, as dispatched.
SELECT p.id, r.bureau_id, r.pos = 0,
       CASE WHEN p.ended THEN 'released'
            WHEN r.pos = 0 THEN CASE WHEN c.accepted_at IS NOT NULL THEN 'accepted' ELSE 'pending' END
            WHEN co.contributed_at <= %(now)s THEN 'contributed'
            WHEN co.accepted_at <= %(now)s THEN 'accepted' ELSE 'pending' END,
       NOT p.ended, p.accept_due,
       CASE WHEN r.pos = 0 THEN c.accepted_at WHEN co.accepted_at <= p.tt THEN co.accepted_at END,
       CASE WHEN NOT p.ended AND co.contributed_at <= %(now)s THEN 'Our part of the answer.' ELSE '' END,
       CASE WHEN NOT p.ended AND co.contributed_at <= %(now)s THEN co.contributed_at END,
       '', p.t_dispatch, c.state, c.is_confidential, c.answer_due_on
FROM bench_plan AS p
JOIN cases_case AS c ON c.id = p.id
JOIN bench_route AS r ON r.measure_id = c.measure_id AND r.district_id = c.district_id
  AND r.pos <= CASE WHEN p.r_nco < 0.25 THEN 0 WHEN p.r_nco < 0.7 THEN 1 ELSE 2 END
CROSS JOIN LATERAL (
  SELECT a.accepted_at,
         CASE WHEN p.t_answer1 > a.accepted_at
              THEN a.accepted_at + (p.t_answer1 - a.accepted_at) * (0.2 + 0.6 * random()) END AS contributed_at
  FROM (
    SELECT CASE WHEN random() < 0.05
                THEN pg_temp.bench_eod(p.accept_due) + interval '1 hour' * (2 + 70 * random())
                ELSE p.t_dispatch + (pg_temp.bench_eod(p.accept_due) - p.t_dispatch) * (0.03 + 0.9 * random())
           END AS accepted_at
  ) AS a
) AS co
WHERE p.dispatched
"""

EXTENSIONS = """
INSERT INTO cases_extensionrequest (
  case_id, bureau_id, requested_by_id, working_days, reason, status, decided_by_id, decided_at,
  decision_note, created_at)
SELECT p.id, p.lead_id, s.id, p.ext_days, 'The answer needs another bureau''s opinion.',
       CASE WHEN p.t_ext_dec > p.tt THEN 'pending' WHEN p.ext_approved THEN 'approved' ELSE 'rejected' END,
       CASE WHEN p.t_ext_dec <= p.tt THEN %(city)s::bigint END,
       CASE WHEN p.t_ext_dec <= p.tt THEN p.t_ext_dec END,
       CASE WHEN p.t_ext_dec <= p.tt AND NOT p.ext_approved THEN 'The deadline stands.' ELSE '' END,
       p.t_ext_req
FROM bench_plan AS p
JOIN commissioners_user AS s ON s.bureau_id = p.lead_id AND s.username LIKE %(staff)s
WHERE p.has_ext AND p.t_ext_req <= p.tt
"""

SUPERVISIONS = """
INSERT INTO cases_supervision (
  case_id, reason, note, due_on, opened_by_id, opened_at, closed_by_id, closed_at, closing_note)
SELECT p.id, CASE WHEN p.manual_sup THEN 'manual' ELSE 'overdue' END,
       CASE WHEN p.manual_sup THEN 'The centre''s difficulty needs the city''s attention.'
            ELSE 'A deadline passed.' END,
       pg_temp.bench_local(p.t_sup) + CASE WHEN p.manual_sup THEN 10 ELSE 5 END,
       CASE WHEN p.manual_sup THEN %(city)s::bigint END, p.t_sup,
       CASE WHEN c.is_supervised THEN NULL ELSE %(city)s::bigint END,
       CASE WHEN c.is_supervised THEN NULL
            ELSE least(%(now)s::timestamptz, greatest(p.t_sup + interval '1 hour',
              coalesce(CASE WHEN p.t_sup_done <= p.tt
                            THEN p.t_sup_done + interval '1 hour' * (2 + 46 * p.r_sup_close) END, p.t_end)))
       END,
       CASE WHEN c.is_supervised THEN '' ELSE 'Handled.' END
FROM bench_plan AS p
JOIN cases_case AS c ON c.id = p.id
WHERE p.t_sup IS NOT NULL AND p.t_sup <= p.tt
"""

BIG_TABLES = ("cases_case", "cases_assignment", "cases_extensionrequest", "cases_supervision")


def drop_secondary_indexes() -> list[str]:
    """Drops the big tables' indexes that back no constraint; returns their definitions to rebuild."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes AS i
            WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conname = i.indexname)
            ORDER BY i.tablename, i.indexname
            """,
            [list(BIG_TABLES)],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in indexes]


def build_cases(count: int, centres: int, now: datetime, deadlines: dict) -> None:
    from django.utils import timezone

    from commissioners.models import Bureau
    from policies.models import Measure, Programme, ResponsibleUnit

    zone = timezone.get_current_timezone()
    this_month = timezone.localtime(now).date().replace(day=1)
    first = this_month
    for _ in range(MONTHS - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    numbers = dict(Measure.objects.filter(programme=Programme.SHANGHAI_2024).values_list("number", "pk"))
    slots = [numbers[number] for number, weight in MEASURE_WEIGHTS.items() for _ in range(weight)]
    assert len(slots) == 100
    departments = sorted(
        set(
            ResponsibleUnit.objects.filter(
                measure__programme=Programme.NATIONAL_2023, bureau__level=Bureau.Level.NATIONAL
            ).values_list("bureau_id", flat=True)
        )
    )
    leads = [row[0] for row in query("SELECT DISTINCT bureau_id FROM bench_route WHERE pos = 0 ORDER BY 1")]
    city = scalar(
        "SELECT min(id) FROM commissioners_user WHERE role = 'city_commissioner' AND username LIKE %s",
        [f"{PREFIX}-city-%"],
    )
    params = {
        **deadlines,
        "now": now,
        "start": start,
        "n": count,
        "centres": old_centres(centres),
        "measures": slots,
        "urgent_share": URGENT_SHARE,
        "departments": departments,
        "leads": leads,
        "city": city,
        "staff": f"{PREFIX}-staff-%",
    }
    print(f"data: cases from {first:%Y-%m} to {this_month:%Y-%m}, {CHUNK:,} at a time", flush=True)
    execute("SELECT setseed(0.42)")
    for low in range(1, count + 1, CHUNK):
        high = min(low + CHUNK - 1, count)
        chunk = {**params, "low": low, "high": high}
        begun = time.monotonic()
        execute("DROP TABLE IF EXISTS bench_plan")
        execute(PLAN, chunk)
        planned = time.monotonic()
        cases = execute(CASES, chunk)
        assignments = execute(ASSIGNMENTS, chunk)
        extensions = execute(EXTENSIONS, chunk)
        supervisions = execute(SUPERVISIONS, chunk)
        print(
            f"data: cases {low:,}-{high:,}: {cases:,} cases, {assignments:,} assignments, "
            f"{extensions:,} extension requests, {supervisions:,} supervisions in "
            f"{time.monotonic() - begun:.1f} s (plan {planned - begun:.1f} s; total "
            f"{time.monotonic() - Step.started:.0f} s)",
            flush=True,
        )
    execute("DROP TABLE IF EXISTS bench_plan")
    execute("SELECT setval(pg_get_serial_sequence('cases_case', 'id'), %(count)s)", {"count": count})


def query(sql: str, params=None) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- Assessments -------------------------------------------------------------------------------


def build_assessments(now: datetime) -> None:
    """Two annual cycles, the older one closed. One assessment per centre registered before a cycle
    opened (active centres only for the newest): the newest cycle's classified centres were
    reviewed into their class, the unclassified ones are still open, submitted or returned.
    Findings as `assessments.eligibility` routes them, for the reviewed assessments."""
    from django.utils import timezone

    from assessments.models import AssessmentCycle
    from commissioners.models import Bureau
    from policies.models import Measure, Programme

    zone = timezone.get_current_timezone()
    year = (timezone.localtime(now).date() - timedelta(days=60)).year - 1
    cycles = []
    for y, closed in ((year - 1, True), (year, False)):
        opens = date(y + 1, 1, 15)
        cycles.append(
            AssessmentCycle.objects.create(
                name=f"{y} annual",
                period_start=date(y, 1, 1),
                period_end=date(y, 12, 31),
                opens_on=opens,
                due_on=date(y + 1, 2, 28),
                opened_at=datetime.combine(opens, datetime.min.time(), tzinfo=zone)
                + timedelta(hours=6, minutes=15),
                closed_at=datetime(y + 1, 6, 30, 18, tzinfo=zone) if closed else None,
                created_at=datetime(y, 12, 1, 10, tzinfo=zone),
            )
        )
    measures = dict(Measure.objects.filter(programme=Programme.SHANGHAI_2024).values_list("number", "pk"))
    city = scalar(
        "SELECT min(id) FROM commissioners_user WHERE role = 'city_commissioner' AND username LIKE %s",
        [f"{PREFIX}-city-%"],
    )
    for cycle, newest in ((cycles[0], False), (cycles[1], True)):
        execute(
            """
            INSERT INTO centres_assessment (
              cycle_id, centre_id, district_id, assignee_id, state, full_time_rd_staff, total_staff,
              rd_spending_cny, patents_filed, patents_granted, joint_projects_universities,
              joint_projects_institutes, joint_projects_firms, startups_incubated, foreign_experts,
              problems_met, centre_view_of_service, cases_logged, cases_answered, cases_answered_on_time,
              cases_resolved, callbacks, callbacks_satisfied, contacts_made, figures_computed_at, score,
              guidance_class, class_reasons, submitted_at, submitted_by_id, return_reason, reviewed_at,
              reviewed_by_id, review_note, created_at, updated_at)
            SELECT a.cycle_id, a.centre_id, a.district_id, a.assignee_id, a.state,
                   CASE WHEN a.filled THEN a.staff END, CASE WHEN a.filled THEN a.total END,
                   CASE WHEN a.filled THEN round((a.staff * (300000 + 900000 * a.r1))::numeric, 2) END,
                   CASE WHEN a.filled THEN floor(a.staff * 0.2 * a.r2)::int END,
                   CASE WHEN a.filled THEN floor(a.staff * 0.1 * a.r2)::int END,
                   CASE WHEN a.filled THEN floor(4 * a.r3)::int END,
                   CASE WHEN a.filled THEN floor(3 * a.r1)::int END,
                   CASE WHEN a.filled THEN floor(5 * a.r2)::int END,
                   CASE WHEN a.filled THEN floor(3 * a.r3 * a.r3)::int END,
                   CASE WHEN a.filled THEN floor(a.staff * 0.08 * a.r1)::int END,
                   '', CASE WHEN a.filled THEN 'Helpful and quick.' ELSE '' END,
                   a.logged, floor(a.logged * 0.9)::int, floor(a.logged * 0.85)::int,
                   floor(a.logged * 0.8)::int, floor(a.logged * 0.85)::int, floor(a.logged * 0.8)::int,
                   1 + floor(6 * a.r3)::int, a.opened_at,
                   CASE WHEN a.filled THEN a.score END,
                   CASE WHEN NOT a.filled THEN ''
                        WHEN a.score >= 60 THEN 'leading' WHEN a.score >= 30 THEN 'growing'
                        ELSE 'needs_attention' END,
                   '[]'::jsonb,
                   CASE WHEN a.filled THEN a.submitted_at END, CASE WHEN a.filled THEN a.assignee_id END,
                   CASE WHEN a.state = 'returned' THEN 'Please check the R&D spending.' ELSE '' END,
                   CASE WHEN a.state = 'reviewed' THEN a.submitted_at + interval '1 day' * (2 + 28 * a.r2) END,
                   CASE WHEN a.state = 'reviewed' THEN %(city)s::bigint END, '',
                   a.opened_at, least(%(now)s::timestamptz, a.submitted_at + interval '30 days')
            FROM (
              SELECT s.*, s.state <> 'open' AS filled,
                     -- The score behind the class: the centre's class for reviewed assessments.
                     round((CASE s.klass WHEN 'leading' THEN 60 + 35 * s.r1 WHEN 'growing' THEN 30 + 29.9 * s.r1
                                         ELSE 5 + 24.9 * s.r1 END)::numeric, 1) AS score
              FROM (
                SELECT %(cycle)s::bigint AS cycle_id, c.id AS centre_id, c.district_id,
                       c.commissioner_id AS assignee_id, %(opened_at)s::timestamptz AS opened_at,
                       CASE WHEN NOT %(newest)s THEN CASE WHEN g.r_state < 0.97 THEN 'reviewed' ELSE 'open' END
                            WHEN c.guidance_class <> 'unclassified' THEN 'reviewed'
                            WHEN g.r_state < 0.4 THEN 'open' WHEN g.r_state < 0.75 THEN 'submitted'
                            ELSE 'returned' END AS state,
                       CASE WHEN %(newest)s AND c.guidance_class <> 'unclassified' THEN c.guidance_class
                            WHEN g.r_class < 0.2 THEN 'leading' WHEN g.r_class < 0.72 THEN 'growing'
                            ELSE 'needs_attention' END AS klass,
                       greatest(1, floor(c.full_time_rd_staff * (0.85 + 0.2 * g.r1)))::int AS staff,
                       greatest(c.total_staff, floor(c.full_time_rd_staff * (0.85 + 0.2 * g.r1))::int) AS total,
                       floor(24 * g.r2)::int AS logged,
                       %(opened_at)s::timestamptz + interval '1 day' * (3 + 40 * g.r3) AS submitted_at,
                       g.r1, g.r2, g.r3
                FROM centres_centre AS c
                CROSS JOIN LATERAL (
                  SELECT random() AS r_state, random() AS r_class, random() AS r1, random() AS r2,
                         random() AS r3 WHERE c.id IS NOT NULL
                ) AS g
                WHERE c.created_at < %(opened_at)s AND (NOT %(newest)s OR c.status = 'active')
              ) AS s
            ) AS a
            """,
            {"cycle": cycle.pk, "opened_at": cycle.opened_at, "newest": newest, "city": city, "now": now},
        )
    commerce, finance = (Bureau.objects.get(code=code).pk for code in ("sh-commerce", "sh-finance"))
    execute(
        """
        INSERT INTO centres_finding (
          assessment_id, rule, measure_id, bureau_id, status, note, handled_by_id, handled_at, created_at)
        SELECT f.assessment_id, f.rule, f.measure_id, f.bureau_id, f.status,
               CASE f.status WHEN 'acted_on' THEN 'Contacted the centre and explained the application.'
                             WHEN 'acknowledged' THEN 'Noted.' ELSE '' END,
               CASE WHEN f.status <> 'open' THEN s.id END,
               CASE WHEN f.status <> 'open' THEN least(%(now)s::timestamptz, f.created_at + interval '1 day' * (1 + 40 * random())) END,
               f.created_at
        FROM (
          SELECT a.id AS assessment_id, x.rule, x.measure_id, x.bureau_id, a.reviewed_at AS created_at,
                 CASE WHEN a.cycle_id = %(older)s THEN CASE WHEN random() < 0.9 THEN 'acted_on' ELSE 'acknowledged' END
                      WHEN random() < 0.4 THEN 'open' WHEN random() < 0.45 THEN 'acknowledged' ELSE 'acted_on' END
                   AS status
          FROM centres_assessment AS a
          JOIN centres_centre AS c ON c.id = a.centre_id
          CROSS JOIN LATERAL (
            SELECT 'needs_attention' AS rule, %(m9)s::bigint AS measure_id, r.bureau_id
            FROM bench_route AS r
            WHERE a.guidance_class = 'needs_attention' AND r.measure_id = %(m9)s AND r.district_id = a.district_id
            UNION ALL
            SELECT 'hq_startup_and_rent_subsidy', %(m8)s::bigint, b.id
            FROM (VALUES (%(commerce)s::bigint), (%(finance)s::bigint)) AS b(id)
            WHERE c.centre_type = 'global_rd_centre' AND a.full_time_rd_staff >= 50
          ) AS x
          WHERE a.state = 'reviewed'
        ) AS f
        LEFT JOIN commissioners_user AS s ON s.bureau_id = f.bureau_id AND s.username LIKE %(staff)s
        """,
        {
            "now": now,
            "older": cycles[0].pk,
            "m8": measures[8],
            "m9": measures[9],
            "commerce": commerce,
            "finance": finance,
            "staff": f"{PREFIX}-staff-%",
        },
    )


# --- The build ---------------------------------------------------------------------------------


def build_data(case_count: int, centre_count: int) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from assessments.figures import rebuild_assessment_figures
    from cases.figures import fold_past_due_days, rebuild_case_figures

    call_command("migrate", verbosity=0)
    if is_built(case_count, centre_count):
        record = build_record()
        print(
            f"data: {case_count:,} cases and {centre_count:,} centres already there "
            f"(built {record['built_at']}; --rebuild to start again)",
            flush=True,
        )
        built_month = record["built_at"][:7]
        if built_month != timezone.localdate().strftime("%Y-%m"):
            print(
                f"note: the data was built in {built_month}: this month's figures are empty; --rebuild",
                flush=True,
            )
        return record
    from cases.models import Case

    if Case.objects.exists():
        raise SystemExit("the benchmark database holds other data (an unfinished build?): run with --rebuild")
    Step.started = time.monotonic()
    now = timezone.now().replace(microsecond=0)
    deadlines = deadline_days()
    connection.ensure_connection()
    execute(
        "SET session_replication_role = replica; SET synchronous_commit = off; SET work_mem = '256MB'; "
        "SET maintenance_work_mem = '1GB'; SET temp_buffers = '256MB'; SET statement_timeout = '20min'"
    )
    with Step("people"):
        build_people(centre_count)
    build_helpers()
    with Step(f"{centre_count:,} centres"):
        build_centres(centre_count, now)
    with Step("secondary indexes of the case tables dropped"):
        indexes = drop_secondary_indexes()
    with Step(f"{case_count:,} cases with their assignments, extension requests and supervisions"):
        build_cases(case_count, centre_count, now, deadlines)
    with Step(f"{len(indexes)} indexes built again"):
        for definition in indexes:
            execute(definition)
    with Step("assessment cycles, assessments and findings"):
        build_assessments(now)
    with Step("ANALYZE"):
        execute("ANALYZE")
    # What follows (the rebuild, the timing) runs on a fresh connection with the server's settings.
    connection.close()
    checks = check_data()
    started = time.monotonic()
    rebuild_case_figures()
    rebuild_seconds = time.monotonic() - started
    print(f"data: rebuild_case_figures(): {rebuild_seconds:.1f} s", flush=True)
    with Step("rebuild_assessment_figures()"):
        rebuild_assessment_figures()
    with Step("fold_past_due_days(), as the beat does every night"):
        fold_past_due_days(today=timezone.localdate())
    with Step("VACUUM ANALYZE"):
        settle_database()
    record = {
        "cases": case_count,
        "centres": centre_count,
        "built_at": timezone.localtime(now).isoformat(),
        "build_seconds": round(time.monotonic() - Step.started),
        "rebuild_seconds": round(rebuild_seconds, 1),
        "checks": checks,
    }
    write_build_record(record)
    return record


def check_data() -> dict:
    """What the foreign keys would have checked (they were off while loading), counted."""
    checks = {
        "cases without their centre": "SELECT count(*) FROM cases_case c LEFT JOIN centres_centre x ON x.id = c.centre_id WHERE x.id IS NULL",
        "cases whose creator is missing": "SELECT count(*) FROM cases_case c LEFT JOIN commissioners_user u ON u.id = c.created_by_id WHERE u.id IS NULL",
        "cases whose lead is missing": "SELECT count(*) FROM cases_case c LEFT JOIN commissioners_bureau b ON b.id = c.lead_bureau_id WHERE c.lead_bureau_id IS NOT NULL AND b.id IS NULL",
        "assignments whose bureau is missing": "SELECT count(*) FROM cases_assignment a LEFT JOIN commissioners_bureau b ON b.id = a.bureau_id WHERE b.id IS NULL",
        "extension requests without their requester": "SELECT count(*) FROM cases_extensionrequest e LEFT JOIN commissioners_user u ON u.id = e.requested_by_id WHERE u.id IS NULL",
        "centres whose commissioner is missing": "SELECT count(*) FROM centres_centre c LEFT JOIN commissioners_user u ON u.id = c.commissioner_id WHERE c.commissioner_id IS NOT NULL AND u.id IS NULL",
    }
    found = {name: scalar(sql) for name, sql in checks.items()}
    broken = {name: n for name, n in found.items() if n}
    if broken:
        raise SystemExit(f"the generated data is inconsistent: {broken}")
    return found


def describe() -> dict:
    """Row counts and sizes, and the shape of the cases, for the report."""
    from django.db import connection
    from django.utils import timezone

    tables = {
        "centres": "centres_centre",
        "cases": "cases_case",
        "assignments": "cases_assignment",
        "extension requests": "cases_extensionrequest",
        "supervisions": "cases_supervision",
        "assessments": "centres_assessment",
        "findings": "centres_finding",
        "cases_casefiguremonth": "cases_casefiguremonth",
        "cases_opencasedue": "cases_opencasedue",
    }
    counts = {name: scalar(f"SELECT count(*) FROM {table}") for name, table in tables.items()}
    states = dict(query("SELECT state, count(*) FROM cases_case GROUP BY 1 ORDER BY 2 DESC"))
    overdue = scalar(
        "SELECT coalesce(sum(open_cases), 0) FROM cases_opencasedue WHERE due_on < %s", [timezone.localdate()]
    )
    sizes = {name: scalar("SELECT pg_total_relation_size(%s)", [table]) for name, table in tables.items()}
    database_size = scalar("SELECT pg_database_size(%s)", [connection.settings_dict["NAME"]])
    return {
        "counts": counts,
        "states": states,
        "overdue_now": overdue,
        "sizes": sizes,
        "database_bytes": database_size,
    }


def print_description(description: dict) -> None:
    counts, sizes = description["counts"], description["sizes"]
    print("data:", ", ".join(f"{n:,} {name}" for name, n in counts.items() if not name.startswith("cases_")))
    print("data: cases by state:", ", ".join(f"{state} {n:,}" for state, n in description["states"].items()))
    print(f"data: {description['overdue_now']:,} open cases past their deadline now")
    for name in ("cases_casefiguremonth", "cases_opencasedue"):
        print(f"summary table {name}: {counts[name]:,} rows, {sizes[name] / 2**20:.1f} MB")
    print(
        f"database size: {description['database_bytes'] / 2**30:.2f} GB "
        f"(cases {sizes['cases'] / 2**30:.2f} GB, assignments {sizes['assignments'] / 2**30:.2f} GB, "
        "with their indexes)",
        flush=True,
    )


# --- Timing --------------------------------------------------------------------------------------


def months_back(month: date, n: int) -> date:
    for _ in range(n):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


def scenarios() -> dict[tuple[str, str], list[dict]]:
    """The query strings each endpoint is asked with, per user."""
    from django.utils import timezone

    from assessments.models import AssessmentCycle
    from policies.models import Measure, Programme

    this_month = timezone.localdate().replace(day=1)
    periods = [{}]  # the default: January to this month
    for months in (1, 3, 12, 24):
        periods.append(
            {
                "from": months_back(this_month, months - 1).strftime("%Y-%m"),
                "to": this_month.strftime("%Y-%m"),
            }
        )
    measures = list(
        Measure.objects.filter(programme=Programme.SHANGHAI_2024, number__in=[3, 7, 9]).values_list(
            "pk", flat=True
        )
    )
    filters = [
        {},
        {"district": "pudong"},
        {"district": "jinshan"},
        {"bureau": "sh-customs"},
        {"bureau": "sh-commerce"},
        {"measure": measures[0]},
        {"measure": measures[2]},
        {"urgency": "urgent"},
        {"district": "xuhui", "measure": measures[1]},
        {"bureau": "sh-talent", "urgency": "normal"},
    ]
    case_params = [{**period, **filter_} for period in periods for filter_ in filters]
    rank_params = [
        {**params, "rank_by": rank_by}
        for params in case_params
        for rank_by in ("score", "response", "resolution", "satisfaction")
    ]
    cycles = list(
        AssessmentCycle.objects.filter(opened_at__isnull=False)
        .order_by("-period_end")
        .values_list("pk", flat=True)
    )
    contacts_city = [{}, {"district": "pudong"}, {"district": "xuhui"}, {"district": "chongming"}]
    assessments_city = [
        {},
        {"district": "pudong"},
        {"district": "jinshan"},
        {"cycle": cycles[-1]},
        {"cycle": cycles[-1], "district": "minhang"},
    ]
    return {
        ("cases", "city manager"): case_params,
        ("cases", "district manager"): case_params,
        ("rankings", "city manager"): rank_params,
        ("rankings", "district manager"): rank_params,
        ("contacts", "city manager"): contacts_city,
        ("contacts", "district manager"): [{}, {"district": "xuhui"}],
        ("assessments", "city manager"): assessments_city,
        ("assessments", "district manager"): [{}, {"cycle": cycles[-1]}],
    }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * fraction + 0.5) - 1)]


def time_endpoints(requests: int, warmup: int) -> list[dict]:
    from urllib.parse import urlencode

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from knox.models import AuthToken

    from commissioners.models import User

    users = {
        "city manager": User.objects.get(username=f"{PREFIX}-manager-city"),
        "district manager": User.objects.get(username=f"{PREFIX}-manager-pudong"),
    }
    tokens = {label: AuthToken.objects.create(user)[1] for label, user in users.items()}
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    rng = random.Random(2026)
    rows = []
    for (endpoint, label), params_list in scenarios().items():
        headers = {"HTTP_AUTHORIZATION": f"Token {tokens[label]}"}
        # Every parameter set in turn, in a shuffled order, as many times as it takes.
        order = []
        while len(order) < warmup + requests:
            batch = list(params_list)
            rng.shuffle(batch)
            order += batch
        paths = [f"/api/dashboard/{endpoint}/?{urlencode(params)}" for params in order[: warmup + requests]]
        for path in paths[:warmup]:
            response = client.get(path, **headers)
            if response.status_code != 200:
                raise SystemExit(f"{path} as {label}: {response.status_code} {response.content[:300]!r}")
        latencies, statuses = [], set()
        for path in paths[warmup:]:
            started = time.perf_counter()
            response = client.get(path, **headers)
            latencies.append((time.perf_counter() - started) * 1000)
            statuses.add(response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get(paths[-1], **headers)
        slowest = sorted(zip(latencies, paths[warmup:], strict=True), reverse=True)[:3]
        row = {
            "endpoint": endpoint,
            "user": label,
            "n": len(latencies),
            "parameter_sets": len(params_list),
            "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(percentile(latencies, 0.95), 1),
            "max_ms": round(max(latencies), 1),
            "queries": len(captured.captured_queries),
            "statuses": sorted(statuses),
            "latencies": [round(value, 2) for value in latencies],
            "slowest": [{"ms": round(ms, 1), "path": path} for ms, path in slowest],
        }
        row["ok"] = row["p95_ms"] < BUDGET_MS and row["statuses"] == [200]
        rows.append(row)
        print(
            f"/api/dashboard/{endpoint + '/':<13} {label:<17} n={row['n']:<4} p50={row['p50_ms']:>6.1f} ms  "
            f"p95={row['p95_ms']:>6.1f} ms  max={row['max_ms']:>6.1f} ms  {row['queries']:>2} queries  "
            f"{'OK' if row['ok'] else 'OVER'}  {row['statuses']}",
            flush=True,
        )
    return rows


def query_breakdown(rows: list[dict], runs: int = 5) -> None:
    """For each endpoint and user, its slowest request again, `runs` times: the median time of each
    SQL query it issues, slowest first (where to look when an endpoint misses the budget)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from knox.models import AuthToken

    from commissioners.models import User

    usernames = {"city manager": f"{PREFIX}-manager-city", "district manager": f"{PREFIX}-manager-pudong"}
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for row in rows:
        token = AuthToken.objects.create(User.objects.get(username=usernames[row["user"]]))[1]
        path = row["slowest"][0]["path"]
        times: dict[int, tuple[str, list[float]]] = {}
        totals = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                client.get(path, HTTP_AUTHORIZATION=f"Token {token}")
                totals.append((time.perf_counter() - started) * 1000)
            for index, captured_query in enumerate(captured.captured_queries):
                times.setdefault(index, (captured_query["sql"], []))[1].append(
                    float(captured_query["time"]) * 1000
                )
        print(f"{row['user']} {path}: median {statistics.median(totals):.1f} ms")
        ranked = sorted(times.values(), key=lambda item: -statistics.median(item[1]))
        for sql, spent in ranked[:4]:
            print(f"    {statistics.median(spent):6.1f} ms  {' '.join(sql.split())[:140]}")
    print(flush=True)


def summarise(rows: list[dict]) -> list[dict]:
    """Per endpoint over both users, and over everything."""
    groups = {endpoint: [r for r in rows if r["endpoint"] == endpoint] for endpoint in ENDPOINTS}
    groups["all endpoints"] = rows
    summary = []
    for name, group in groups.items():
        latencies = [value for row in group for value in row["latencies"]]
        p95 = percentile(latencies, 0.95)
        summary.append(
            {
                "endpoint": name,
                "n": len(latencies),
                "p50_ms": round(statistics.median(latencies), 1),
                "p95_ms": round(p95, 1),
                "ok": p95 < BUDGET_MS and all(row["ok"] for row in group),
            }
        )
    return summary


def print_table(cases: int, rows: list[dict], summary: list[dict]) -> None:
    print()
    print(f"Dashboards with {cases:,} cases: p95 budget {BUDGET_MS} ms")
    print()
    print("| endpoint | user | requests | p50 ms | p95 ms | max ms | queries | verdict |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for row in rows:
        print(
            f"| /api/dashboard/{row['endpoint']}/ | {row['user']} | {row['n']} | {row['p50_ms']:.1f} | "
            f"{row['p95_ms']:.1f} | {row['max_ms']:.1f} | {row['queries']} | {'OK' if row['ok'] else 'OVER'} |"
        )
    for row in summary:
        name = row["endpoint"] if row["endpoint"] == "all endpoints" else f"/api/dashboard/{row['endpoint']}/"
        print(
            f"| **{name}** | both | {row['n']} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | | | "
            f"{'OK' if row['ok'] else 'OVER'} |"
        )
    print(flush=True)


def measure_database(args) -> dict:
    url = database_url(args.cases)
    ensure_database(url, rebuild=args.rebuild)
    django_setup(url)
    record = build_data(args.cases, args.centres)
    if args.refigure:
        from django.utils import timezone

        from assessments.figures import rebuild_assessment_figures
        from cases.figures import fold_past_due_days, rebuild_case_figures

        started = time.monotonic()
        rebuild_case_figures()
        record["rebuild_seconds"] = round(time.monotonic() - started, 1)
        print(f"data: rebuild_case_figures() again: {record['rebuild_seconds']} s", flush=True)
        with Step("rebuild_assessment_figures() again"):
            rebuild_assessment_figures()
        with Step("fold_past_due_days()"):
            fold_past_due_days(today=timezone.localdate())
        settle_database()
        write_build_record(record)
    description = describe()
    print_description(description)
    print(
        f"build: {record['build_seconds']} s in all; rebuild_case_figures(): {record['rebuild_seconds']} s",
        flush=True,
    )
    result = {"database": url.rsplit("/", 1)[1], "build": record, "data": description}
    if args.build_only:
        return result
    rows = time_endpoints(args.requests, args.warmup)
    summary = summarise(rows)
    print_table(args.cases, rows, summary)
    if args.queries:
        query_breakdown(rows)
    result.update(
        {
            "measured_at": datetime.now().isoformat(timespec="seconds"),
            "requests": args.requests,
            "rows": rows,
            "summary": summary,
            "machine": machine(),
        }
    )
    return result


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {memory:.0f} GB RAM, PostgreSQL on the same machine"


def compare(args) -> None:
    """Times the 1M database, then the 10M one (each in its own process, one after the other), and
    prints the ratio of their p95 per endpoint against the growth limit."""
    sizes = (args.cases, args.cases * 10)
    for cases in sizes:
        print(f"--- {cases:,} cases ---", flush=True)
        command = [
            sys.executable,
            __file__,
            "--cases",
            str(cases),
            "--centres",
            str(args.centres),
            "--requests",
            str(args.requests),
            "--warmup",
            str(args.warmup),
        ]
        if args.queries:
            command.append("--queries")
        if subprocess.run(command, check=False).returncode not in (0, 3):
            raise SystemExit(f"the run with {cases:,} cases failed")
    small, large = (json.loads(results_path(cases).read_text()) for cases in sizes)
    print()
    print(f"Growth: p95 with {sizes[1]:,} cases against {sizes[0]:,} (limit {GROWTH_LIMIT}x)")
    print()
    print(f"| endpoint | user | p95 at {sizes[0]:,} | p95 at {sizes[1]:,} | ratio | verdict |")
    print("|---|---|---:|---:|---:|---|")
    failed = []
    keyed = {(r["endpoint"], r["user"]): r for r in large["rows"]}
    lines = [
        (r["endpoint"], r["user"], r["p95_ms"], keyed[(r["endpoint"], r["user"])]["p95_ms"])
        for r in small["rows"]
    ]
    large_summary = {r["endpoint"]: r for r in large["summary"]}
    lines += [
        (r["endpoint"], "both", r["p95_ms"], large_summary[r["endpoint"]]["p95_ms"]) for r in small["summary"]
    ]
    for endpoint, user, before, after in lines:
        ratio = after / before
        ok = ratio <= GROWTH_LIMIT
        if not ok:
            failed.append(f"{endpoint} ({user})")
        name = endpoint if endpoint == "all endpoints" else f"/api/dashboard/{endpoint}/"
        print(
            f"| {name} | {user} | {before:.1f} ms | {after:.1f} ms | {ratio:.2f}x | {'OK' if ok else 'OVER'} |"
        )
    print(flush=True)
    if failed:
        raise SystemExit(f"grew more than {GROWTH_LIMIT}x: {', '.join(failed)}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--centres", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=100, help="timed requests per endpoint and user")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per endpoint and user first")
    parser.add_argument("--rebuild", action="store_true", help="drop the benchmark database first")
    parser.add_argument("--build-only", action="store_true", help="build the data, do not time")
    parser.add_argument("--refigure", action="store_true", help="time rebuild_case_figures() again")
    parser.add_argument(
        "--queries", action="store_true", help="time each SQL query of every endpoint's slowest request"
    )
    parser.add_argument(
        "--compare", action="store_true", help="time --cases and 10x --cases, print the ratio"
    )
    args = parser.parse_args()
    # WhiteNoise warns once that the static files were never collected: the API does not need them.
    warnings.filterwarnings("ignore", message="No directory at")
    if args.compare:
        compare(args)
        return
    result = measure_database(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    if not args.build_only:
        results_path(args.cases).write_text(json.dumps(result, indent=1, default=str))
        print(f"results: {results_path(args.cases).relative_to(ROOT)}")
        over = [f"{r['endpoint']} ({r['user']})" for r in result["rows"] if not r["ok"]]
        if over:
            print(f"over the {BUDGET_MS} ms budget at p95: {', '.join(over)}", flush=True)
            # 3: measured, but over budget (--compare still compares).
            sys.exit(3)


if __name__ == "__main__":
    main()
