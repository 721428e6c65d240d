"""The vetting office's daily job: expire lapsed approvals, count what to renew.

Run once a day by the task runner: with a broker (LIAISON_BROKER_URL), Celery beat starts
it (liaison/celery_app.py, `beat_schedule`); without one, `liaison vetting daily` runs it
inline, once or, with `--forever`, every day at `--at` (a long-running service beside the
web process, see the README).
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from liaison.core.context import acting_as
from liaison.core.tasks import tracked

logger = logging.getLogger(__name__)

EXPIRY_NOTICE_DAYS = 60


def run_daily(today: datetime.date | None = None) -> dict[str, int]:
    """Expire approvals past their last valid day; count the clearances ending within
    60 days and those ending before a planned session or activity needs them."""
    from liaison.vetting import services
    from liaison.vetting.models import VettingRequest

    today = today or timezone.localdate()
    with acting_as(None, channel="command"):
        expired = services.expire(today)
    expiring = VettingRequest._base_manager.filter(
        status__in=VettingRequest.APPROVALS,
        valid_until__gte=today,
        valid_until__lte=today + datetime.timedelta(days=EXPIRY_NOTICE_DAYS),
    ).count()
    reminders = len(services.reminders(None, today))
    totals = {"expired": expired, "expiring": expiring, "reminders": reminders}
    logger.info("vetting daily job on %s: %s", today.isoformat(), totals)
    return totals


@task
def daily_task(run_id: int, today: str | None = None) -> None:
    with tracked(run_id) as progress, transaction.atomic():
        day = datetime.date.fromisoformat(today) if today else None
        progress.set_result(**run_daily(day))
