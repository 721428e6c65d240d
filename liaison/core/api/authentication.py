"""Session authentication that honours the two-factor rule of the web pages.

The API is reachable by a user who still owes a second factor (the middleware leaves
/api/ to the API's own authentication, since tokens are a separate credential); a
session that has not passed the second factor must not open it either.
"""

from __future__ import annotations

from typing import Any

from rest_framework import authentication
from rest_framework.request import Request

from liaison.core.twofactor import requires_two_factor


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        verified = getattr(user, "is_verified", None)
        if requires_two_factor(user) and not (callable(verified) and verified()):
            return None
        return result
