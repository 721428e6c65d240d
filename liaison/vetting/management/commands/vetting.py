"""`liaison vetting expire` and `liaison vetting reminders`."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from liaison.core.context import acting_as
from liaison.core.management.base import LiaisonCommand
from liaison.vetting import services


def _date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


class Command(LiaisonCommand):
    help = "Human-rights vetting: expire lapsed approvals, list those to renew."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        expire = actions.add_parser(
            "expire", help="Mark approvals past their valid-until date expired."
        )
        expire.add_argument("--today", type=_date, default=None, help="YYYY-MM-DD")
        reminders = actions.add_parser(
            "reminders",
            help="List approvals that end before a planned session or activity needs them.",
        )
        reminders.add_argument("--today", type=_date, default=None, help="YYYY-MM-DD")

    def handle_expire(self, today: datetime.date | None, **options: Any) -> None:
        with acting_as(None, channel="command"):
            count = services.expire(today)
        self.stdout.write(_("%(count)d approval(s) marked expired.") % {"count": count})

    def handle_reminders(self, today: datetime.date | None, **options: Any) -> None:
        found = services.reminders(None, today)
        for r in found:
            self.stdout.write(
                f"{r.valid_until.isoformat()}\t{r.subject}\t{r.purpose}\t{r.date.isoformat()}"
            )
        self.stdout.write(_("%(count)d clearance(s) to renew.") % {"count": len(found)})
