"""Sentry: off without a DSN; with one, an error reaches it (a local stand-in for the Sentry server)
without the request's password."""

import http.server
import os
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import sentry_sdk
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent


def test_no_dsn_no_reporting():
    assert settings.SENTRY_ENABLED is False
    assert not sentry_sdk.get_client().is_active()


class _Collector(http.server.BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
        _Collector.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


REPORTS_AN_ERROR = """
import django
django.setup()
from django.test import Client
from django.urls import path
import sentry_sdk

def broken(request):
    password = request.POST["password"]
    raise ZeroDivisionError("the ranking had no centres")

from config import urls
urls.urlpatterns.append(path("broken/", broken))
Client(raise_request_exception=False).post("/broken/", {"password": "Hunter-Secret-42"})
sentry_sdk.flush(timeout=5)
"""


def test_with_a_dsn_an_unhandled_error_reaches_sentry_without_the_password():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Collector.received = []
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/1",
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    try:
        subprocess.run([sys.executable, "-c", REPORTS_AN_ERROR], cwd=ROOT, env=env, check=True, timeout=120)
    finally:
        server.shutdown()

    sent = b"".join(_Collector.received)
    assert b"ZeroDivisionError" in sent and b"the ranking had no centres" in sent
    assert b"Hunter-Secret-42" not in sent
