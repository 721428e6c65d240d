"""The one place that decides who sees what.

Every view, admin page, search, export, count and API answer starts from
`Model.objects.visible_to(user)`. It is database-neutral (plain joins and EXISTS
subqueries, no ArrayField) so that SQLite and PostgreSQL behave the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Exists, OuterRef, Q

from liaison.core.choices import Release

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def _is_installation_superuser(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) and getattr(user, "is_active", False))


def member_workspace_ids(user: AbstractBaseUser | AnonymousUser | None) -> models.QuerySet[Any]:
    """A subquery of the ids of the workspaces the user belongs to."""
    from liaison.core.models import Membership

    user_id = getattr(user, "pk", None)
    if user_id is None:
        return Membership.objects.none().values("workspace_id")
    return Membership.objects.filter(user_id=user_id).values("workspace_id")


class OwnedQuerySet(models.QuerySet[Any]):
    """Records that carry their own owner, marking and release."""

    def visible_to(self, user: AbstractBaseUser | AnonymousUser | None) -> Self:
        if user is None or not user.is_authenticated:
            return self.none()
        if _is_installation_superuser(user):
            return self
        workspaces = member_workspace_ids(user)
        released = self.model.released_to.through
        m2m = self.model._meta.get_field("released_to")
        named_to_mine = released.objects.filter(
            **{
                m2m.m2m_field_name(): OuterRef("pk"),
                f"{m2m.m2m_reverse_field_name()}__in": workspaces,
            }
        )
        return self.filter(
            Q(release=Release.OPEN)
            | Q(owner__in=workspaces)
            | (Q(release=Release.NAMED) & Exists(named_to_mine))
        )

    def owned_by(self, workspace: Any) -> Self:
        return self.filter(owner=workspace)


class ChildQuerySet(models.QuerySet[Any]):
    """Records that follow their parent's release (budget lines, participants...)."""

    def visible_to(self, user: AbstractBaseUser | AnonymousUser | None) -> Self:
        parent_field: str = self.model.parent_field
        parent_model = self.model._meta.get_field(parent_field).related_model
        return self.filter(
            **{f"{parent_field}__in": parent_model.objects.visible_to(user).values("pk")}
        )


def visible(model: type[models.Model], user: Any) -> models.QuerySet[Any]:
    """`model.objects.visible_to(user)` for code that holds a model class, not a manager."""
    manager: Any = model._default_manager
    return manager.visible_to(user)
