"""`liaison report --workspace NAME --year YYYY --lang fr|en --out FILE.pdf [--user NAME]`.

The yearly activity report of a workspace as a PDF. Without --user it shows what every
member of the workspace may see (a viewer of that workspace and of no other); with
--user, what that user may see (the user must belong to the workspace).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from liaison.core.management.base import find_workspace
from liaison.core.models import Membership


class Command(BaseCommand):
    help = "Write a workspace's yearly activity report as a PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workspace", required=True, help="Workspace slug or name.")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--lang", required=True, choices=["fr", "en"])
        parser.add_argument("--out", required=True, help="The PDF file to write.")
        parser.add_argument(
            "--user",
            default="",
            help="Show what this user may see (default: what any member of the workspace may see).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from liaison.reports.pdf import render_report, workspace_view

        workspace = find_workspace(options["workspace"])
        year = options["year"]
        if not 1900 <= year <= 2200:
            raise CommandError(_("Give a year between 1900 and 2200."))
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(_("No folder %(path)s to write to.") % {"path": out.parent})
        started = time.perf_counter()
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if (
                user is None
                or not Membership.objects.filter(user=user, workspace=workspace).exists()
            ):
                raise CommandError(
                    _("No user %(user)s in the workspace %(workspace)s.")
                    % {"user": options["user"], "workspace": workspace.slug}
                )
            pdf = render_report(user, workspace, year, options["lang"])
        else:
            with workspace_view(workspace) as reader:
                pdf = render_report(reader, workspace, year, options["lang"])
        out.write_bytes(pdf)
        self.stdout.write(
            _("Wrote %(path)s (%(size)s bytes) in %(seconds).1f s.")
            % {"path": out, "size": len(pdf), "seconds": time.perf_counter() - started}
        )
