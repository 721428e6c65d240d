"""`liaison export iati|ftm --user NAME [--workspace SLUG] [--out FILE]`: what the user
may see, in the field's standards (IATI 2.03 activity XML, FollowTheMoney JSON lines)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from liaison.core.management.base import LiaisonCommand, find_workspace


def active_user(username: str) -> Any:
    user = get_user_model()._default_manager.filter(username=username).first()
    if user is None or not user.is_active:
        raise CommandError(_("No active user named %(name)s.") % {"name": username})
    return user


class Command(LiaisonCommand):
    help = "Export what a user may see as IATI 2.03 XML (activities) or FtM JSON lines."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("iati", "Activities as an IATI 2.03 iati-activities XML document."),
            (
                "ftm",
                "Organisations, persons, positions and assignments as FollowTheMoney "
                "entities, one JSON object a line (read back with `liaison import_ftm`).",
            ),
        ):
            sub = actions.add_parser(name, help=text)
            sub.add_argument("--user", required=True, help="Export what this user may see.")
            sub.add_argument("--workspace", help="Only the records this workspace owns.")
            sub.add_argument("--out", help="The file to write (standard output by default).")
            if name == "iati":
                sub.add_argument(
                    "--reporting-org",
                    help="The reporting organisation's IATI identifier (default: one "
                    "derived from each activity's owner workspace).",
                )

    def _write(self, data: bytes, out: str | None) -> None:
        if out:
            try:
                with open(out, "wb") as target:
                    target.write(data)
            except OSError as error:
                raise CommandError(str(error)) from error
        else:
            self.stdout.write(data.decode(), ending="")

    def handle_iati(self, **options: Any) -> None:
        from liaison.activities import iati
        from liaison.core.orgids import validate_org_ref

        user = active_user(options["user"])
        workspace = find_workspace(options["workspace"]) if options["workspace"] else None
        reporting = None
        if options["reporting_org"]:
            try:
                validate_org_ref(options["reporting_org"])
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            name = workspace.name if workspace else options["reporting_org"]
            reporting = iati.ReportingOrg(options["reporting_org"], name)
        activities = iati.activities_for(user, workspace)
        result = iati.export(activities, user, reporting)
        root = result.root
        for omission in result.omissions:
            self.stderr.write(str(omission))
        if len(root) == 0:
            # IATI has no empty document: an iati-activities holds one activity or more.
            raise CommandError(
                _("%(user)s sees no activity to export: nothing was written.") % {"user": user}
            )
        document = iati.to_bytes(root)
        errors = iati.validate(document)
        if errors:  # pragma: no cover - a bug of the writer, not of the data
            raise CommandError(
                _("The IATI document is not valid: %(errors)s") % {"errors": "; ".join(errors[:5])}
            )
        self._write(document, options["out"])
        self.stderr.write(
            _("%(count)s activities written to %(path)s; %(omitted)s left out (listed above).")
            % {
                "count": len(root),
                "path": options["out"] or "-",
                "omitted": len(result.omissions),
            }
        )

    def handle_ftm(self, **options: Any) -> None:
        from liaison.partners.ftm import export_lines

        user = active_user(options["user"])
        workspace = find_workspace(options["workspace"]) if options["workspace"] else None
        left_out: list[str] = []
        lines = list(export_lines(user, workspace, left_out))
        self._write("".join(line + "\n" for line in lines).encode(), options["out"])
        self.stderr.write(
            _(
                "%(count)s entities written to %(path)s; %(left_out)s left out, as they "
                "would lack a link you may not see."
            )
            % {"count": len(lines), "path": options["out"] or "-", "left_out": len(left_out)}
        )
