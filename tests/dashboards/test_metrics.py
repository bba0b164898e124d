"""/metrics: refused without the scraper's token or a staff login; the product's gauges exact for
known rows; request, query and Celery task figures (a real worker's tasks too)."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families
from rest_framework.test import APIClient

from cases.models import Case, CaseState
from cases.tasks import sweep_callbacks
from commissioners.models import OutgoingEmail
from core.models import SweepRun
from core.task_metrics import _redis, metrics_key
from core.time import local_today
from tests.cases.conftest import case_in_state  # noqa: F401
from tests.celery_support import RedisServer, celery_worker, publishing_to, wait_until

TOKEN = "scrape-8c1f2e0a9b7d4c3e"


@pytest.fixture(autouse=True)
def _metrics_token():
    with override_settings(METRICS_TOKEN=TOKEN):
        yield


@pytest.fixture(autouse=True)
def _no_task_figures_yet():
    _redis().delete(metrics_key())
    yield
    _redis().delete(metrics_key())


def scraper() -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    return client


def samples(response) -> dict[tuple, float]:
    """{(sample name, (label, value), ...): value} of a Prometheus text answer."""
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/plain")
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found[(sample.name, *sorted(sample.labels.items()))] = sample.value
    return found


@pytest.mark.django_db
def test_metrics_are_refused_without_the_token_or_a_staff_login(
    anonymous_client, city_commissioner, administrator
):
    wrong = APIClient()
    wrong.credentials(HTTP_AUTHORIZATION="Bearer not-the-token")
    not_staff, staff = APIClient(), APIClient()
    not_staff.force_login(city_commissioner)
    staff.force_login(administrator)

    assert anonymous_client.get("/metrics").status_code == 401
    refused = wrong.get("/metrics")
    assert (
        refused.status_code == 401 and refused.json()["errors"][0]["detail"] == "The metrics token is wrong."
    )
    assert not_staff.get("/metrics").status_code == 403
    assert staff.get("/metrics").status_code == 200
    assert scraper().get("/metrics").status_code == 200
    with override_settings(METRICS_TOKEN=""):
        # No token configured: no bearer token opens it, not even an empty one.
        assert scraper().get("/metrics").status_code == 401
        empty = APIClient()
        empty.credentials(HTTP_AUTHORIZATION="Bearer ")
        assert empty.get("/metrics").status_code == 401


@pytest.mark.django_db
def test_the_product_gauges_for_known_rows(case_in_state, django_assert_max_num_queries):  # noqa: F811
    today = local_today()
    late = [case_in_state(CaseState.IN_PROGRESS), case_in_state(CaseState.IN_PROGRESS)]
    on_time = case_in_state(CaseState.IN_PROGRESS)
    dispatched_late = case_in_state(CaseState.DISPATCHED)
    case_in_state(CaseState.SUBMITTED)
    case_in_state(CaseState.CLOSED)
    case_in_state(CaseState.WITHDRAWN)
    # The step's deadline: answering while in progress, accepting while dispatched.
    Case.objects.filter(pk__in=[case.pk for case in late]).update(answer_due_on=today - timedelta(days=2))
    Case.objects.filter(pk=dispatched_late.pk).update(accept_due_on=today - timedelta(days=1))
    Case.objects.filter(pk=on_time.pk).update(answer_due_on=today)
    now = timezone.now()
    for minutes_ago, status in ((90, "pending"), (10, "pending"), (300, "sent"), (500, "failed")):
        OutgoingEmail.objects.create(
            to="someone@example.org",
            subject="s",
            body="b",
            status=status,
            created_at=now - timedelta(minutes=minutes_ago),
            sent_at=now if status == "sent" else None,
        )
    succeeded_at = now - timedelta(minutes=7)
    SweepRun.objects.create(
        task="cases.tasks.sweep_callbacks", last_succeeded_at=succeeded_at, last_duration_seconds=2.5
    )
    SweepRun.objects.create(task="cases.tasks.sweep_deadlines", last_failed_at=succeeded_at)

    with django_assert_max_num_queries(4):
        found = samples(scraper().get("/metrics"))

    assert found[("commissioners_open_cases", ("state", "in_progress"))] == 3
    assert found[("commissioners_open_cases", ("state", "dispatched"))] == 1
    assert found[("commissioners_open_cases", ("state", "submitted"))] == 1
    assert found[("commissioners_open_cases", ("state", "answered"))] == 0
    assert ("commissioners_open_cases", ("state", "closed")) not in found
    assert found[("commissioners_overdue_cases", ("state", "in_progress"))] == 2
    assert found[("commissioners_overdue_cases", ("state", "dispatched"))] == 1
    assert found[("commissioners_overdue_cases", ("state", "submitted"))] == 0
    assert found[("commissioners_unsent_emails",)] == 2
    assert found[("commissioners_failed_emails",)] == 1
    assert 90 * 60 <= found[("commissioners_oldest_unsent_email_age_seconds",)] < 95 * 60
    key = ("task", "cases.tasks.sweep_callbacks")
    assert found[("commissioners_sweep_last_success_timestamp_seconds", key)] == pytest.approx(
        succeeded_at.timestamp()
    )
    assert found[("commissioners_sweep_last_failure_timestamp_seconds", key)] == 0
    assert found[("commissioners_sweep_last_duration_seconds", key)] == 2.5
    deadlines = ("task", "cases.tasks.sweep_deadlines")
    assert found[("commissioners_sweep_last_success_timestamp_seconds", deadlines)] == 0


@pytest.mark.django_db
def test_no_unsent_email_is_an_age_of_zero():
    found = samples(scraper().get("/metrics"))

    assert found[("commissioners_unsent_emails",)] == 0
    assert found[("commissioners_oldest_unsent_email_age_seconds",)] == 0


@pytest.mark.django_db
def test_requests_per_view_and_their_queries_are_counted(city_commissioner, client_for):
    client = client_for(city_commissioner)
    before = samples(scraper().get("/metrics"))

    for _ in range(3):
        assert client.get("/api/auth/me/").status_code == 200

    after = samples(scraper().get("/metrics"))
    requests = (
        "django_http_requests_total_by_view_transport_method_total",
        ("method", "GET"),
        ("transport", "http"),
        ("view", "current-user"),
    )
    assert after[requests] - before.get(requests, 0) == 3
    latency = (
        "django_http_requests_latency_seconds_by_view_method_count",
        ("method", "GET"),
        ("view", "current-user"),
    )
    assert after[latency] - before.get(latency, 0) == 3
    queries = ("commissioners_db_queries_total", ("alias", "default"), ("view", "current-user"))
    assert after[queries] - before.get(queries, 0) >= 3  # each request reads its token at least


@pytest.mark.django_db
def test_task_counts_failures_and_durations_per_task():
    from tests.core.test_health import failing_sweep

    sweep_callbacks.apply()
    sweep_callbacks.apply()
    failing_sweep.apply()

    found = samples(scraper().get("/metrics"))
    callbacks = ("task", "cases.tasks.sweep_callbacks")
    assert found[("commissioners_celery_tasks_total", ("state", "succeeded"), callbacks)] == 2
    assert ("commissioners_celery_tasks_total", ("state", "failed"), callbacks) not in found
    failing = ("task", "tests.core.failing_sweep")
    assert found[("commissioners_celery_tasks_total", ("state", "failed"), failing)] == 1
    assert found[("commissioners_celery_task_duration_seconds_count", callbacks)] == 2
    assert found[("commissioners_celery_task_duration_seconds_bucket", ("le", "+Inf"), callbacks)] == 2
    assert found[("commissioners_celery_task_duration_seconds_sum", callbacks)] > 0


# The worker is another process: it must see committed rows.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_workers_tasks_are_counted_where_the_web_is_scraped(tmp_path):
    broker = RedisServer(tmp_path)
    broker.start()
    try:
        with publishing_to(broker.url), celery_worker(broker.url):
            sweep_callbacks.delay()
            wait_until(
                lambda: SweepRun.objects.filter(
                    task="cases.tasks.sweep_callbacks", last_succeeded_at__isnull=False
                ).exists(),
                what="the worker's sweep",
            )
            # The counts follow the success's row by the time the task's last signal has run.
            wait_until(
                lambda: (
                    (
                        "commissioners_celery_tasks_total",
                        ("state", "succeeded"),
                        ("task", "cases.tasks.sweep_callbacks"),
                    )
                    in samples(scraper().get("/metrics"))
                ),
                what="the worker's count",
            )
    finally:
        broker.stop()

    found = samples(scraper().get("/metrics"))
    callbacks = ("task", "cases.tasks.sweep_callbacks")
    assert found[("commissioners_celery_tasks_total", ("state", "succeeded"), callbacks)] == 1
    assert found[("commissioners_celery_task_duration_seconds_count", callbacks)] == 1
