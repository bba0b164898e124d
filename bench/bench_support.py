"""What the benchmarks share: their own database, Django set up on it, settling it, and gunicorn."""

import os
import subprocess
import sys
import time
import urllib.request
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


def start_gunicorn(*, database_url: str, port: int, **environ: str) -> subprocess.Popen:
    """gunicorn (two sync workers, base settings, no Redis) on the benchmark's database, once its
    health check answers. A loaded machine may take seconds to boot the workers: each try waits up
    to 5 s, a refusal or a timeout is retried for a minute, and a server that will not start is
    stopped, not left running."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        **environ,
    }
    env.pop("REDIS_URL", None)
    gunicorn = [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen([*gunicorn, "--workers", "2", "--log-level", "warning"], cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health/", timeout=5):
                return server
        except OSError:  # refused, reset or timed out while the workers boot
            time.sleep(0.2)
    server.terminate()
    server.wait()
    raise SystemExit("gunicorn did not start")
