"""The Prometheus endpoint, /metrics: django-prometheus's request rates and latencies per view, the
database query counts (core.db_metrics), the Celery task counts and durations (core.task_metrics) and
the product's own gauges (dashboards.metrics).

Readable with `Authorization: Bearer <METRICS_TOKEN>` (the scraper) or by a staff user's session
(an operator in a browser); anyone else is refused, and without METRICS_TOKEN no token opens it.
With PROMETHEUS_MULTIPROC_DIR set (several gunicorn workers), the per-process figures are those of
every process that writes there."""

import hmac
import os

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from core.task_metrics import TaskMetricsCollector
from dashboards.metrics import ProductCollector

# Read at each scrape, so these live in their own registry, apart from the per-process figures.
_scrape_time = CollectorRegistry(auto_describe=False)
_scrape_time.register(ProductCollector())
_scrape_time.register(TaskMetricsCollector())

BAD_TOKEN = "The metrics token is wrong."


class MetricsScraper:
    """Who a request with the right metrics token is: no user, only the right to read /metrics."""

    pk = None
    is_authenticated = True
    is_staff = False


class MetricsTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        expected = settings.METRICS_TOKEN
        if not expected or not hmac.compare_digest(token.strip().encode(), expected.encode()):
            raise AuthenticationFailed(BAD_TOKEN)
        return MetricsScraper(), "metrics-token"

    def authenticate_header(self, request):
        return 'Bearer realm="metrics"'


class MayReadMetrics(BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return isinstance(user, MetricsScraper) or bool(user and user.is_authenticated and user.is_staff)


class _AnyAccept(BaseContentNegotiation):
    """Scrapers ask for the exposition format; a refusal is answered in JSON like every other."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _per_process_figures() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


class MetricsView(APIView):
    """Prometheus's text format; read by the scraper's token or a staff user."""

    authentication_classes = [MetricsTokenAuthentication, SessionAuthentication]
    permission_classes = [MayReadMetrics]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = _AnyAccept
    # Scraped every few seconds from one address.
    throttle_classes: list = []

    @extend_schema(exclude=True)
    def get(self, request):
        body = _per_process_figures() + generate_latest(_scrape_time)
        return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
