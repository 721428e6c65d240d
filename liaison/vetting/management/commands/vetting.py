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
