"""The one place that decides who sees what.

Every view, admin page, search, export, count and API answer starts from
`Model.objects.visible_to(user)`. It is database-neutral (plain joins and EXISTS
subqueries, no ArrayField) so that SQLite and PostgreSQL behave the same.
"""

from __future__ import annotations

import operator
from functools import reduce
from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Exists, OuterRef, Q

from liaison.core.choices import Release, Role
from liaison.core.withholding import ReaderQuerySet

VETTING_ROLES = frozenset({Role.VETTING_OFFICER})

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def member_workspace_ids(
    user: AbstractBaseUser | AnonymousUser | None, roles: frozenset[str] | None = None
) -> models.QuerySet[Any]:
    """A subquery of the ids of the workspaces the user belongs to (with one of `roles`)."""
    from liaison.core.models import Membership

    user_id = getattr(user, "pk", None)
    if user_id is None:
        return Membership.objects.none().values("workspace_id")
    memberships = Membership.objects.filter(user_id=user_id)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return memberships.values("workspace_id")


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and getattr(user, "is_active", False))


class OwnedQuerySet(ReaderQuerySet):
    """Records that carry their own owner, marking and release.

    A record is visible to the members of its owner workspace, to the members of the
    workspaces it is released to by name, and, when open, to every member of any
    workspace. Vetting files (models with `vetting_file = True`) count only the
    memberships that hold the vetting officer role. There is no bypass, not even for
    superusers: they see what their memberships let them see.
    """

    def visible_to(self, user: AbstractBaseUser | AnonymousUser | None) -> Self:
        vetting_file = getattr(self.model, "vetting_file", False)
        return self.released_to_user(user, VETTING_ROLES if vetting_file else None)

    def released_to_user(
        self, user: AbstractBaseUser | AnonymousUser | None, roles: frozenset[str] | None
    ) -> Self:
        """Records released to the user's workspaces (counting only those where they hold
        one of `roles`, when given)."""
        if not _active(user):
            return self.none()
        workspaces = member_workspace_ids(user, roles)
        released = self.model.released_to.through
        m2m: Any = self.model._meta.get_field("released_to")
        named_to_mine = released.objects.filter(
            **{
                m2m.m2m_field_name(): OuterRef("pk"),
                f"{m2m.m2m_reverse_field_name()}__in": workspaces,
            }
        )
        conditions = [Q(owner__in=workspaces), Q(Q(release=Release.NAMED), Exists(named_to_mine))]
        if roles is None or member_workspace_ids(user, roles).exists():
            conditions.append(Q(release=Release.OPEN))
        return self.filter(reduce(operator.or_, conditions)).read_for(user)

    def owned_by(self, workspace: Any) -> Self:
        return self.filter(owner=workspace)


class ChildQuerySet(ReaderQuerySet):
    """Records that follow their parent's release (budget lines, participants...)."""

    def visible_to(self, user: AbstractBaseUser | AnonymousUser | None) -> Self:
        parent_field: str = self.model.parent_field
        parent_model = self.model._meta.get_field(parent_field).related_model
        return self.filter(
            **{f"{parent_field}__in": parent_model.objects.visible_to(user).values("pk")}
        ).read_for(user)


def visible(model: type[models.Model], user: Any) -> models.QuerySet[Any]:
    """`model.objects.visible_to(user)` for code that holds a model class, not a manager."""
    manager: Any = model._default_manager
    return manager.visible_to(user)


class CitationQuerySet(ReaderQuerySet):
    """Citations follow both their source and the record they support."""

    settled_links = ("source",)

    def visible_to(self, user: AbstractBaseUser | AnonymousUser | None) -> Self:
        from django.contrib.contenttypes.models import ContentType

        from liaison.core.models import Source
        from liaison.core.registry import child_models, record_models

        if not _active(user):
            return self.none()
        targets = [
            Q(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=visible(model, user).values("pk"),
            )
            for model in [*record_models(), *child_models()]
        ]
        return (
            self.filter(source__in=Source.objects.visible_to(user).values("pk"))
            .filter(reduce(operator.or_, targets))
            .read_for(user)
        )

    def for_record(self, record: models.Model, user: Any) -> Self:
        """The citations of one record the caller has already been allowed to see."""
        from django.contrib.contenttypes.models import ContentType

        from liaison.core.models import Source

        return self.filter(
            content_type=ContentType.objects.get_for_model(type(record)),
            object_id=record.pk,
            source__in=Source.objects.visible_to(user).values("pk"),
        ).read_for(user)
