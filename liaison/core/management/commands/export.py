"""`liaison export NAME --user NAME [--workspace SLUG] [--out FILE]`: what the user may
see, in the field's standards. The actions are the exporters the apps register
(core.registry, store `exporters`): `iati` (activities: IATI 2.03 activity XML) and
`ftm` (partners: FollowTheMoney JSON lines)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liaison.core.management.base import active_user, find_workspace
from liaison.core.registry import Exporter, registry

__all__ = ["Command", "active_user"]


def exporters() -> dict[str, Exporter]:
    return dict(sorted(registry["exporters"].items()))


class Command(BaseCommand):
    help = "Export what a user may see as IATI 2.03 XML (activities) or FtM JSON lines."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name, exporter in exporters().items():
            sub = actions.add_parser(name, help=exporter.help)
            sub.add_argument("--user", required=True, help="Export what this user may see.")
            sub.add_argument("--workspace", help="Only the records this workspace owns.")
            sub.add_argument("--out", help="The file to write (standard output by default).")
            if exporter.add_arguments is not None:
                exporter.add_arguments(sub)

    def write_out(self, data: bytes, out: str | None) -> None:
        """`data` into the file `out`, or on standard output when there is none."""
        if out:
            try:
                with open(out, "wb") as target:
                    target.write(data)
            except OSError as error:
                raise CommandError(str(error)) from error
        else:
            self.stdout.write(data.decode(), ending="")

    def handle(self, *args: Any, **options: Any) -> None:
        exporter = exporters()[options.pop("action")]
        user = active_user(options["user"])
        workspace = find_workspace(options["workspace"]) if options["workspace"] else None
        exporter.handle(self, user, workspace, options)
