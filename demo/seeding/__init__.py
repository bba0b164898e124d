"""Loads a bilingual demo data set: one user per role, a few dozen centres, cases, contacts,
development assessments, a policy issue, policy briefings and benefits, and what the sweeps make of them (due and overdue follow-ups,
notifications).

Assessments: a past cycle ("2025 annual") entered, submitted and reviewed through the
services, so centres have their guidance class, findings reach the bureaus and problems
tagged with a measure became cases; its case figures come from a few cases dated 2025.
And the current cycle ("2026 annual"), opened today, with one assessment being filled in.

Idempotent: rows are matched by username and by (district, English name), cases by centre
and title, contacts are only recorded for centres that have none, cycles by name,
assessments are only entered while still open and empty, findings only handled while open,
and the sweeps are idempotent, so running it again the same day changes nothing.

The tables are in `demo.data`; this package loads them by subject, and `seed` runs the whole
load (the `seed_demo` command runs it in one transaction).
"""

from django.core.management.color import Style, no_style
from django.utils import timezone

from cases.models import Case
from centres.models import Centre, ContactRecord, FollowUp
from commissioners.models import Notification
from demo.data.organisation import DEMO_PASSWORD
from demo.seeding.assessments import assessments_summary, seed_assessments
from demo.seeding.cases import seed_cases, seed_cases_2025, seed_missed_callback
from demo.seeding.contacts import seed_contacts
from demo.seeding.landing import seed_landing
from demo.seeding.organisation import seed_centres, seed_users
from demo.seeding.policy_issues import seed_policy_issue
from demo.seeding.sweeps import run_sweeps
from landing.models import Benefit, Briefing


def seed(style: Style | None = None) -> list[str]:
    """Loads the data set; returns the summary to print, its totals styled as successes with
    `style` (a command's `self.style`; plain text without one)."""
    style = style or no_style()
    logins = seed_users()
    created = seed_centres()
    # The 2025 cases before the assessments, so the reviewed 2025 ones count them.
    cases_created = seed_cases() + seed_cases_2025() + seed_policy_issue()
    contacts_added = seed_contacts()
    today = timezone.localdate()
    # After the contacts: a review sets the centre's guidance class, which the contact sweep reads.
    seed_assessments(today=today)
    seed_missed_callback(today=today)
    landed = seed_landing(today=today)
    run_sweeps(today=today)
    lines = [
        style.SUCCESS(
            f"Demo data ready ({created} centres and {cases_created} cases added; "
            f"{Centre.objects.count()} centres and {Case.objects.count()} cases in all)."
        )
    ]
    open_follow_ups = FollowUp.objects.filter(closed_at__isnull=True)
    lines.append(
        style.SUCCESS(
            f"Follow-ups ready ({contacts_added} contacts added; "
            f"{ContactRecord.objects.count()} contacts, {open_follow_ups.count()} open follow-ups "
            f"({open_follow_ups.filter(due_on__lt=today).count()} overdue) and "
            f"{Notification.objects.count()} notifications in all)."
        )
    )
    lines.append(style.SUCCESS(assessments_summary()))
    lines.append(
        style.SUCCESS(
            f"Policy landing ready ({landed} briefings and benefits added; {Briefing.objects.count()} "
            f"briefings and {Benefit.objects.count()} benefits in all)."
        )
    )
    lines.append(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    lines += [f"  {username:<20} {role:<24} {scope}" for username, role, scope in logins]
    return lines
