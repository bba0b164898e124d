"""Request parsing that refuses, with a 4xx, what could make the server fail: bodies over the
limit, nesting deep enough to exhaust the parser's recursion, numbers JSON does not have, and text
PostgreSQL cannot store."""

import json
import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import JSONParser

NULL_CHARACTER = _("Text cannot contain null characters (U+0000).")
TOO_DEEP = _("The request body is nested more than %(depth)d levels deep.")
NOT_JSON = _("The request body is not valid JSON (line %(line)d, column %(column)d).")
NOT_UTF8 = _("The request body is not UTF-8 text.")
NOT_A_NUMBER = _("The request body contains %(constant)s, which is not a JSON number.")
TOO_LARGE = _("The request body is larger than %(limit)s MB.")

# No request of the API nests anywhere near this deep; Python's parser recurses once per level.
MAX_DEPTH = 32
# A string (with its escapes) or a bracket, in the raw body: brackets inside strings are not nesting.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_OPENING = frozenset(b"[{")


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        super().__init__(TOO_LARGE % {"limit": f"{limit:g}"})


def _contains_null_character(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(
            _contains_null_character(key) or _contains_null_character(item) for key, item in value.items()
        )
    if isinstance(value, list):
        return any(_contains_null_character(item) for item in value)
    return False


def nesting_depth(raw: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest, without parsing it."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH:
        return 0  # too few brackets to be too deep: the common case costs two counts
    depth = deepest = 0
    for token in _TOKENS.finditer(raw):
        first = token.group()[0]
        if first in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif first != ord('"'):
            depth -= 1
    return deepest


def _refuse_constant(name: str):
    raise ParseError(NOT_A_NUMBER % {"constant": name})


def read_limited(stream) -> bytes:
    """The body, refused with a 413 beyond the upload limit, whether or not Django checked it."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    raw = stream.read(limit + 1) if limit is not None else stream.read()
    if limit is not None and len(raw) > limit:
        raise RequestTooLarge()
    return raw


class StrictJSONParser(JSONParser):
    """JSON the application can hold: a body over the limit is a 413; too deep a nesting, NaN or
    Infinity, invalid text or a NUL anywhere is a 400, never a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = read_limited(stream)
        if nesting_depth(raw) > MAX_DEPTH:
            raise ParseError(TOO_DEEP % {"depth": MAX_DEPTH})
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as error:
            raise ParseError(NOT_UTF8) from error
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except json.JSONDecodeError as error:
            raise ParseError(NOT_JSON % {"line": error.lineno, "column": error.colno}) from error
        except RecursionError as error:  # the depth check above makes this unreachable; kept as a guard
            raise ParseError(TOO_DEEP % {"depth": MAX_DEPTH}) from error
        if _contains_null_character(data):
            raise ParseError(NULL_CHARACTER)
        return data


class SizeBeforeTypeNegotiation(DefaultContentNegotiation):
    """A body over the limit is a 413 whatever its type. An endpoint taking only multipart uploads
    would otherwise answer an oversized JSON body with a 415, before its size was looked at.
    (Multipart bodies have their own limits: Django's for their fields, each upload's for its file.)"""

    def select_parser(self, request, parsers):
        parser = super().select_parser(request, parsers)
        if parser is None and not request.content_type.startswith("multipart/"):
            declared = request.META.get("CONTENT_LENGTH") or "0"
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            if limit is not None and declared.isdigit() and int(declared) > limit:
                raise RequestTooLarge()
        return parser
