"""The OpenAPI document, the local Swagger UI and the health endpoint."""

import pytest
import yaml
from django.test import override_settings
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_schema_is_a_valid_openapi_3_document(anonymous_client):
    response = anonymous_client.get("/api/schema/")

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert {"/api/centres/", "/api/centres/{id}/", "/api/measures/{id}/routing/"} <= set(schema["paths"])


def test_docs_are_served_without_a_cdn(anonymous_client):
    response = anonymous_client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    asset = anonymous_client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert asset.status_code == 200


def test_health_reports_database_and_redis(anonymous_client):
    response = anonymous_client.get("/api/health/")

    # No worker runs and no beat has registered its jobs here: tests/core/test_health.py has those.
    assert response.json()["database"] == "ok" and response.json()["redis"] == "ok"


def test_health_reports_redis_down(anonymous_client):
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = anonymous_client.get("/api/health/")

    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["database"] == "ok" and response.json()["redis"] == "down"
