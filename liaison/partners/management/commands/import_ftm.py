"""`liaison import_ftm FILE --user NAME --workspace SLUG`: FollowTheMoney JSON lines
(as `liaison export ftm` writes them) back into organisations, persons, positions and
assignments; all or nothing (see partners.ftm)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from liaison.core.context import acting_as
from liaison.core.management.base import active_user, find_workspace
from liaison.partners.ftm import Importer, ImportRefused


class Command(BaseCommand):
    help = (
        "Import FollowTheMoney entities (Organization, PublicBody, Person, Position, "
        "Occupancy, Membership), one JSON object a line: an entity already imported or "
        "exported updates its record, any other creates one in the workspace."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="FtM JSON lines.")
        parser.add_argument("--user", required=True, help="Who imports (an editor).")
        parser.add_argument("--workspace", required=True, help="Owner of the new records.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = active_user(options["user"])
        workspace = find_workspace(options["workspace"])
        try:
            with open(options["file"], encoding="utf-8") as source:
                lines = source.read().splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from error
        try:
            with acting_as(user, channel="command"):
                report = Importer(user, workspace).run(lines)
        except PermissionError as error:
            raise CommandError(str(error)) from error
        except ImportRefused as refused:
            for refusal in refused.report.refused:
                self.stderr.write(str(refusal))
            raise CommandError(
                _("%(count)s entities refused: nothing was imported.")
                % {"count": len(refused.report.refused)}
            ) from refused
        self.stdout.write(
            _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged}
        )
