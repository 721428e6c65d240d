"""`liaison export iati`: the activities a user may see as an IATI 2.03 iati-activities
document, checked against the schema before it is written (registered in apps.py)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from liaison.activities import iati
from liaison.core.models import Workspace
from liaison.core.orgids import validate_org_ref

HELP = "Activities as an IATI 2.03 iati-activities XML document."


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--reporting-org",
        help="The reporting organisation's IATI identifier (default: one "
        "derived from each activity's owner workspace).",
    )


def export_iati(command: Any, user: Any, workspace: Workspace | None, options: Any) -> None:
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
        command.stderr.write(str(omission))
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
    command.write_out(document, options["out"])
    command.stderr.write(
        _("%(count)s activities written to %(path)s; %(omitted)s left out (listed above).")
        % {"count": len(root), "path": options["out"] or "-", "omitted": len(result.omissions)}
    )
