"""Log lines an operator can search: one request id on every line of a request and of the tasks it
queued (in a real worker), the user and the case, and never a password or a token."""

import io
import json
import logging

import pytest
import structlog

from cases.models import CaseState
from core.logs import json_formatter
from tests.celery_support import RedisServer, celery_worker, publishing_to, wait_until

ANSWER = {"answer_text": "The subsidy was paid on 3 March.", "answer_outcome": "solved"}


@pytest.fixture
def log_lines():
    """Every line logged in this process while the test runs, as the JSON the log store receives."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def read() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]

    yield read
    root.removeHandler(handler)
    root.setLevel(previous_level)


# Committed for real, so that the answer queues its tasks while the request is answered, as it does live.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_requests_lines_carry_one_request_id_its_user_and_its_case(
    log_lines, case_in_state, science_staff, client_for
):
    case = case_in_state(CaseState.IN_PROGRESS, co_contributed=True)

    response = client_for(science_staff).post(f"/api/cases/{case.pk}/answer/", ANSWER, format="json")

    assert response.status_code == 200, response.json()
    lines = log_lines()
    assert {line["event"] for line in lines} >= {"request_finished", "task_enqueued"}
    assert {line["request_id"] for line in lines} == {response["X-Request-ID"]}
    assert {line["user_id"] for line in lines} == {science_staff.pk}
    assert {line["case_id"] for line in lines} == {case.pk}
    finished = next(line for line in lines if line["event"] == "request_finished")
    assert finished["code"] == 200 and finished["request"] == f"POST /api/cases/{case.pk}/answer/"
    assert finished["duration_ms"] >= 0


@pytest.mark.django_db
def test_two_requests_have_two_request_ids(log_lines, city_commissioner, client_for):
    client = client_for(city_commissioner)

    first, second = client.get("/api/auth/me/"), client.get("/api/auth/me/")

    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert {line["request_id"] for line in log_lines()} == {first["X-Request-ID"], second["X-Request-ID"]}


@pytest.mark.django_db
def test_no_password_or_token_reaches_the_logs(log_lines, anonymous_client, city_commissioner):
    city_commissioner.set_password("Correct-Horse-Battery-9")
    city_commissioner.save()

    wrong = anonymous_client.post(
        "/api/auth/token/", {"username": "city", "password": "Wrong-Secret-Passphrase-7"}, format="json"
    )
    right = anonymous_client.post(
        "/api/auth/token/", {"username": "city", "password": "Correct-Horse-Battery-9"}, format="json"
    )
    token = right.json()["token"]
    anonymous_client.get("/api/auth/me/?token=Query-Token-Secret-5", HTTP_AUTHORIZATION=f"Token {token}")
    logging.getLogger("anything").warning("a careless line", extra={"password": "Extra-Secret-3"})
    structlog.get_logger("careless").info("login", password="Struct-Secret-1", auth_token=token)

    assert wrong.status_code == 400 and right.status_code == 201
    text = json.dumps(log_lines())
    for secret in (
        "Wrong-Secret-Passphrase-7",
        "Correct-Horse-Battery-9",
        token,
        token[:8],
        "Query-Token-Secret-5",
        "Struct-Secret-1",
        "Extra-Secret-3",
    ):
        assert secret not in text
    assert "GET /api/auth/me/?token=[masked]" in text


# The worker is another process: it must see committed rows.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_task_a_request_queued_logs_the_requests_id_in_the_worker(
    tmp_path, case_in_state, science_staff, client_for
):
    case = case_in_state(CaseState.IN_PROGRESS, co_contributed=True)
    broker = RedisServer(tmp_path)
    broker.start()
    worker_log = tmp_path / "worker.log"

    def worker_lines() -> list[dict]:
        lines = []
        for line in worker_log.read_text().splitlines():
            try:
                lines.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line of Celery's banner, written before logging is set up
        return lines

    def task_done(request_id: str) -> bool:
        return any(
            line.get("event") == "task_succeeded" and line.get("request_id") == request_id
            for line in worker_lines()
        )

    try:
        with (
            publishing_to(broker.url),
            celery_worker(
                broker.url,
                log_to=worker_log,
                extra_env={"DJANGO_LOG_FORMAT": "json", "DJANGO_LOG_LEVEL": "INFO"},
            ),
        ):
            response = client_for(science_staff).post(f"/api/cases/{case.pk}/answer/", ANSWER, format="json")
            assert response.status_code == 200, response.json()
            request_id = response["X-Request-ID"]
            wait_until(lambda: task_done(request_id), what="the worker's line of the queued task")
    finally:
        broker.stop()

    task_lines = [line for line in worker_lines() if line.get("request_id") == request_id]
    assert {line["event"] for line in task_lines} >= {"task_started", "task_succeeded"}
    assert {line.get("user_id") for line in task_lines} == {science_staff.pk}
    assert {line.get("case_id") for line in task_lines} == {case.pk}
    assert all(line["task_id"] for line in task_lines)
