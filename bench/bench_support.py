"""What the benchmarks share: their own database, Django set up on it, settling it, and gunicorn."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ensure_database(database_url: str, *, rebuild: bool = False) -> None:
    """Creates the benchmark's database if it is missing (dropping it first with `rebuild`)."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        if rebuild:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def django_setup(database_url: str, **environ: str) -> None:
    """Django with the base settings on the benchmark's database, no Redis, plus `environ`."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)
    os.environ.update(environ)
    import django

    django.setup()


def settle_database() -> None:
    """What autovacuum does in a running system: fresh statistics and visibility map."""
    from django.db import connection

    connection.ensure_connection()
    connection.connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def start_gunicorn(
    *,
    database_url: str,
    port: int,
    app: str = "config.wsgi",
    warm_path: str = "/api/health/ready/",
    log_path: Path | None = None,
    **environ: str,
) -> subprocess.Popen:
    """gunicorn (two sync workers, base settings, no Redis) on the benchmark's database, once its
    health check answers and each worker has answered once. A loaded machine may take seconds to
    boot the workers: each try waits up to 10 s, a refusal or a timeout is retried for two
    minutes, and a server that will not start is stopped, not left running. Stop it with
    `stop_gunicorn` (in a `finally`): the server and its workers are one process group. With
    `log_path`, what the server writes (a line per request) goes to that file, not the terminal."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        **environ,
    }
    env.pop("REDIS_URL", None)
    gunicorn = [str(ROOT / ".venv/bin/gunicorn"), app, "--bind", f"127.0.0.1:{port}", "--pythonpath", "bench"]
    log = open(log_path, "ab") if log_path else None  # noqa: SIM115 (the server's, while it runs)
    server = subprocess.Popen(
        [*gunicorn, "--workers", "2", "--log-level", "warning", "--timeout", "120"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=log,
        stderr=log,
    )
    if log:
        log.close()  # the server holds its own copy
    try:
        _wait_until_answering(server, f"http://127.0.0.1:{port}{warm_path}")
    except BaseException:
        stop_gunicorn(server)
        if log_path:
            print(f"gunicorn did not answer; its output is in {log_path}", file=sys.stderr)
        raise
    return server


def _wait_until_answering(server: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=10):
                break
        except OSError:  # refused, reset or timed out while the workers boot
            time.sleep(0.2)
    else:
        raise SystemExit("gunicorn did not start")
    # Each worker's first request imports and connects (about a second on a busy machine): a few
    # at once reach both workers before anything is timed.
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: urllib.request.urlopen(url, timeout=30).read(), range(16)))


def stop_gunicorn(server: subprocess.Popen) -> None:
    """Stops the server and its workers (their process group), killing them if they linger."""
    if server.poll() is None:
        try:
            os.killpg(server.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    with contextlib.suppress(ProcessLookupError):  # workers the master left behind
        os.killpg(server.pid, signal.SIGKILL)


def exit_on_sigterm() -> None:
    """A SIGTERM (a CI's timeout, `kill`) unwinds like Ctrl-C, so every `finally` stops its servers."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
