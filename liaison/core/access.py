"""Who may do what: the single permission check for changes, beside `visible_to` for reads.

A user's rights come from their memberships: a role in each workspace they belong to.
Reading follows the record's release (core.querysets); changing needs a writing role in
the workspace that owns the record (or owns its parent, for child records). Vetting
files are read and written by vetting officers only.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from liaison.core.choices import WRITING_ROLES, Role

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"


def roles_by_workspace(user: Any) -> dict[int, set[str]]:
    """{workspace id: roles}, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    cached: dict[int, set[str]] | None = getattr(user, "_liaison_roles", None)
    if cached is None:
        from liaison.core.models import Membership

        cached = {}
        for workspace_id, role in Membership.objects.filter(user=user).values_list(
            "workspace_id", "role"
        ):
            cached.setdefault(workspace_id, set()).add(role)
        user._liaison_roles = cached
    return cached


def workspaces_with_role(user: Any, roles: frozenset[str] | set[str]) -> set[int]:
    return {ws for ws, held in roles_by_workspace(user).items() if held & roles}


def has_role_anywhere(user: Any, roles: frozenset[str] | set[str]) -> bool:
    return bool(workspaces_with_role(user, roles))


def required_roles(model: type[models.Model], action: str) -> frozenset[str]:
    """The roles that allow `action` on records of `model` in their owner workspace."""
    if getattr(model, "vetting_file", False):
        return frozenset({Role.VETTING_OFFICER})
    if action == DELETE:
        return frozenset({Role.MANAGER, Role.ADMINISTRATOR})
    return WRITING_ROLES


def owner_workspace_id(obj: models.Model) -> int | None:
    """The workspace that owns a record, or owns the parent of a child record."""
    parent_field = getattr(obj, "parent_field", "")
    if parent_field:
        parent = getattr(obj, parent_field, None)
        return owner_workspace_id(parent) if parent is not None else None
    return getattr(obj, "owner_id", None)


def record_model(model: type[models.Model]) -> type[models.Model]:
    """The model whose owner decides: the parent's model for a child record."""
    parent_field = getattr(model, "parent_field", "")
    if parent_field:
        related = model._meta.get_field(parent_field).related_model
        assert isinstance(related, type)
        return record_model(related)
    return model


def can(user: Any, action: str, obj: models.Model) -> bool:
    """May `user` do `action` (view, change, delete) on this record?"""
    from liaison.core.querysets import visible

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    model = type(obj)
    if not visible(model, user).filter(pk=obj.pk).exists():
        return False
    if action == VIEW:
        return True
    workspace_id = owner_workspace_id(obj)
    roles = required_roles(record_model(model), action)
    return workspace_id in workspaces_with_role(user, roles)


def can_add(user: Any, model: type[models.Model], workspace_id: int | None = None) -> bool:
    """May `user` create records of `model` (in this workspace, or in any of theirs)?"""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    allowed = workspaces_with_role(user, required_roles(record_model(model), ADD))
    return bool(allowed) if workspace_id is None else workspace_id in allowed


def writable_workspace_ids(user: Any, model: type[models.Model]) -> set[int]:
    return workspaces_with_role(user, required_roles(record_model(model), CHANGE))
