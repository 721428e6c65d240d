"""Figures derived from many records (the dashboard, the choices of list filters), kept
in the cache until anything changes.

`data_generation()` is the length of the audit chain: every create, change and delete of
a record, a membership or a workspace extends it, in whichever web process, worker or
command it happens, so a key that holds it is stale as soon as anything changed. Keys
hold the user too: what a user sees depends on their memberships (which are in the
chain). settings.LIAISON_CACHE_SECONDS bounds how long an entry is kept (0: no cache);
with several web processes, LIAISON_CACHE_URL gives them one cache.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from liaison.core.models import AuditHead


def data_generation() -> int:
    """A number that changes whenever any record changes (one indexed read of one row)."""
    return AuditHead.objects.filter(pk=1).values_list("length", flat=True).first() or 0


def seconds() -> int:
    return int(getattr(settings, "LIAISON_CACHE_SECONDS", 0) or 0)


def key(name: str, user: Any, *parts: Any) -> str:
    values = [name, getattr(user, "pk", 0), get_language(), data_generation(), *parts]
    return "liaison:" + ":".join(str(v) for v in values)


def cached[T](name: str, user: Any, compute: Callable[[], T], *parts: Any) -> T:
    """`compute()`, or what it gave since nothing changed, for this user."""
    if not seconds():
        return compute()
    entry = key(name, user, timezone.localdate().isoformat(), *parts)
    found = cache.get(entry)
    if found is None:
        found = compute()
        cache.set(entry, found, seconds())
    return found


def cached_ids(name: str, user: Any, ids: Callable[[], Iterable[Any]]) -> Iterable[Any]:
    """The ids `ids()` gives (a filter's choices), kept until anything changes; without
    the cache, `ids()` itself (a subquery: no query of its own)."""
    if not seconds():
        return ids()
    return cached(name, user, lambda: sorted({i for i in ids() if i is not None}))
