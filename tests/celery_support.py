"""A real Redis broker and a real Celery worker process for the tests that need them.

The broker is a private redis-server on a free port, so a test can stop it for real
(the broker down while a case is answered) without touching the machine's Redis.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection
from kombu import pools

from config.celery import app

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self, workdir: Path):
        self.port = _free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def _reset_producer_pool() -> None:
    # Celery keeps one connection pool per app; dropping it makes the next publish
    # connect to the broker URL now configured.
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    # The broadcast mailbox (worker pings) keeps the producer pool it first used.
    app.control.mailbox.__dict__.pop("producer_pool", None)
    # kombu keeps one pool per broker address for the whole process; a closed one would be handed
    # out again the next time the same broker is published to.
    for group in (pools.connections, pools.producers):
        for key, pool in list(group.items()):
            if getattr(pool, "_closed", False) or getattr(
                getattr(pool, "connections", None), "_closed", False
            ):
                dict.__delitem__(group, key)  # the stored key is already hashed


@contextmanager
def publishing_to(url: str) -> Iterator[None]:
    previous = app.conf.broker_url
    app.conf.broker_url = url
    _reset_producer_pool()
    try:
        yield
    finally:
        app.conf.broker_url = previous
        _reset_producer_pool()


@contextmanager
def celery_worker(
    broker_url: str,
    *,
    queues: str | None = None,
    name: str | None = None,
    log: Path | None = None,
    log_to: Path | None = None,
    extra_env: dict[str, str] | None = None,
) -> Iterator[subprocess.Popen]:
    """A `celery worker` process on the test database and the given broker: on every queue, or on
    `queues` only (-Q), named `name`; its log lines written to the file `log` (or `log_to`) when
    given. The worker logs through the product's LOGGING (config.celery), on stderr, so that is
    what the file receives: Celery's own --logfile would stay empty."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": broker_url,
        **(extra_env or {}),
    }
    log_to = log_to or log
    log_file = open(log_to, "w") if log_to else None  # noqa: SIM115  (closed below)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            f"--loglevel={'INFO' if log else 'WARNING'}",
            *([f"--queues={queues}"] if queues else []),
            *([f"--hostname={name}"] if name else []),
        ],
        cwd=ROOT,
        env=env,
        stderr=log_file,
    )
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        if log_file:
            log_file.close()


def _test_database_url() -> str:
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def wait_until(condition: Callable[[], bool], *, what: str, timeout: float = 45.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out waiting for {what}")
