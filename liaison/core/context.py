"""Who is acting, and from where: set once per request, command, import or task.

Every record's created_by / updated_by and every history row read the actor from
here, so that nothing escapes the history whatever the channel.
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


@dataclass(frozen=True)
class Actor:
    user: AbstractBaseUser | None
    ip_address: str | None = None
    request_id: str = ""
    channel: str = "system"


_NOBODY = Actor(None)
_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("liaison_actor", default=None)


def current() -> Actor:
    return _actor.get() or _NOBODY


def current_actor() -> AbstractBaseUser | None:
    user = current().user
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


@contextmanager
def acting_as(
    user: AbstractBaseUser | None,
    *,
    ip_address: str | None = None,
    channel: str = "command",
    request_id: str | None = None,
) -> Iterator[Actor]:
    actor = Actor(user, ip_address, request_id or uuid.uuid4().hex, channel)
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


def history_user(instance: Any = None, request: Any = None, **kwargs: Any) -> Any:
    """django-simple-history's `get_user` hook: the actor, else the request's user."""
    actor = current_actor()
    if actor is not None:
        return actor
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    return None


def client_ip(request: Any) -> str | None:
    """The client's address; behind a trusted proxy, the first X-Forwarded-For hop."""
    from django.conf import settings

    if getattr(settings, "LIAISON_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return str(forwarded.split(",")[0].strip())
    return request.META.get("REMOTE_ADDR") or None


class ActorMiddleware:
    """Makes the logged-in user, with the request's address, the actor of the request."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        user = getattr(request, "user", None)
        with acting_as(
            user if user is not None and user.is_authenticated else None,
            ip_address=client_ip(request),
            channel="web",
        ):
            return self.get_response(request)
