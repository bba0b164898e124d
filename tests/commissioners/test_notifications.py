"""The in-app inbox and e-mail: once per event, in the reader's language, nobody else's."""

import threading

import pytest
from django.core import mail
from django.db import connection

from commissioners import notifications
from commissioners.models import Notification, NotificationKind
from config.celery import app

pytestmark = pytest.mark.django_db
PARAMS = {
    "case": 42,
    "case_title": "签证续签",
    "centre_zh": "测试研发中心",
    "centre_en": "Test R&D Centre",
    "due_on": "2026-11-24",
}


def draft(user, key="answer_due:1:2026-11-24", kind=NotificationKind.ANSWER_DUE):
    return notifications.Draft(recipient_id=user.pk, kind=kind, key=key, params=PARAMS)


def test_the_same_event_is_stored_once(bureau_staff):
    notifications.notify([draft(bureau_staff), draft(bureau_staff)])
    notifications.notify([draft(bureau_staff)])
    assert Notification.objects.filter(recipient=bureau_staff).count() == 1


def test_written_in_both_languages():
    assert notifications.render(kind=NotificationKind.ANSWER_DUE, params=PARAMS, language="en") == (
        "Case #42 is to be answered by 2026-11-24",
        "“签证续签”, Test R&D Centre",
    )
    title, body = notifications.render(kind=NotificationKind.ANSWER_DUE, params=PARAMS, language="zh-hans")
    assert title == "案件 #42 须于 2026-11-24 前答复"
    assert body == "“签证续签”，测试研发中心"


def test_the_inbox_api(client_for, bureau_staff, city_commissioner):
    notifications.notify(
        [draft(bureau_staff), draft(bureau_staff, key="other", kind=NotificationKind.ACCEPT_DUE)]
    )
    notifications.notify([draft(city_commissioner)])
    client = client_for(bureau_staff, language="zh-hans")

    listed = client.get("/api/notifications/").json()
    assert listed["count"] == 2
    assert {row["title"] for row in listed["results"]} == {
        "案件 #42 须于 2026-11-24 前答复",
        "案件 #42 须于 2026-11-24 前签收",
    }
    assert listed["results"][0]["case"] == 42
    assert client.get("/api/notifications/unread-count/").json() == {"unread": 2}

    first = listed["results"][0]["id"]
    assert client.post(f"/api/notifications/{first}/read/").json()["is_read"] is True
    assert client.get("/api/notifications/unread-count/").json() == {"unread": 1}
    assert client.get("/api/notifications/?unread=true").json()["count"] == 1
    assert client.post("/api/notifications/mark-read/", {}, format="json").json() == {"marked_read": 1}
    assert client.get("/api/notifications/unread-count/").json() == {"unread": 0}


def test_nobody_sees_anyone_elses_notifications(client_for, bureau_staff, city_commissioner):
    notifications.notify([draft(city_commissioner)])
    theirs = Notification.objects.get(recipient=city_commissioner)
    client = client_for(bureau_staff)
    assert client.get(f"/api/notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/notifications/{theirs.pk}/read/").status_code == 404
    assert client.post("/api/notifications/mark-read/", {"ids": [theirs.pk]}, format="json").json() == {
        "marked_read": 0
    }
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_bad_mark_read_input_is_a_400(client_for, bureau_staff):
    response = client_for(bureau_staff).post("/api/notifications/mark-read/", {"ids": ["x"]}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["attr"].startswith("ids")


def test_emails_go_once_in_the_recipients_language(bureau_staff, city_commissioner):
    city_commissioner.language = "zh-hans"
    city_commissioner.save()
    notifications.notify([draft(bureau_staff), draft(city_commissioner)])

    assert notifications.send_pending_emails() == 2
    assert notifications.send_pending_emails() == 0

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        bureau_staff.email: "Case #42 is to be answered by 2026-11-24",
        city_commissioner.email: "案件 #42 须于 2026-11-24 前答复",
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_senders_at_once_send_each_email_once(bureau_staff):
    notifications.notify([draft(bureau_staff, key=f"event:{n}") for n in range(40)])
    barrier = threading.Barrier(2)

    def send():
        barrier.wait()
        try:
            notifications.send_pending_emails(limit=25)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    notifications.send_pending_emails()
    assert len(mail.outbox) == 40
    assert len({message.subject + message.body for message in mail.outbox}) == 1  # same text, 40 events
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    assert schedule, "the beat schedule is empty"
    for name, entry in schedule.items():
        assert entry["task"] in app.tasks, f"{name}: {entry['task']} is not a registered task"
