from django.db import migrations

# What the new clocks start from, and what the figures leave out.
#
# The rules get their clocks per urgency. Cases already waiting get the clocks they would have had:
# a logged case its triage deadline counted from its logging, a referral its follow-up date from
# its referral, an open supervision its bureau and a reply date from its opening; counted on the
# working-day calendar the administrators keep (cases_calendarday over Monday to Friday).
#
# An assignment whose return was upheld (the case was misrouted) never asked the bureau for
# anything: like one released before it acted, it counts in none of the bureau's figures.

RULES = {
    # urgency: (triage, contribute, referral, supervision) in working days
    "normal": (2, 10, 20, 3),
    "urgent": (1, 3, 10, 2),
}

WORKING_DAYS = r"""
CREATE FUNCTION pg_temp.add_working_days(start date, days integer) RETURNS date
LANGUAGE sql STABLE AS $$
  SELECT day FROM (
    SELECT d::date AS day, row_number() OVER (ORDER BY d) AS n
    FROM generate_series(start + 1, start + days * 2 + 30, interval '1 day') AS d
    LEFT JOIN cases_calendarday AS x ON x.date = d::date
    WHERE coalesce(x.is_working_day, extract(isodow FROM d) < 6)
  ) AS w WHERE n = days
$$;

UPDATE cases_case AS c SET triage_due_on = pg_temp.add_working_days(
  (c.created_at AT TIME ZONE 'Asia/Shanghai')::date, r.triage_working_days)
FROM cases_deadlinerule AS r WHERE r.urgency = c.urgency AND c.state = 'submitted';

UPDATE cases_case AS c SET referral_due_on = pg_temp.add_working_days(
  (coalesce(c.referred_at, c.updated_at) AT TIME ZONE 'Asia/Shanghai')::date, r.referral_working_days)
FROM cases_deadlinerule AS r WHERE r.urgency = c.urgency AND c.state = 'referred_up';

UPDATE cases_supervision AS v SET
  bureau_id = c.lead_bureau_id,
  due_on = coalesce(v.due_on, pg_temp.add_working_days(
    (v.opened_at AT TIME ZONE 'Asia/Shanghai')::date, r.supervision_working_days))
FROM cases_case AS c JOIN cases_deadlinerule AS r ON r.urgency = c.urgency
WHERE c.id = v.case_id AND v.closed_at IS NULL;

UPDATE cases_assignment AS a SET contribute_due_on = pg_temp.add_working_days(
  (a.created_at AT TIME ZONE 'Asia/Shanghai')::date, r.contribute_working_days)
FROM cases_case AS c JOIN cases_deadlinerule AS r ON r.urgency = c.urgency
WHERE c.id = a.case_id AND NOT a.is_lead AND a.is_current;
"""

# The assignment facts of 0014, and now without an upheld return.
_ASSIGNMENT_FACTS = r"""
CREATE OR REPLACE FUNCTION cases_figure_assignment_facts(
  a cases_assignment, district bigint, measure bigint, urgency varchar, s integer
) RETURNS SETOF cases_figure_fact
LANGUAGE sql STABLE AS $$
  SELECT cases_figure_month_of(a.created_at), district, measure, a.bureau_id, urgency,
         0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
         s,
         s * (a.accepted_at IS NOT NULL
              AND (a.accept_due_on IS NULL OR cases_figure_local_date(a.accepted_at) <= a.accept_due_on))::int,
         s * (a.status = 'returned')::int,
         0, 0, NULL::int, NULL::int, s
  WHERE a.id IS NOT NULL AND district IS NOT NULL AND NOT (a.status = 'released' AND a.accepted_at IS NULL)
    {upheld}
$$;
"""
# The update trigger of 0014 fires only when a column the facts read changes: now the ruling too.
_ASSIGNMENT_TRIGGER = r"""
DROP TRIGGER cases_figure_assignment_updated ON cases_assignment;
CREATE TRIGGER cases_figure_assignment_updated
AFTER UPDATE ON cases_assignment
FOR EACH ROW WHEN (
  (OLD.case_id, OLD.bureau_id, OLD.status, OLD.accepted_at, OLD.accept_due_on, OLD.created_at{ruling_old})
  IS DISTINCT FROM
  (NEW.case_id, NEW.bureau_id, NEW.status, NEW.accepted_at, NEW.accept_due_on, NEW.created_at{ruling_new})
)
EXECUTE FUNCTION cases_figure_child_changed();
"""
FIGURES = _ASSIGNMENT_FACTS.format(
    upheld="AND NOT (a.status = 'returned' AND a.return_ruling = 'upheld')"
) + _ASSIGNMENT_TRIGGER.format(ruling_old=", OLD.return_ruling", ruling_new=", NEW.return_ruling")
FIGURES_BACK = _ASSIGNMENT_FACTS.format(upheld="") + _ASSIGNMENT_TRIGGER.format(ruling_old="", ruling_new="")


def set_rules(apps, schema_editor):
    DeadlineRule = apps.get_model("cases", "DeadlineRule")
    for urgency, (triage, contribute, referral, supervision) in RULES.items():
        DeadlineRule.objects.filter(urgency=urgency).update(
            triage_working_days=triage,
            contribute_working_days=contribute,
            referral_working_days=referral,
            supervision_working_days=supervision,
        )


def start_clocks(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WORKING_DAYS)
        schema_editor.execute(FIGURES)


def stop_clocks(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FIGURES_BACK)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0020_the_whole_mechanism"),
    ]

    operations = [
        migrations.RunPython(set_rules, migrations.RunPython.noop),
        migrations.RunPython(start_clocks, stop_clocks),
    ]
