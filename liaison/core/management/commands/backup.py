"""`liaison backup FILE`: everything into one archive; `--checksum FILE` prints an
archive's content checksum (see core.backup)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from liaison.core.backup import BackupError, archive_checksum, write_backup


class Command(BaseCommand):
    help = (
        "Write every table (records, history, citations, audit chain, workspaces, users) "
        "and the files they name into one zip archive; with --checksum, print the content "
        "checksum of an existing archive instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The archive to write (or to read with --checksum).")
        parser.add_argument(
            "--checksum",
            action="store_true",
            help="Print the archive's content checksum: the same for the same content, "
            "whichever database it came from.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        if options["checksum"]:
            try:
                checksum, _manifest = archive_checksum(path)
            except (OSError, BackupError, ValueError) as error:
                raise CommandError(str(error)) from error
            self.stdout.write(checksum)
            return
        verbose = options["verbosity"] > 1
        try:
            with open(path, "wb") as target:
                manifest = write_backup(target, self.stderr.write if verbose else _quiet)
        except OSError as error:
            raise CommandError(str(error)) from error
        rows = sum(t["rows"] for t in manifest["tables"])
        self.stderr.write(
            _("%(tables)s tables, %(rows)s rows, %(files)s files written to %(path)s.")
            % {
                "tables": len(manifest["tables"]),
                "rows": rows,
                "files": len(manifest["files"]),
                "path": path,
            }
        )
        for name in manifest["missing_files"]:
            self.stderr.write(_("Missing file, not in the archive: %(name)s") % {"name": name})
        self.stdout.write(manifest["checksum"])


def _quiet(message: str) -> None:
    return None
