"""The example workspace of `liaison demo`: the synthetic world (liaison.demo.synth) at
small scale, in one workspace clearly named as fictitious, so that the pages that need
many dated records (timeline, calendar, analysis, training, vetting, map, PDF report)
show figures. The two sample documents' world is left as it is: every example record is
private to the example workspace, whose members are its own users and the demo admin.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from liaison.activities.models import Activity
from liaison.core.choices import Release, Role
from liaison.core.context import acting_as
from liaison.core.models import Membership, Workspace
from liaison.demo.synth import Mission, synthesize
from liaison.demo.users import ADMIN_USERNAME, demo_password

EXAMPLE_SLUG = "exemple"
# Both languages in the one name a workspace has, so that nobody takes it for real data.
EXAMPLE_NAME = "Exemple — données fictives / Example — fictitious data"
EXAMPLE_DESCRIPTION = (
    "Données synthétiques générées par `liaison synth` : aucune personne, unité ni action "
    "n'est réelle. / Synthetic data made by `liaison synth`: no person, unit or action is real."
)
EXAMPLE_SEED = 24
EXAMPLE_ROLES = {
    "viewer": Role.VIEWER,
    "editor": Role.EDITOR,
    "manager": Role.MANAGER,
    "vetting": Role.VETTING_OFFICER,
    "admin": Role.ADMINISTRATOR,
}


@dataclass(frozen=True)
class ExampleResult:
    created: bool
    rows: int
    seconds: float


def example_users() -> dict[str, AbstractUser]:
    """The example's own users (`exemple-viewer` ... `exemple-admin`), with the demo
    password; by role."""
    user_model = get_user_model()
    password = demo_password()
    users: dict[str, AbstractUser] = {}
    for name, role in EXAMPLE_ROLES.items():
        user, created = user_model._default_manager.get_or_create(
            username=f"{EXAMPLE_SLUG}-{name}",
            defaults={"is_staff": role in (Role.MANAGER, Role.ADMINISTRATOR)},
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save()
        users[role] = user
    return users


def load_example(log: Callable[[str], None] = lambda line: None) -> ExampleResult:
    """Create the example workspace once; a later call finds it filled and changes
    nothing. All or nothing: one transaction."""
    started = time.monotonic()
    existing = Workspace.objects.filter(slug=EXAMPLE_SLUG).first()
    if existing and Activity.objects.filter(owner=existing).exists():
        return ExampleResult(False, 0, time.monotonic() - started)
    with transaction.atomic():
        members = {role: user.pk for role, user in example_users().items()}
        admin = get_user_model()._default_manager.filter(username=ADMIN_USERNAME).first()
        with acting_as(admin, channel="command"):
            counts = synthesize(
                "small",
                EXAMPLE_SEED,
                log,
                missions=[Mission(EXAMPLE_NAME, EXAMPLE_SLUG, "FR", "ML")],
                members=members,
                release=Release.PRIVATE,
            )
            workspace = Workspace.objects.get(slug=EXAMPLE_SLUG)
            if workspace.description != EXAMPLE_DESCRIPTION:
                workspace.description = EXAMPLE_DESCRIPTION
                workspace.save(update_fields=["description"])
            if admin is not None:
                Membership.objects.get_or_create(
                    user=admin, workspace=workspace, defaults={"role": Role.ADMINISTRATOR}
                )
    return ExampleResult(True, counts.total, time.monotonic() - started)
