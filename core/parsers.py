"""Request parsing that refuses what PostgreSQL cannot store."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

NULL_CHARACTER = _("Text cannot contain null characters (U+0000).")


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


class StrictJSONParser(JSONParser):
    """JSON whose strings may reach the database: a NUL anywhere is a 400, never a 500.

    PostgreSQL text cannot hold NUL, and not every field that looks a value up
    (slugs, codes) validates it away before querying.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if _contains_null_character(data):
            raise ParseError(NULL_CHARACTER)
        return data
