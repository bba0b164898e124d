"""Each notification is e-mailed exactly once: at once, or in its recipient's next daily digest, as
they chose for its kind; never both, and the digest comes even when nothing else is due."""

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection

from cases.services.digests import send_daily_digests
from commissioners import mail as mail_outbox
from commissioners import notifications, preferences
from commissioners.models import DailyDigest, Notification, NotificationKind, OutgoingEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
K = NotificationKind
SHANGHAI = ZoneInfo("Asia/Shanghai")
BASE_URL = "https://commissioners.example.org"
WEDNESDAY, THURSDAY = date(2024, 10, 9), date(2024, 10, 10)


@pytest.fixture(autouse=True)
def _public_base_url(settings):
    settings.PUBLIC_BASE_URL = BASE_URL


def at(day: date, hour: int = 9):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


def case_params(case: int) -> dict:
    return {
        "case": case,
        "case_title": "签证续签",
        "centre_zh": "测试研发中心",
        "centre_en": "Test R&D Centre",
        "due_on": "",
    }


def tell(user, kind: str, case: int) -> Notification:
    notifications.notify([notifications.Draft(user.pk, kind, f"{kind}:{case}", case_params(case))])
    return Notification.objects.get(recipient=user, key=f"{kind}:{case}")


def in_digest(user, *kinds: str) -> None:
    preferences.notification_preferences_set(user=user, deliveries=dict.fromkeys(kinds, "digest"))


def messages_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def test_a_kind_at_once_is_mailed_at_once_with_the_link_and_the_digest_does_not_repeat_it(city_commissioner):
    logged = tell(city_commissioner, K.CASE_LOGGED, 42)

    assert notifications.send_pending_emails() == 1
    with at(WEDNESDAY):
        send_daily_digests(today=WEDNESDAY)

    (message,) = messages_to(city_commissioner)
    assert message.subject == "Case #42 was logged and waits for triage"
    assert message.body.endswith(f"Open the case: {BASE_URL}/cases/42/")
    assert not DailyDigest.objects.filter(recipient=city_commissioner).exists()
    logged.refresh_from_db()
    assert logged.emailed_at is not None


def test_a_kind_in_the_digest_waits_for_it_and_goes_out_in_it_once(city_commissioner):
    in_digest(city_commissioner, K.CASE_LOGGED)
    with at(WEDNESDAY, hour=8):
        logged = tell(city_commissioner, K.CASE_LOGGED, 42)
        answered = tell(city_commissioner, K.CASE_ANSWERED, 43)
        assert notifications.send_pending_emails() == 1  # the answered case only

    with at(WEDNESDAY):
        assert send_daily_digests(today=WEDNESDAY) == 1
        assert send_daily_digests(today=WEDNESDAY) == 0
        assert notifications.send_pending_emails() == 0
    with at(THURSDAY):
        send_daily_digests(today=THURSDAY)  # nothing new: no digest
        assert notifications.send_pending_emails() == 0

    immediate, digest = messages_to(city_commissioner)
    assert immediate.subject == "Case #43 was answered"
    assert digest.subject == "What is due for you today (2024-10-09)"
    assert digest.body.splitlines() == [
        "Good morning city, this is what happened since your last digest:",
        "",
        "- Case #42 was logged and waits for triage",
        f"  {BASE_URL}/cases/42/",
    ]
    logged.refresh_from_db()
    answered.refresh_from_db()
    assert logged.emailed_at is not None and not hasattr(logged, "email")
    assert OutgoingEmail.objects.filter(notification=answered).count() == 1
    assert DailyDigest.objects.get(recipient=city_commissioner).item_count == 1


def test_the_next_digest_quotes_only_what_came_since_the_last(city_commissioner):
    in_digest(city_commissioner, K.CASE_LOGGED)
    with at(WEDNESDAY, hour=8):
        tell(city_commissioner, K.CASE_LOGGED, 42)
    with at(WEDNESDAY):
        send_daily_digests(today=WEDNESDAY)
    with at(WEDNESDAY, hour=15):
        tell(city_commissioner, K.CASE_LOGGED, 43)
    with at(THURSDAY):
        send_daily_digests(today=THURSDAY)

    wednesday, thursday = (message.body for message in messages_to(city_commissioner))
    assert "#42" in wednesday and "#43" not in wednesday
    assert "#43" in thursday and "#42" not in thursday


def test_a_digest_lists_what_is_due_then_what_happened_in_the_readers_language(city_commissioner):
    city_commissioner.language = "zh-hans"
    city_commissioner.save()
    in_digest(city_commissioner, K.CASE_RETURNED)
    with at(WEDNESDAY, hour=8):
        notifications.notify(
            [
                notifications.Draft(
                    city_commissioner.pk,
                    K.CASE_RETURNED,
                    "case_returned:42",
                    case_params(42) | {"bureau_zh": "市科委", "bureau_en": "STCSM", "reason": "非本单位职责"},
                )
            ]
        )
    with at(WEDNESDAY):
        send_daily_digests(today=WEDNESDAY)

    (digest,) = messages_to(city_commissioner)
    assert digest.subject == "今日待办（2024-10-09）"
    assert digest.body.splitlines()[-2:] == ["- 案件 #42 被市科委以交办有误退回", f"  {BASE_URL}/cases/42/"]


def test_a_notification_already_in_the_outbox_is_not_quoted_by_a_digest_chosen_later(city_commissioner):
    with at(WEDNESDAY, hour=8):
        logged = tell(city_commissioner, K.CASE_LOGGED, 42)
        notifications.queue_notification_emails()
    in_digest(city_commissioner, K.CASE_LOGGED)

    with at(WEDNESDAY):
        send_daily_digests(today=WEDNESDAY)

    assert [message.subject for message in messages_to(city_commissioner)] == [
        "Case #42 was logged and waits for triage"
    ]
    assert OutgoingEmail.objects.filter(notification=logged).count() == 1


def test_going_back_to_at_once_before_the_digest_mails_what_waited_once(city_commissioner):
    in_digest(city_commissioner, K.CASE_LOGGED)
    with at(WEDNESDAY, hour=8):
        tell(city_commissioner, K.CASE_LOGGED, 42)
        assert notifications.send_pending_emails() == 0
        preferences.notification_preferences_set(
            user=city_commissioner, deliveries={K.CASE_LOGGED: "immediate"}
        )
        assert notifications.send_pending_emails() == 1
    with at(WEDNESDAY):
        send_daily_digests(today=WEDNESDAY)

    assert len(messages_to(city_commissioner)) == 1


def test_one_users_choice_does_not_hold_back_anothers_mail(city_commissioner, bureau_staff):
    in_digest(city_commissioner, K.CASE_LOGGED)
    tell(city_commissioner, K.CASE_LOGGED, 42)
    tell(bureau_staff, K.CASE_LOGGED, 42)

    assert notifications.send_pending_emails() == 1
    assert [message.to for message in mail.outbox] == [[bureau_staff.email]]


def test_digest_notifications_do_not_fill_the_at_once_batch(city_commissioner, bureau_staff):
    in_digest(city_commissioner, K.CASE_LOGGED)
    for case in range(1, 6):
        tell(city_commissioner, K.CASE_LOGGED, case)
    tell(bureau_staff, K.CASE_LOGGED, 42)

    assert notifications.queue_notification_emails(limit=1) == 1
    assert OutgoingEmail.objects.get().to == bureau_staff.email


def test_a_long_digest_lists_thirty_and_counts_the_rest_yet_marks_all_sent(city_commissioner):
    in_digest(city_commissioner, K.CASE_LOGGED)
    with at(WEDNESDAY, hour=8):
        for case in range(1, 36):
            tell(city_commissioner, K.CASE_LOGGED, case)
    with at(WEDNESDAY):
        send_daily_digests(today=WEDNESDAY)

    (digest,) = messages_to(city_commissioner)
    assert digest.body.splitlines()[-1] == "… and 5 more."
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def users_with_digest_news(users: list, cases: range) -> None:
    for user in users:
        in_digest(user, K.CASE_LOGGED, K.CASE_ANSWERED)
        for case in cases:
            tell(user, K.CASE_LOGGED, case)
            tell(user, K.CASE_ANSWERED, case)
            tell(user, K.CASE_ACCEPTED, case)  # at once


def test_the_digest_issues_a_fixed_number_of_queries_however_many_users_and_notifications_wait(
    django_assert_max_num_queries, django_assert_num_queries, monkeypatch
):
    # Sending goes message by message (commissioners.mail); what is counted here is writing the digests.
    monkeypatch.setattr(mail_outbox, "send_due_emails", lambda **_: 0)
    with at(WEDNESDAY, hour=8):
        users_with_digest_news([UserFactory() for _ in range(2)], range(1, 3))
    with at(WEDNESDAY), django_assert_max_num_queries(20) as few:
        assert send_daily_digests(today=WEDNESDAY) == 2

    with at(THURSDAY, hour=8):
        users_with_digest_news([UserFactory() for _ in range(6)], range(1, 11))
    with at(THURSDAY), django_assert_num_queries(len(few.captured_queries)):
        assert send_daily_digests(today=THURSDAY) == 6
    assert Notification.objects.filter(kind=K.CASE_LOGGED, emailed_at__isnull=True).count() == 0


def test_the_at_once_queue_issues_a_fixed_number_of_queries(django_assert_num_queries):
    users = [UserFactory() for _ in range(3)]
    users_with_digest_news(users[:1], range(1, 3))
    with django_assert_num_queries(4) as few:  # savepoint, notifications, outbox, release
        assert notifications.queue_notification_emails() == 2
    users_with_digest_news(users, range(3, 13))
    with django_assert_num_queries(len(few.captured_queries)):
        assert notifications.queue_notification_emails() == 30


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_digest_and_the_at_once_sender_running_together_mail_each_notification_once():
    users = [UserFactory() for _ in range(6)]
    with at(WEDNESDAY, hour=8):
        for user in users:
            in_digest(user, K.CASE_LOGGED)
            for case in range(1, 6):
                tell(user, K.CASE_LOGGED, case)
                tell(user, K.CASE_ACCEPTED, case)
    # Half of them change their mind while both run.
    barrier = threading.Barrier(3)

    def run(job):
        barrier.wait()
        try:
            with at(WEDNESDAY):
                job()
        finally:
            connection.close()

    jobs = [
        lambda: send_daily_digests(today=WEDNESDAY),
        notifications.send_pending_emails,
        lambda: [
            preferences.notification_preferences_set(user=user, deliveries={K.CASE_LOGGED: "immediate"})
            for user in users[:3]
        ],
    ]
    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with at(WEDNESDAY):
        notifications.send_pending_emails()

    quoted = [
        (message.to[0], line.strip().removeprefix("- "))
        for message in mail.outbox
        for line in [message.subject, *message.body.splitlines()]
        if line.strip().removeprefix("- ").startswith("Case #")
    ]
    assert len(quoted) == len(set(quoted)) == len(users) * 10
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
