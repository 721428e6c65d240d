"""The API's JSON parser: a body it cannot read is a 400 in the usual error shape.

DRF's own parser lets Python's `json` recurse once per level of nesting, so a body
nested a few thousand levels deep raises RecursionError (a 500). This one reads at most
`DATA_UPLOAD_MAX_MEMORY_SIZE` bytes, decodes them strictly, measures the nesting before
parsing (brackets inside strings do not count) and refuses with 400 beyond `MAX_DEPTH`,
then parses with the standard's constants only (no NaN, no Infinity).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

# Far more than any record, bulk list of records or list inside a record needs.
MAX_DEPTH = 32

# A JSON string (escapes included), and an innermost pair of brackets with no bracket
# inside: removing the first, then the second MAX_DEPTH times, empties any body nested
# at most MAX_DEPTH deep, at the speed of the regular expression engine.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_INNERMOST = re.compile(r"\[[^\[\]{}]*\]|\{[^\[\]{}]*\}")
_BRACKET = re.compile(r"[\[\]{}]")


def too_deep(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether `text` opens more than `limit` arrays or objects inside one another."""
    rest = _STRING.sub("", text)
    passes = 0
    while passes < limit:
        rest, removed = _INNERMOST.subn("", rest)
        if not removed:
            break
        passes += 1
    # Each pass removed one level from the bottom: a bracket left `depth` deep in what
    # remains sits `depth + passes` deep in the body (or the body is unbalanced).
    depth = 0
    for match in _BRACKET.finditer(rest):
        depth += 1 if match.group() in "[{" else -1
        if depth + passes > limit:
            return True
        if depth < 0:
            return False  # unbalanced: json.loads says where
    return False


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
        if too_deep(text):
            message = _("The JSON body is nested more than %(depth)d levels deep.") % {
                "depth": MAX_DEPTH
            }
            raise UnreadableBody(message, code="too_deep")
        try:
            return json.loads(text, parse_constant=_no_constant)
        except json.JSONDecodeError as error:
            message = _("The body is not valid JSON (line %(line)d, column %(column)d).") % {
                "line": error.lineno,
                "column": error.colno,
            }
            raise UnreadableBody(message, code="parse_error") from error
        except (ValueError, RecursionError) as error:  # NaN, a number too long...
            raise UnreadableBody(_("The body is not valid JSON."), code="parse_error") from error
