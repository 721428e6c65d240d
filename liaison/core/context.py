"""Who is acting: set once per request, command, import or task.

Every record's created_by / updated_by and every history row read the actor from
here, so that nothing escapes the history whatever the channel.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

_actor: contextvars.ContextVar[AbstractBaseUser | None] = contextvars.ContextVar(
    "liaison_actor", default=None
)


def current_actor() -> AbstractBaseUser | None:
    user = _actor.get()
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


@contextmanager
def acting_as(user: AbstractBaseUser | None) -> Iterator[None]:
    token = _actor.set(user)
    try:
        yield
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


class ActorMiddleware:
    """Makes the logged-in user the actor for the duration of the request."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        user = getattr(request, "user", None)
        with acting_as(user if user is not None and user.is_authenticated else None):
            return self.get_response(request)
