"""`liaison import fmtr FILE [--country NAME] [--workspace SLUG] [--dry-run]` (also
`liaison import_fmtr`): the US Foreign Military Training Report as training records
(see accountability.fmtr). Exits with status 1 when the file is refused (then nothing
is written); differences with the report's totals are reported, not refused."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from liaison.accountability.fmtr import FmtrError, import_file
from liaison.core.context import acting_as
from liaison.core.management.base import active_user, find_workspace
from liaison.core.models import Workspace


class Command(BaseCommand):
    help = "Import the US Foreign Military Training Report (refined XML) as trainings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="an FMTR refined XML file (region and fiscal year)")
        parser.add_argument("--country", default="", help="Only this country (its name).")
        parser.add_argument("--workspace", help="Slug of the workspace that will own them.")
        parser.add_argument("--user", help="The user who imports (default: none).")
        parser.add_argument("--dry-run", action="store_true", help="Report; write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = self._workspace(options.get("workspace"))
        user = active_user(options["user"]) if options.get("user") else None
        started = time.perf_counter()
        try:
            with acting_as(user):
                report = import_file(
                    options["file"],
                    workspace,
                    user=user,
                    country=options.get("country") or "",
                    commit=not options["dry_run"],
                )
        except FmtrError as error:
            raise CommandError(str(error)) from None
        for line in report.lines():
            self.stdout.write(line)
        seconds = time.perf_counter() - started
        self.stdout.write(
            _("%(rows)s rows in %(seconds).1f s.") % {"rows": len(report.rows), "seconds": seconds}
        )
        if not report.ok:
            sys.exit(1)

    def _workspace(self, slug: str | None) -> Workspace:
        if slug:
            return find_workspace(slug)
        workspaces = list(Workspace.objects.all()[:2])
        if len(workspaces) != 1:
            raise CommandError(_("Give the workspace with --workspace SLUG."))
        return workspaces[0]
