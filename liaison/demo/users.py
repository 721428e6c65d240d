"""The demo's users and their memberships.

A superuser, `admin`, administrator of both demo workspaces, and one user of each role
in each workspace (`fr-viewer` ... `us-admin`), so that what each role sees can be tried
by hand. They all share the demo password. Managers, administrators and superusers must
enrol a TOTP device at their first login (two-factor authentication).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from liaison.core.choices import Role
from liaison.core.models import Membership, Workspace
from liaison.demo.data import MCD, OSC
from liaison.demo.upsert import upsert

ADMIN_USERNAME = "admin"
DEFAULT_PASSWORD = "liaison-demo"
PASSWORD_ENV = "LIAISON_DEMO_PASSWORD"


@dataclass(frozen=True, kw_only=True)
class DemoUser:
    username: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    superuser: bool = False
    # May open the Django admin (which still shows only what their roles allow).
    staff: bool = False
    # (workspace slug, role) pairs.
    memberships: tuple[tuple[str, str], ...] = ()


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        username=ADMIN_USERNAME,
        email="admin@example.org",
        first_name="Admin",
        last_name="Demo",
        superuser=True,
        memberships=((MCD, Role.ADMINISTRATOR), (OSC, Role.ADMINISTRATOR)),
    ),
    *(
        DemoUser(
            username=f"{prefix}-{role_name}",
            email=f"{prefix}-{role_name}@example.org",
            staff=role in (Role.MANAGER, Role.ADMINISTRATOR),
            memberships=((slug, role),),
        )
        for prefix, slug in (("fr", MCD), ("us", OSC))
        for role_name, role in (
            ("viewer", Role.VIEWER),
            ("editor", Role.EDITOR),
            ("manager", Role.MANAGER),
            ("vetting", Role.VETTING_OFFICER),
            ("admin", Role.ADMINISTRATOR),
        )
    ),
)


def demo_password() -> str:
    """The demo users' password: LIAISON_DEMO_PASSWORD, else a fixed, printed default."""
    return os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD


def ensure_demo_users() -> dict[str, AbstractUser]:
    """Create the demo users, or bring them back to their demo state; by username."""
    user_model = cast(type[AbstractUser], get_user_model())
    password = demo_password()
    users: dict[str, AbstractUser] = {}
    for spec in DEMO_USERS:
        user = user_model._default_manager.filter(username=spec.username).first()
        changed = user is None
        if user is None:
            user = user_model(username=spec.username)
        if changed or not user.check_password(password):
            user.set_password(password)
            changed = True
        wanted = {
            "email": spec.email,
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "is_active": True,
            "is_staff": spec.superuser or spec.staff,
            "is_superuser": spec.superuser,
        }
        for name, value in wanted.items():
            if getattr(user, name) != value:
                setattr(user, name, value)
                changed = True
        if changed:
            user.save()
        users[spec.username] = user
    return users


def ensure_demo_memberships(
    users: Mapping[str, AbstractUser], workspaces: Mapping[str, Workspace]
) -> None:
    """Give each demo user their role in each demo workspace."""
    for spec in DEMO_USERS:
        for slug, role in spec.memberships:
            upsert(
                Membership,
                {"user": users[spec.username], "workspace": workspaces[slug]},
                {"role": role},
            )
