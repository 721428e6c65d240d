"""`liaison vetting expire`, `liaison vetting reminders` and `liaison vetting daily`."""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core.context import acting_as
from liaison.core.management.base import LiaisonCommand
from liaison.core.tasks import start
from liaison.vetting import services
from liaison.vetting.tasks import daily_task


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
        batch = actions.add_parser(
            "import-batch",
            help="Open one file per row (person_id or organization_id) in a batch being "
            "prepared: all or nothing, at most 50 subjects in the batch.",
        )
        batch.add_argument("file", help="CSV or XLSX with a person_id or organization_id column")
        batch.add_argument("--batch", type=int, required=True, dest="batch_id")
        batch.add_argument("--user", required=True, help="a vetting officer of the batch")
        daily = actions.add_parser(
            "daily",
            help="The daily job: expire, count what expires within 60 days and what to renew "
            "(what Celery beat runs when a broker is set).",
        )
        daily.add_argument("--today", type=_date, default=None, help="YYYY-MM-DD")
        daily.add_argument(
            "--forever",
            action="store_true",
            help="Keep running and run the job every day at --at (without a broker).",
        )
        daily.add_argument("--at", default="04:30", help="HH:MM, local time (with --forever)")

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

    def handle(self, *args: Any, **options: Any) -> None:
        options["action"] = options["action"].replace("-", "_")  # import-batch
        super().handle(*args, **options)

    def handle_import_batch(self, file: str, batch_id: int, user: str, **options: Any) -> None:
        _import_batch(self, file, batch_id, user)

    def handle_daily(
        self, today: datetime.date | None, forever: bool, at: str, **options: Any
    ) -> None:
        hour, _sep, minute = at.partition(":")
        if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
            raise CommandError(_("--at takes HH:MM."))
        while True:
            run = start(daily_task, kind="vetting-daily", today=today and today.isoformat())
            self.stdout.write(
                _(
                    "%(expired)d expired, %(expiring)d expiring within 60 days, "
                    "%(reminders)d to renew."
                )
                % {k: run.result.get(k, 0) for k in ("expired", "expiring", "reminders")}
            )
            if not forever:
                return
            time.sleep(_seconds_until(int(hour), int(minute)))


def _seconds_until(hour: int, minute: int) -> float:
    now = timezone.localtime()
    target = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if target <= now:
        target += datetime.timedelta(days=1)
    return (target - now).total_seconds()


def _import_batch(command: Command, file: str, batch_id: int, user: str) -> None:
    from pathlib import Path

    from django.core.exceptions import PermissionDenied, ValidationError

    from liaison.core.imports.reading import FileError, file_format, read_rows
    from liaison.core.management.base import active_user
    from liaison.core.querysets import visible
    from liaison.vetting.models import VettingBatch

    officer = active_user(user)
    batch = visible(VettingBatch, officer).filter(pk=batch_id).first()
    if batch is None:
        raise CommandError(
            _("No batch %(id)d that %(user)s sees.") % {"id": batch_id, "user": user}
        )
    try:
        header, rows = read_rows(Path(file), file_format(file))
        records = [(line, dict(zip(header, cells, strict=False))) for line, cells in rows]
    except (FileError, OSError) as error:
        raise CommandError(
            _("%(file)s: %(error)s; nothing was imported.") % {"file": file, "error": error}
        ) from error
    try:
        with acting_as(officer, channel="command"):
            made = services.import_into_batch(batch, records, acting_user=officer)
    except PermissionDenied as denied:
        raise CommandError(_("%(user)s may not change this batch.") % {"user": user}) from denied
    except ValidationError as refused:
        raise CommandError(
            "\n".join([*refused.messages, str(_("Nothing was imported."))])
        ) from refused
    command.stdout.write(_("%(count)d request(s) opened in the batch.") % {"count": len(made)})
