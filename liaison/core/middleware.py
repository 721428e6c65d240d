"""Request middleware: the two-factor gate and the current workspace."""

from __future__ import annotations

from typing import Any

from django.shortcuts import redirect
from django.urls import reverse

from liaison.core.twofactor import requires_two_factor

# Paths a user who still owes a second factor may reach.
_OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz", "/api/")


class TwoFactorRequiredMiddleware:
    """Sends users who must use two-factor authentication to verify or enrol first.

    The API is left to its own authentication (tokens are a separate credential).
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and not user.is_verified()
            and requires_two_factor(user)
        ):
            return redirect(f"{reverse('two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)


SESSION_WORKSPACE = "liaison_workspace"


class CurrentWorkspaceMiddleware:
    """`request.workspace`: the workspace the user works in now (chosen with the switcher).

    What the user may see is decided by all their memberships (core.querysets); the
    current workspace is where new records go and what the home page is about.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        request.workspace = None
        request.workspace_role = None
        if request.user.is_authenticated:
            from liaison.core.models import Membership

            memberships = list(
                Membership.objects.filter(user=request.user)
                .select_related("workspace")
                .order_by("workspace__name")
            )
            chosen = request.session.get(SESSION_WORKSPACE)
            current = next((m for m in memberships if m.workspace_id == chosen), None)
            current = current or (memberships[0] if memberships else None)
            request.memberships = memberships
            if current is not None:
                request.workspace = current.workspace
                request.workspace_role = current.role
        return self.get_response(request)


class UserLanguageMiddleware:
    """Activates the language the user chose last (core.Preference), on any device."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        from django.utils import translation

        from liaison.core.models import Preference

        if request.user.is_authenticated:
            language = (
                Preference.objects.filter(user=request.user)
                .values_list("language", flat=True)
                .first()
            )
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
