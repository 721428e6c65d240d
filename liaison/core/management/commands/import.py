"""`liaison import KIND FILE [--dry-run] [--workspace SLUG] [--user NAME] [--no-wait]`.

Says first whether the import runs here (inline) or goes to a worker (LIAISON_BROKER_URL
set), as the web does; queued, it follows the job's progress (`--no-wait`: it says where
to follow it and returns). Prints the row report (created, updated, unchanged or
refused, with the reasons); exits with status 1 if any row is refused or the job failed
(then nothing is imported), 0 otherwise.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils.translation import gettext as _

from liaison.core import access
from liaison.core.imports import jobs
from liaison.core.imports.engine import Report, run_import
from liaison.core.imports.reading import FileError, file_format
from liaison.core.imports.spec import ImportKind, get_kind, kinds
from liaison.core.management.base import find_workspace
from liaison.core.models import TaskRun, Workspace
from liaison.core.tasks import queued, start


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
        parser.add_argument(
            "--no-wait",
            action="store_true",
            help="With workers: queue the import and return without following it.",
        )
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
        commit = not options["dry_run"]
        if queued():
            report = self._queue(kind, options["file"], user, workspace, commit, options)
            if report is None:
                return
        else:
            self.stdout.write(_("Runs here (no worker is configured)."))
            report = run_import(
                kind,
                options["file"],
                fmt,
                user=user,
                workspace=workspace,
                commit=commit,
                channel="command",
            )
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            sys.exit(1)

    def _queue(
        self,
        kind: ImportKind,
        path: str,
        user: Any,
        workspace: Workspace | None,
        commit: bool,
        options: dict[str, Any],
    ) -> Report | None:
        """Hand the file to a worker, as the web does; its report once it ends (None
        with --no-wait)."""
        try:
            with Path(path).open("rb") as handle:
                token = jobs.save_upload(
                    File(handle, name=Path(path).name), kind.slug, user, workspace
                )
        except OSError as error:
            raise CommandError(str(error)) from None
        meta = jobs.load(token, user) or {}
        label = _("Import of %(name)s") if commit else _("Checking %(name)s")
        run = start(
            jobs.import_file,
            kind="import",
            user=user,
            workspace=workspace,
            label=label % {"name": Path(path).name},
            total=meta.get("rows") or None,
            token=token,
            commit=commit,
            channel="command",
        )
        self.stdout.write(
            _("Queued for a worker as task %(id)s (%(url)s).")
            % {"id": run.pk, "url": reverse("task_run", args=[run.pk])}
        )
        if options["no_wait"]:
            return None
        shown = None
        while not run.finished:
            time.sleep(0.5)
            run.refresh_from_db()
            now = (run.get_status_display(), run.percent)
            if now != shown and not run.finished:
                shown = now
                self.stderr.write(
                    _("%(status)s: %(done)s of %(total)s rows")
                    % {"status": now[0], "done": run.done, "total": run.total or "?"}
                )
        if run.status == TaskRun.Status.FAILED:
            raise CommandError(_("The import failed: %(reason)s") % {"reason": run.shown_message})
        report = (jobs.load(token, user) or {}).get("report")
        if report is None:
            raise CommandError(_("The import wrote no report."))
        return Report.from_dict(report)

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
