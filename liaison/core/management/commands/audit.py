"""`liaison audit verify`: checks the tamper-evident chain of the history."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.core.management.base import LiaisonCommand
from liaison.core.models import AuditHead


class Command(LiaisonCommand):
    help = "Verify the audit trail."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("verify", help="Report the first broken link of the chain, if any.")

    def handle_verify(self, **options: Any) -> None:
        checked, broken = audit.verify()
        if broken is not None and broken.sequence is None:
            raise CommandError(
                _(
                    "Audit chain broken: a history row is not in it (%(table)s, row %(row)s): "
                    "%(reason)s. The %(checked)s links of the chain are intact."
                )
                % {
                    "table": broken.table,
                    "row": broken.history_id,
                    "reason": broken.reason,
                    "checked": checked,
                }
            )
        if broken is not None:
            raise CommandError(
                _(
                    "Audit chain broken at link %(sequence)s (%(table)s, row %(row)s): "
                    "%(reason)s. %(checked)s links before it are intact."
                )
                % {
                    "sequence": broken.sequence,
                    "table": broken.table or "-",
                    "row": broken.history_id,
                    "reason": broken.reason,
                    "checked": checked,
                }
            )
        head = AuditHead.objects.filter(pk=1).first()
        self.stdout.write(
            _("Audit chain intact: %(checked)s links; head %(head)s.")
            % {"checked": checked, "head": head.last_hash if head else audit.GENESIS}
        )
