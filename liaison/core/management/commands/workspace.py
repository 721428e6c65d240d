"""`liaison workspace create NAME` and `liaison workspace list`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from liaison.core.context import acting_as
from liaison.core.management.base import LiaisonCommand
from liaison.core.models import Workspace


class Command(LiaisonCommand):
    help = "Create and list workspaces (one mission's office each)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a workspace.")
        create.add_argument("name")
        create.add_argument("--slug", default="")
        create.add_argument("--description", default="")
        actions.add_parser("list", help="List the workspaces.")

    def handle_create(self, name: str, slug: str, description: str, **options: Any) -> None:
        slug = slug or slugify(name)[:60]
        if not slug:
            raise CommandError(_("Give the workspace a name with letters or digits."))
        if (
            Workspace.objects.filter(name=name).exists()
            or Workspace.objects.filter(slug=slug).exists()
        ):
            raise CommandError(_("A workspace named %(name)s already exists.") % {"name": name})
        with transaction.atomic(), acting_as(None, channel="command"):
            workspace = Workspace.objects.create(name=name, slug=slug, description=description)
        self.stdout.write(
            _("Created workspace %(name)s (%(slug)s).") % {"name": workspace.name, "slug": slug}
        )

    def handle_list(self, **options: Any) -> None:
        for workspace in Workspace.objects.order_by("name"):
            self.stdout.write(f"{workspace.slug}\t{workspace.name}")
