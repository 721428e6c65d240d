"""Write permissions from `core.access`; reads are decided by the queryset (`visible`)."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from liaison.core import access


class RecordPermission(permissions.IsAuthenticated):
    """Authenticated callers; changing or deleting needs `access.can` on the record.

    Creation is checked once the owner workspace is known (RecordViewSet.perform_create).
    Objects reach `has_object_permission` only once found in the visible queryset, so a
    refusal here (403) never concerns a record the caller may not see.
    """

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        action = access.DELETE if request.method == "DELETE" else access.CHANGE
        return access.can(request.user, action, obj)
