"""`liaison import KIND FILE [--dry-run] [--workspace SLUG] [--user NAME]`.

Prints the row report (created, updated, unchanged or refused, with the reasons); exits
with status 1 if any row is refused (then nothing is imported), 0 otherwise.
"""

from __future__ import annotations

import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from liaison.core import access
from liaison.core.imports.engine import run_import
from liaison.core.imports.reading import FileError, file_format
from liaison.core.imports.spec import get_kind, kinds
from liaison.core.management.base import find_workspace
from liaison.core.models import Workspace


class Command(BaseCommand):
    help = "Import records from a CSV or XLSX file (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="organisations, persons, positions, activities, ...")
        parser.add_argument("file", help="a .csv or .xlsx file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen; write nothing."
        )
        parser.add_argument("--workspace", help="Slug of the workspace that will own the records.")
        parser.add_argument("--user", help="The user who imports (their rights apply).")
        parser.add_argument("--country", help="For a whole report (fmtr): only this country.")

    def handle(self, *args: Any, **options: Any) -> None:
        # A whole report, not rows of a spreadsheet, is read by its app's own command
        # `import_<kind>` (`liaison import fmtr FILE`: accountability's import_fmtr).
        if get_kind(options["kind"]) is None and f"import_{options['kind']}" in get_commands():
            names = ("workspace", "user", "country")
            call_command(
                f"import_{options['kind']}",
                options["file"],
                *(f"--{n}={options[n]}" for n in names if options.get(n)),
                *(["--dry-run"] if options["dry_run"] else []),
                stdout=self.stdout,
                stderr=self.stderr,
            )
            return
        kind = get_kind(options["kind"])
        if kind is None:
            raise CommandError(
                _("Unknown kind %(kind)s; one of: %(kinds)s.")
                % {"kind": options["kind"], "kinds": ", ".join(k.slug for k in kinds())}
            )
        try:
            fmt = file_format(options["file"])
        except FileError as error:
            raise CommandError(str(error)) from None
        user = self._user(options.get("user"))
        workspace = self._workspace(options.get("workspace"), user, kind.model_class)
        report = run_import(
            kind,
            options["file"],
            fmt,
            user=user,
            workspace=workspace,
            commit=not options["dry_run"],
            channel="command",
        )
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            sys.exit(1)

    def _user(self, name: str | None) -> Any:
        if not name:
            raise CommandError(_("Give the user who imports with --user NAME."))
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise CommandError(_("No active user named %(name)s.") % {"name": name})
        return user

    def _workspace(self, slug: str | None, user: Any, model: Any) -> Workspace | None:
        if slug:
            return find_workspace(slug)
        writable = access.writable_workspace_ids(user, model)
        if len(writable) == 1:
            return Workspace.objects.get(pk=next(iter(writable)))
        return None
