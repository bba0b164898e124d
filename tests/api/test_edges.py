"""Every parameter of every operation of the OpenAPI document, at its extremes, as every role: never a
5xx, and every refusal in the one error shape.

Values are generated from each parameter's schema (dates 0001-01-01 and 9999-12-31, months of year
0 and 9999, huge and negative integers, unknown enum values, words that are not booleans, NUL,
10,000 characters), and every operation that takes a body gets nesting 400 levels deep and a body
just over the upload limit. The document is read from the application, so a new operation or
parameter is covered the day it is added. Complements the schemathesis run (random values, checked
against the documented responses)."""

import json
from urllib.parse import urlencode

import pytest
from django.conf import settings
from drf_spectacular.generators import SchemaGenerator
from knox.models import AuthToken
from rest_framework.test import APIClient

from commissioners.models import Role
from tests.factories import CentreFactory, district

pytestmark = pytest.mark.django_db

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
OPERATIONS = [
    (path, method, operation)
    for path, item in SCHEMA["paths"].items()
    for method, operation in item.items()
    if method in ("get", "post", "put", "patch", "delete")
]

DATES = ["0001-01-01", "9999-12-31", "0000-01-01", "2026-02-30", "10000-01-01", "yesterday"]
DATE_TIMES = ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00", "9999-12-31T23:59:59-12:00", "soon"]
INTEGERS = ["0", "-1", str(2**31), str(2**63), str(-(2**63) - 1), str(10**40), "1.5", "1e309", "abc"]
NUMBERS = ["1e309", "-1e309", "NaN", "-0", "1e-400", "abc"]
STRINGS = ["\x00", "x" * 10_000, "中文", "' OR 1=1 --", "../../etc/passwd", "%", "-", "0000-01", "9999-12"]
BOOLEANS = ["maybe", "yes", "1", "TRUE", "false"]
# Parameters whose names say more than their schema's type does.
BY_NAME = {
    "from": ["0000-01", "0001-01", "9999-12", "10000-01", "2026-13", "2026-1"],
    "to": ["0000-12", "9999-12", "2026-00", "x"],
    "ordering": ["password", "-", "--id", ",", "id,", "-" * 300],
    "page": ["0", "-1", str(2**63), "last"],
    "page_size": ["0", "-1", str(2**63), "1000000"],
}


def edge_values(parameter: dict) -> list[str]:
    schema = parameter.get("schema", {})
    values = list(BY_NAME.get(parameter["name"], []))
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "array":
        schema = schema.get("items", {})
        kind, fmt = schema.get("type"), schema.get("format")
    if "enum" in schema:
        values += ["not-a-choice", str(schema["enum"][0]).upper()]
    if kind == "integer":
        values += INTEGERS
    elif kind == "number":
        values += NUMBERS
    elif kind == "boolean":
        values += BOOLEANS
    elif fmt == "date":
        values += DATES
    elif fmt == "date-time":
        values += DATE_TIMES
    else:
        values += STRINGS
    return values


@pytest.fixture
def clients(users_by_role, pudong_commissioner):
    CentreFactory(district=district("xuhui"), commissioner=users_by_role[Role.DISTRICT_COMMISSIONER])
    CentreFactory(district=district("pudong"), commissioner=pudong_commissioner)
    made = {}
    for role, user in users_by_role.items():
        client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans" if len(made) % 2 else "en")
        client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user)[1]}")
        made[role] = client
    made["anonymous"] = APIClient()
    return made


def _path(template: str, parameters: list[dict], overrides: dict[str, str]) -> str:
    path = template
    for parameter in parameters:
        if parameter["in"] == "path":
            value = overrides.get(parameter["name"], "1")
            path = path.replace("{" + parameter["name"] + "}", value)
    return path


def _assert_answered(response, what: str) -> None:
    assert response.status_code < 500, (what, response.status_code, response.content[:500])
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"type", "errors"}, (what, body)
        assert body["errors"] and all("detail" in error for error in body["errors"]), (what, body)


def _call(client, method: str, path: str, query: dict | None = None, body=None, content_type=None):
    kwargs = {}
    if body is not None:
        kwargs = {"data": body, "content_type": content_type or "application/json"}
    return (
        getattr(client, method)(path, query, **kwargs)
        if method == "get"
        else getattr(client, method)(path + _query_string(query), **kwargs)
    )


def _query_string(query: dict | None) -> str:

    return "?" + urlencode(query, doseq=True) if query else ""


@pytest.mark.parametrize(
    ("path", "method", "operation"), OPERATIONS, ids=[f"{m.upper()} {p}" for p, m, _ in OPERATIONS]
)
def test_every_parameter_at_its_extremes_as_every_role(path, method, operation, clients):
    parameters = operation.get("parameters", [])
    for parameter in parameters:
        for value in edge_values(parameter):
            if parameter["in"] == "path":
                target, query = _path(path, parameters, {parameter["name"]: value.replace("/", "%2F")}), None
            elif parameter["in"] == "query":
                target, query = _path(path, parameters, {}), {parameter["name"]: value}
            else:
                continue
            for role, client in clients.items():
                response = _call(client, method, target, query, body="{}" if method != "get" else None)
                _assert_answered(
                    response, f"{role} {method.upper()} {target} {parameter['name']}={value[:40]!r}"
                )


BODY_OPERATIONS = [(p, m, o) for p, m, o in OPERATIONS if "requestBody" in o]


def _body_fields(operation: dict) -> dict[str, dict]:
    content = operation["requestBody"].get("content", {})
    schema = (content.get("application/json") or {}).get("schema", {})
    if "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema.get("properties", {})


def _typed_edges(field: dict) -> list:
    if "$ref" in field:
        field = SCHEMA["components"]["schemas"][field["$ref"].rsplit("/", 1)[1]]
    kind, fmt = field.get("type"), field.get("format")
    edges: list = [None, [], {}, "\x00", "x" * 30_000, 2**70, -(2**70), 1e308, True]
    if kind in ("integer", "number"):
        edges += [0, -1, 2**63, "12abc"]
    if fmt == "date":
        edges += DATES
    if fmt == "date-time":
        edges += DATE_TIMES
    if "enum" in field:
        edges += ["not-a-choice"]
    return edges


@pytest.mark.parametrize(
    ("path", "method", "operation"),
    BODY_OPERATIONS,
    ids=[f"{m.upper()} {p}" for p, m, _ in BODY_OPERATIONS],
)
def test_every_body_field_at_its_extremes_and_every_hostile_body(path, method, operation, clients):
    target = _path(path, operation.get("parameters", []), {})
    over_limit = json.dumps({"note": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    hostile = [
        "[" * 400 + "]" * 400,
        '{"a":' * 400 + "1" + "}" * 400,
        over_limit,
        "{",
        "null",
        "[]",
        '"x"',
        "NaN",
    ]
    for role, client in clients.items():
        for body in hostile:
            response = _call(client, method, target, body=body)
            _assert_answered(response, f"{role} {method.upper()} {target} body={body[:30]!r}")
            if body is over_limit and response.status_code not in (401, 403, 404, 405):
                assert response.status_code == 413, (role, target, response.status_code)
        for name, field in _body_fields(operation).items():
            for value in _typed_edges(field):
                response = _call(client, method, target, body=json.dumps({name: value}))
                _assert_answered(response, f"{role} {method.upper()} {target} {name}={str(value)[:40]!r}")
