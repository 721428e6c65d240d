"""ETags and If-Match: optimistic concurrency over HTTP (RFC 9110, section 13.1.1).

A record's ETag is built from its primary key and version ("<pk>.<version>"). Child
records, which have no version of their own, get a digest of their stored values
instead. A write (PUT, PATCH, DELETE) must carry an If-Match: without one it is refused
with 428 (it could overwrite a change it never saw); one naming another ETag is refused
with 412, checked under the row lock so that two writers cannot both pass the check.
`If-Match: *` says on purpose "whatever its version" (RFC 9110) and is accepted.
"""

from __future__ import annotations

import hashlib
import json

from django.db import models
from rest_framework.request import Request

from liaison.core.api.errors import PreconditionFailed, PreconditionRequired
from liaison.core.concurrency import StaleVersion, lock_current_version


def _has_version(obj: models.Model) -> bool:
    return any(f.name == "version" for f in obj._meta.concrete_fields)


def etag_for(obj: models.Model) -> str:
    if _has_version(obj):
        return f'"{obj.pk}.{getattr(obj, "version", 0)}"'
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    digest = hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode())
    return f'"{obj.pk}.{digest.hexdigest()[:20]}"'


def if_match(request: Request) -> list[str] | None:
    """The entity tags of the If-Match header, or None when there is none.

    Compared weakly (a W/ prefix is dropped): compressing proxies weaken ETags, and a
    version number is exact whatever the encoding of the body.
    """
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tags = [tag.strip() for tag in header.split(",") if tag.strip()]
    return [tag.removeprefix("W/") for tag in tags]


def _expected_version(tags: list[str], obj: models.Model) -> int | None:
    for tag in tags:
        pk, _, version = tag.strip('"').partition(".")
        if pk == str(obj.pk) and version.isdigit():
            return int(version)
    return None


def lock_and_check(request: Request, obj: models.Model) -> None:
    """Lock `obj`'s row, reload it, and refuse the write without If-Match (428) or if
    If-Match names another ETag (412).

    Call inside `transaction.atomic()`, after the visibility and permission checks.
    """
    tags = if_match(request)
    if tags is None:
        raise PreconditionRequired(etag=etag_for(obj))
    if tags is not None and "*" not in tags and _has_version(obj):
        expected = _expected_version(tags, obj)
        try:
            # The same check as the web forms: the version under the row lock.
            lock_current_version(obj, -1 if expected is None else expected)
        except StaleVersion as stale:
            raise PreconditionFailed(etag=etag_for(stale.current)) from stale
    else:
        list(type(obj)._default_manager.select_for_update().filter(pk=obj.pk).values("pk"))
    obj.refresh_from_db()
    if tags is not None and "*" not in tags and etag_for(obj) not in tags:
        raise PreconditionFailed(etag=etag_for(obj))
