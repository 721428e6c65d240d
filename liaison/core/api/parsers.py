"""The API's JSON parser: a body it cannot read is a 400 in the usual error shape.

DRF's own parser lets Python's `json` recurse once per level of nesting, so a body
nested a few thousand levels deep raises RecursionError (a 500). This one reads at most
`DATA_UPLOAD_MAX_MEMORY_SIZE` bytes, decodes them strictly, parses with the standard's
constants only (no NaN, no Infinity) and refuses with 400 a body nested beyond
`MAX_DEPTH` (measured on what was parsed; one too deep for the parser is too deep too).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

# Far more than any record, bulk list of records or list inside a record needs.
MAX_DEPTH = 32


def depth(value: Any) -> int:
    """How many arrays or objects `value` opens inside one another (0 for a scalar),
    counted without recursion."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            pending.extend((child, level + 1) for child in item)
    return deepest


class UnreadableBody(exceptions.ParseError):
    """A request body the API cannot read: 400, whatever the reason."""

    default_code = "parse_error"


def body_too_large() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return _("The body of the request is larger than %(limit)s bytes.") % {"limit": limit}


def _no_constant(name: str) -> Any:
    raise ValueError(name)


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: IO[Any] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        # The request's charset, UTF-8 by default (as DRF's parser reads it).
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = b"" if stream is None else stream.read(-1 if limit is None else limit + 1)
        if limit is not None and len(raw) > limit:
            raise UnreadableBody(body_too_large(), code="too_large")
        try:
            text = raw.decode(encoding)
        except (LookupError, UnicodeDecodeError) as error:
            message = _("The body is not valid %(encoding)s text.") % {"encoding": encoding}
            raise UnreadableBody(message, code="invalid_encoding") from error
        try:
            data = json.loads(text, parse_constant=_no_constant)
        except json.JSONDecodeError as error:
            message = _("The body is not valid JSON (line %(line)d, column %(column)d).") % {
                "line": error.lineno,
                "column": error.colno,
            }
            raise UnreadableBody(message, code="parse_error") from error
        except RecursionError as error:
            raise _too_deep() from error
        except ValueError as error:  # NaN, a number too long...
            raise UnreadableBody(_("The body is not valid JSON."), code="parse_error") from error
        if depth(data) > MAX_DEPTH:
            raise _too_deep()
        return data


def _too_deep() -> UnreadableBody:
    message = _("The JSON body is nested more than %(depth)d levels deep.") % {"depth": MAX_DEPTH}
    return UnreadableBody(message, code="too_deep")
