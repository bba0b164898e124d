"""E-mail goes out exactly once, against a real SMTP server (aiosmtpd) that is slow and refuses one
address: every other message arrives once, the refused one harms only itself, and a sender killed
mid-run re-sends at most the one message it was sending."""

import asyncio
import email
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.utils import timezone

from commissioners import mail, notifications
from commissioners.models import Notification, NotificationKind, OutgoingEmail, Role
from tests.celery_support import ROOT, _free_port, _test_database_url, wait_until
from tests.factories import UserFactory

REFUSED = "refused@example.org"
LATER = "later@example.org"


class MailServer:
    """Records what it accepts; refuses REFUSED for good, LATER for a while; takes its time."""

    def __init__(self, *, delay: float, later_refusals: int = 0):
        self.delay = delay
        self.later_refusals = later_refusals
        self.received: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return "550 5.1.1 <refused@example.org>: mailbox unavailable"
        if address == LATER and self.later_refusals > 0:
            self.later_refusals -= 1
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content)
        with self.lock:
            for address in envelope.rcpt_tos:
                self.received.append((address, message["Subject"]))
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.received)


@pytest.fixture
def smtp(settings):
    def start(*, delay: float = 0.01, later_refusals: int = 0) -> MailServer:
        handler = MailServer(delay=delay, later_refusals=later_refusals)
        port = _free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        handler.port = port
        return handler

    started: list[Controller] = []
    yield start
    for controller in started:
        controller.stop()


def _notify_everyone(addresses: list[str]) -> list[int]:
    users = [
        UserFactory(username=f"user-{n}", email=address, role=Role.CITY_COMMISSIONER)
        for n, address in enumerate(addresses)
    ]
    notifications.notify(
        notifications.Draft(recipient_id=user.pk, kind=NotificationKind.CASES_OVERDUE, key=f"test:{user.pk}")
        for user in users
    )
    return [user.pk for user in users]


@pytest.mark.django_db
def test_a_refused_address_harms_only_its_own_message(smtp):
    server = smtp(delay=0.02)
    addresses = [f"person{n}@example.org" for n in range(120)]
    addresses.insert(7, REFUSED)
    _notify_everyone(addresses)

    sent = notifications.send_pending_emails()

    assert sent == 120
    received = Counter(address for address, _ in server.received)
    assert set(received) == set(addresses) - {REFUSED}
    assert set(received.values()) == {1}
    refused = OutgoingEmail.objects.get(to=REFUSED)
    assert refused.status == OutgoingEmail.Status.FAILED  # refused for good: given up at once
    assert refused.attempts == 1
    assert "550" in refused.last_error
    assert not Notification.objects.get(email=refused).emailed_at
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 120

    # Every later run sends nothing again.
    assert notifications.send_pending_emails() == 0
    assert server.count() == 120


@pytest.mark.django_db
def test_a_temporary_refusal_is_retried_with_backoff_then_sent_once(smtp):
    server = smtp(later_refusals=1)
    _notify_everyone([LATER, "other@example.org"])

    assert notifications.send_pending_emails() == 1
    waiting = OutgoingEmail.objects.get(to=LATER)
    assert waiting.status == OutgoingEmail.Status.PENDING
    assert waiting.attempts == 1
    assert "451" in waiting.last_error
    assert waiting.next_attempt_at > timezone.now() + timedelta(seconds=50)

    assert notifications.send_pending_emails() == 0  # not due yet
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert notifications.send_pending_emails() == 1
    assert Counter(address for address, _ in server.received) == {LATER: 1, "other@example.org": 1}
    assert OutgoingEmail.objects.get(to=LATER).status == OutgoingEmail.Status.SENT


@pytest.mark.django_db
def test_a_message_that_keeps_failing_is_given_up_after_the_limit(smtp, settings):
    smtp(later_refusals=100)
    _notify_everyone([LATER])
    notifications.queue_notification_emails()
    now = timezone.now()
    for attempt in range(settings.EMAIL_DELIVERY["MAX_ATTEMPTS"]):
        with time_machine.travel(now + timedelta(days=attempt + 1)):
            mail.send_due_emails()
    given_up = OutgoingEmail.objects.get(to=LATER)
    assert given_up.status == OutgoingEmail.Status.FAILED
    assert given_up.attempts == settings.EMAIL_DELIVERY["MAX_ATTEMPTS"]

    # An administrator's "send again" makes it due, with a fresh count.
    assert mail.retry(OutgoingEmail.objects.all()) == 1
    assert OutgoingEmail.objects.get(to=LATER).status == OutgoingEmail.Status.PENDING


@pytest.mark.django_db
def test_an_unreachable_mail_server_keeps_every_message_for_later(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()  # nobody listens
    _notify_everyone(["a@example.org", "b@example.org"])
    assert notifications.send_pending_emails() == 0
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING, attempts=1).count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_sender_killed_mid_run_resends_at_most_the_message_in_flight(smtp):
    server = smtp(delay=0.05)
    addresses = [f"person{n}@example.org" for n in range(80)]
    _notify_everyone(addresses)
    notifications.queue_notification_emails()

    # Another process sends, as a worker would, and is killed -9 part of the way through.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": _test_database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{server.port}",
    }
    sender = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from commissioners import mail; mail.send_due_emails()",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until(lambda: server.count() >= 25, what="the first messages", timeout=60)
        os.kill(sender.pid, signal.SIGKILL)
    finally:
        sender.wait(timeout=20)
    killed_after = server.count()
    assert killed_after < len(addresses), "the sender finished before it could be killed"
    time.sleep(0.2)

    # The next run, once the dead sender's lease has run out, sends the rest.
    with time_machine.travel(timezone.now() + timedelta(minutes=15)):
        mail.send_due_emails()

    received = Counter(address for address, _ in server.received)
    assert set(received) == set(addresses)
    twice = [address for address, count in received.items() if count > 1]
    assert len(twice) <= 1, twice
    assert max(received.values()) <= 2
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).count() == len(addresses)
