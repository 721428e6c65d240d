"""One error shape for every API answer: {"errors": [{"field", "code", "message"}]}.

Messages are translated with the request's language (LocaleMiddleware reads
Accept-Language). A 404 never says what was looked for, so that an error message
reveals nothing the caller may not see.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from liaison.core.api.parsers import UnreadableBody, body_too_large
from liaison.core.concurrency import StaleVersion


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "The record changed since you read it (its ETag no longer matches If-Match). "
        "Nothing was saved: read it again."
    )
    default_code = "precondition_failed"

    def __init__(self, detail: Any = None, code: str | None = None, etag: str = "") -> None:
        super().__init__(detail, code)
        self.etag = etag


class PreconditionRequired(exceptions.APIException):
    """A write on a record that does not say which version it read (RFC 6585, 428)."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _(
        "Send the record's ETag in an If-Match header (read the record, then send back "
        "its ETag): without it, this change could overwrite a newer one. Nothing was saved."
    )
    default_code = "precondition_required"

    def __init__(self, detail: Any = None, code: str | None = None, etag: str = "") -> None:
        super().__init__(detail, code)
        self.etag = etag


def unsupported_media_type() -> UnreadableBody:
    message = _(
        "Send the body as JSON (Content-Type: application/json), or as a form "
        "(application/x-www-form-urlencoded or multipart/form-data)."
    )
    return UnreadableBody(message, code="unsupported_media_type")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This record is still used by other records: it was kept.")
    default_code = "protected"


class IntegrityConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("A rule of the database refused this change: nothing was saved.")
    default_code = "conflict"


class InvalidValue(exceptions.APIException):
    """A value the database cannot hold (a number out of range...)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("A value is out of the range the database can hold.")
    default_code = "invalid"


def django_errors(error: DjangoValidationError) -> Any:
    """A Django ValidationError as DRF error details (codes kept, non-field errors named)."""
    return exceptions.ValidationError(as_serializer_error(error)).detail


def _field(path: tuple[Any, ...]) -> str | None:
    non_field = (api_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_ERRORS)
    parts = [str(p) for p in path if p not in non_field]
    return ".".join(parts) or None


def flatten(detail: Any, path: tuple[Any, ...] = ()) -> Iterator[dict[str, Any]]:
    """DRF's nested error details as a flat list of {field, code, message}."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            yield from flatten(value, (*path, key))
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            nested = isinstance(item, dict | list)
            yield from flatten(item, (*path, index) if nested else path)
    else:
        yield {
            "field": _field(path),
            "code": getattr(detail, "code", None) or "error",
            "message": str(detail),
        }


def error_body(detail: Any) -> dict[str, list[dict[str, Any]]]:
    return {"errors": list(flatten(detail))}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with Liaison's exceptions mapped and the body reshaped."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()  # never the default "No Person matches..." text
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, StaleVersion):
        exc = PreconditionFailed()
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = Conflict()
    elif isinstance(exc, IntegrityError):
        exc = IntegrityConflict()
    elif isinstance(exc, OverflowError | DataError):
        exc = InvalidValue()
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        exc = unsupported_media_type()  # a body the API cannot read is a 400, like any other
    elif isinstance(exc, RequestDataTooBig):
        exc = UnreadableBody(body_too_large(), code="too_large")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    response.data = error_body(detail)
    if isinstance(exc, PreconditionFailed | PreconditionRequired) and exc.etag:
        response["ETag"] = exc.etag
    return response
