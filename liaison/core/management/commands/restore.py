"""`liaison restore FILE`: rebuild a backup into an empty database (see core.backup)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _

from liaison.core.backup import BackupError, preflight, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty database (migrated first if needed), "
        "keeping primary keys; refuses a database that holds records."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The archive written by `liaison backup`.")

    def handle(self, *args: Any, **options: Any) -> None:
        """Every refusal is one line (a CommandError), and leaves the database as it was:
        the archive is checked before a new database is migrated, and restored in one
        transaction."""
        verbose = options["verbosity"] > 1
        try:
            preflight(options["file"])
            if "django_migrations" not in connection.introspection.table_names():
                call_command("migrate", verbosity=0, interactive=False)
            report = restore_backup(options["file"], self.stderr.write if verbose else _quiet)
        except (OSError, BackupError, DatabaseError) as error:
            raise CommandError(" ".join(str(error).split())) from error
        self.stderr.write(
            _(
                "Restored %(tables)s tables, %(rows)s rows and %(files)s files; counts and "
                "checksums match the backup."
            )
            % {"tables": report.tables, "rows": report.rows, "files": report.files}
        )
        self.stdout.write(report.checksum)


def _quiet(message: str) -> None:
    return None
