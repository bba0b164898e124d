"""The nightly clean-up removes exactly what has expired and nothing else, never a history row; the
one way to remove history, `purge_history`, logs what it removed."""

import io
import logging
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from knox.models import AuthToken

from cases.models import CaseEvent
from commissioners.housekeeping import housekeeping_run
from commissioners.models import IdempotentRequest, Notification, NotificationKind
from commissioners.tasks import clean_up_expired_rows
from config.celery import app
from core.management.commands.purge_history import history_models

pytestmark = pytest.mark.django_db


def _session(*, expires_in: timedelta) -> str:
    store = SessionStore()
    store["note"] = "x"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def _notification(user, key: str, *, read_days_ago: int | None) -> Notification:
    read_at = timezone.now() - timedelta(days=read_days_ago) if read_days_ago is not None else None
    return Notification.objects.create(
        recipient=user, kind=NotificationKind.CASE_LOGGED, key=key, read_at=read_at
    )


def _idempotency_key(user, key: str, *, hours_ago: int) -> IdempotentRequest:
    return IdempotentRequest.objects.create(
        user=user,
        key=key,
        method="POST",
        path="/api/cases/",
        fingerprint="0" * 64,
        created_at=timezone.now() - timedelta(hours=hours_ago),
    )


def _history_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in history_models()}


@override_settings(HOUSEKEEPING={"NOTIFICATIONS_READ_KEPT_DAYS": 90})
def test_housekeeping_removes_exactly_the_expired_rows(city_commissioner, submitted_case):
    expired_session, live_session = (
        _session(expires_in=-timedelta(minutes=1)),
        _session(expires_in=timedelta(hours=1)),
    )
    expired_token, _ = AuthToken.objects.create(city_commissioner, expiry=-timedelta(seconds=1))
    live_token, _ = AuthToken.objects.create(city_commissioner, expiry=timedelta(hours=1))
    lasting_token, _ = AuthToken.objects.create(city_commissioner, expiry=None)
    read_long_ago = _notification(city_commissioner, "a", read_days_ago=91)
    read_lately = _notification(city_commissioner, "b", read_days_ago=89)
    unread = _notification(city_commissioner, "c", read_days_ago=None)
    used_key = _idempotency_key(city_commissioner, "k1", hours_ago=25)
    fresh_key = _idempotency_key(city_commissioner, "k2", hours_ago=23)
    CaseEvent.record(subject=submitted_case, actor=city_commissioner, action="edit")
    histories = _history_counts()

    removed = housekeeping_run()

    assert removed == {
        "expired_sessions": 1,
        "expired_api_tokens": 1,
        "read_notifications": 1,
        "idempotency_keys": 1,
    }
    assert set(Session.objects.values_list("session_key", flat=True)) == {live_session}
    assert expired_session != live_session
    assert set(AuthToken.objects.values_list("pk", flat=True)) == {live_token.pk, lasting_token.pk}
    assert not AuthToken.objects.filter(pk=expired_token.pk).exists()
    assert set(Notification.objects.values_list("pk", flat=True)) == {read_lately.pk, unread.pk}
    assert not Notification.objects.filter(pk=read_long_ago.pk).exists()
    assert set(IdempotentRequest.objects.values_list("pk", flat=True)) == {fresh_key.pk}
    assert not IdempotentRequest.objects.filter(pk=used_key.pk).exists()
    # No history lost a row (deleting a tracked row may add one: its deletion is history too).
    after = _history_counts()
    assert all(after[label] >= count for label, count in histories.items())
    assert after["cases.CaseEvent"] == histories["cases.CaseEvent"]


def test_housekeeping_twice_removes_nothing_more(city_commissioner):
    _notification(city_commissioner, "a", read_days_ago=400)
    housekeeping_run()

    assert set(housekeeping_run().values()) == {0}


def test_housekeeping_logs_what_it_removed(city_commissioner, caplog):
    _idempotency_key(city_commissioner, "k1", hours_ago=48)

    with caplog.at_level(logging.INFO, logger="commissioners.housekeeping"):
        clean_up_expired_rows()

    assert "1 idempotency_keys" in caplog.text and "0 expired_sessions" in caplog.text


def test_housekeeping_is_in_the_beat_schedule():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "commissioners.tasks.clean_up_expired_rows" in tasks


def test_purge_history_logs_what_it_removes(submitted_case, caplog):
    CaseEvent.record(subject=submitted_case, actor=None, action="edit")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    expected = CaseEvent.objects.count()

    with caplog.at_level(logging.WARNING, logger="core.management.commands.purge_history"):
        call_command(
            "purge_history", before=tomorrow, history=["cases.CaseEvent"], yes=True, stdout=io.StringIO()
        )

    assert CaseEvent.objects.count() == 0
    assert f"removed {expected} rows of cases.CaseEvent recorded before {tomorrow}" in caplog.text
