"""The product's own gauges for the Prometheus endpoint, computed at scrape time by four aggregate
queries: open and overdue cases per state, the e-mail outbox, and each beat job's last runs."""

from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from cases import rules
from cases.models import Case
from cases.selectors import overdue_condition
from commissioners.models import OutgoingEmail
from core.models import SweepRun


def _timestamp(moment) -> float:
    return moment.timestamp() if moment else 0.0


class ProductCollector:
    """What an operator watches besides the machines: work piling up, mail not leaving, jobs stopping."""

    def collect(self):
        open_cases = GaugeMetricFamily(
            "commissioners_open_cases", "Cases not finished, per state.", labels=["state"]
        )
        overdue = GaugeMetricFamily(
            "commissioners_overdue_cases",
            "Open cases whose current step was due before today, per state.",
            labels=["state"],
        )
        per_state = {
            row["state"]: row
            for row in Case.objects.filter(state__in=rules.NOT_FINISHED)
            .values("state")
            .annotate(open=Count("id"), overdue=Count("id", filter=overdue_condition()))
            .order_by()
        }
        for state in sorted(rules.NOT_FINISHED):
            row = per_state.get(state, {"open": 0, "overdue": 0})
            open_cases.add_metric([state], row["open"])
            overdue.add_metric([state], row["overdue"])
        yield open_cases
        yield overdue

        S = OutgoingEmail.Status
        outbox = OutgoingEmail.objects.aggregate(
            unsent=Count("id", filter=Q(status=S.PENDING)),
            failed=Count("id", filter=Q(status=S.FAILED)),
            oldest=Min("created_at", filter=Q(status=S.PENDING)),
        )
        yield GaugeMetricFamily(
            "commissioners_unsent_emails", "E-mails of the outbox waiting to be sent.", value=outbox["unsent"]
        )
        yield GaugeMetricFamily(
            "commissioners_failed_emails",
            "E-mails of the outbox given up after their last attempt.",
            value=outbox["failed"],
        )
        oldest = (timezone.now() - outbox["oldest"]).total_seconds() if outbox["oldest"] else 0.0
        yield GaugeMetricFamily(
            "commissioners_oldest_unsent_email_age_seconds",
            "How long the oldest e-mail waiting to be sent has waited (0: none waits).",
            value=oldest,
        )

        succeeded = GaugeMetricFamily(
            "commissioners_sweep_last_success_timestamp_seconds",
            "When each beat job last succeeded (Unix time; 0: never).",
            labels=["task"],
        )
        failed = GaugeMetricFamily(
            "commissioners_sweep_last_failure_timestamp_seconds",
            "When each beat job last failed (Unix time; 0: never).",
            labels=["task"],
        )
        duration = GaugeMetricFamily(
            "commissioners_sweep_last_duration_seconds",
            "How long each beat job's last run took.",
            labels=["task"],
        )
        for run in SweepRun.objects.order_by("task"):
            succeeded.add_metric([run.task], _timestamp(run.last_succeeded_at))
            failed.add_metric([run.task], _timestamp(run.last_failed_at))
            if run.last_duration_seconds is not None:
                duration.add_metric([run.task], run.last_duration_seconds)
        yield succeeded
        yield failed
        yield duration
