"""`liaison token create USERNAME`: prints a new API token for the user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from liaison.core.management.base import LiaisonCommand


class Command(LiaisonCommand):
    help = "Create API tokens (Authorization: Token ...)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser(
            "create", help="Print a new token for the user; it replaces the previous one."
        )
        create.add_argument("username")

    def handle_create(self, username: str, **options: Any) -> None:
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None or not user.is_active:
            raise CommandError(_("No active user named %(name)s.") % {"name": username})
        with transaction.atomic():
            Token.objects.filter(user=user).delete()
            token = Token.objects.create(user=user)
        self.stdout.write(token.key)
