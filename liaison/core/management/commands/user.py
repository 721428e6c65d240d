"""`liaison user create USERNAME --workspace NAME --role ROLE [--password-stdin]`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from liaison.core.choices import Role
from liaison.core.context import acting_as
from liaison.core.management.base import (
    LiaisonCommand,
    find_workspace,
    read_password_from_stdin,
)
from liaison.core.models import Membership


class Command(LiaisonCommand):
    help = "Create users and give them a role in a workspace."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a user with a role in a workspace.")
        create.add_argument("username")
        create.add_argument("--workspace", required=True)
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--email", default="")
        create.add_argument(
            "--password-stdin", action="store_true", help="Read the password from stdin."
        )
        grant = actions.add_parser("grant", help="Give an existing user a role in a workspace.")
        grant.add_argument("username")
        grant.add_argument("--workspace", required=True)
        grant.add_argument("--role", required=True, choices=Role.values)

    def handle_create(
        self,
        username: str,
        workspace: str,
        role: str,
        email: str,
        password_stdin: bool,
        **options: Any,
    ) -> None:
        user_model = get_user_model()
        if user_model._default_manager.filter(username=username).exists():
            raise CommandError(_("A user named %(name)s already exists.") % {"name": username})
        target = find_workspace(workspace)
        password = read_password_from_stdin() if password_stdin else None
        user = user_model(username=username, email=email)
        if password is not None:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            user.set_password(password)
        else:
            user.set_unusable_password()
        with transaction.atomic(), acting_as(None, channel="command"):
            user.save()
            Membership.objects.create(user=user, workspace=target, role=role)
        self.stdout.write(
            _("Created user %(user)s, %(role)s in %(workspace)s.")
            % {"user": username, "role": Role(role).label, "workspace": target.name}
        )
        if password is None:
            self.stdout.write(_("The user has no password yet: use --password-stdin."))

    def handle_grant(self, username: str, workspace: str, role: str, **options: Any) -> None:
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user named %(name)s.") % {"name": username})
        target = find_workspace(workspace)
        with transaction.atomic(), acting_as(None, channel="command"):
            Membership.objects.update_or_create(
                user=user, workspace=target, defaults={"role": role}
            )
        self.stdout.write(
            _("%(user)s is %(role)s in %(workspace)s.")
            % {"user": username, "role": Role(role).label, "workspace": target.name}
        )
