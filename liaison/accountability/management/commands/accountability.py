"""`liaison accountability --workspace SLUG [--country ML] [--format json|csv]`: where
the trainees and trained units of a workspace are now, and the incidents implicating
them, as CSV or JSON on standard output (one row per subject and incident)."""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from liaison.accountability.queries import COLUMNS, as_rows, where_are_they_now
from liaison.accountability.views import filters_from
from liaison.core.choices import Role
from liaison.core.context import acting_as
from liaison.core.management.base import active_user, find_workspace
from liaison.core.models import Membership


class Command(BaseCommand):
    help = "Where are the trainees and trained units of a workspace now (CSV or JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workspace", required=True, help="Slug of the workspace.")
        parser.add_argument("--country", default="", help="ISO code of a country (ML).")
        parser.add_argument("--course", default="", help="Id of a course.")
        parser.add_argument("--programme", default="", help="Id of an activity or programme.")
        parser.add_argument("--start", default="", help="Trained from (YYYY-MM-DD).")
        parser.add_argument("--end", default="", help="Trained until (YYYY-MM-DD).")
        parser.add_argument("--kind", default="", help="Kind of incident (coup, torture...).")
        parser.add_argument("--format", choices=("json", "csv"), default="json")
        parser.add_argument(
            "--user",
            help="Read as this member (default: the workspace's first administrator, "
            "manager, editor or viewer): what they may not see is left out.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = find_workspace(options["workspace"])
        user = self._reader(workspace, options.get("user"))
        filters, errors = filters_from({k: str(v or "") for k, v in options.items()})
        if errors:
            raise CommandError(" ".join(errors))
        with acting_as(user):
            rows = as_rows(where_are_they_now(user, workspace, filters))
        if options["format"] == "csv":
            writer = csv.DictWriter(self.stdout, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        else:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1, default=str))

    def _reader(self, workspace: Any, name: str | None) -> Any:
        if name:
            return active_user(name)
        order = [Role.ADMINISTRATOR, Role.MANAGER, Role.EDITOR, Role.VIEWER]
        members = Membership.objects.filter(
            workspace=workspace, role__in=order, user__is_active=True
        ).select_related("user")
        for role in order:
            for membership in members:
                if membership.role == role:
                    return membership.user
        raise CommandError(
            _("No active member of %(workspace)s to read as: give --user.")
            % {"workspace": workspace.slug}
        )
