"""Every operation of the OpenAPI schema, fuzzed as each role, answers without a 5xx and as documented.

The schema is read from the running application, so a new endpoint is fuzzed the
day it is added.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from commissioners.models import Role
from config.wsgi import application
from tests.factories import CentreFactory, district

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# Operations whose documented 503 says a part of the service is down.
HEALTH_VERDICTS = {"/api/health/", "/api/health/ready/"}

# Each role asks in one of the two languages, so both catalogues are exercised.
LANGUAGES = ["zh-hans", "en", "zh-hans", "en", "zh-hans"]

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests reach the WSGI app directly; like Django's test client, keep the test's
    connection (and its transaction) open across them."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens_by_role(users_by_role, pudong_commissioner):
    # Real rows for list and detail responses to be checked against the schema.
    CentreFactory(id=1, district=district("xuhui"), commissioner=users_by_role[Role.DISTRICT_COMMISSIONER])
    CentreFactory(id=2, district=district("pudong"), commissioner=pudong_commissioner)
    return {role: AuthToken.objects.create(user)[1] for role, user in users_by_role.items()}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, suppress_health_check=list(HealthCheck), deadline=None)
def test_api_conforms_to_its_schema_for_every_role(case, tokens_by_role):
    checks = CHECKS
    if case.path in HEALTH_VERDICTS:
        # Its 503 is the health check's verdict (here no Celery worker runs), not a server error:
        # the other checks still hold it to its documented status and body.
        checks = [check for check in CHECKS if check is not not_a_server_error]
    for token, language in zip(tokens_by_role.values(), LANGUAGES, strict=True):
        case.call_and_validate(
            headers={"Authorization": f"Token {token}", "Accept-Language": language}, checks=checks
        )
    # And once as nobody at all.
    case.call_and_validate(headers={"Authorization": ""}, checks=checks)
