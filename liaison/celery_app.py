"""Celery application for Liaison's workers: ``celery -A liaison.celery_app worker``.

Used only when LIAISON_BROKER_URL is set (for example redis://127.0.0.1:6379/0); the
default installation runs its jobs inline and needs none of this.

A job outlives its worker: the broker forgets a message only once its job has ended
(late acknowledgement), a job whose pool process died goes back to the queue, and a
worker takes one job at a time (a lost worker strands nothing it had not started).
liaison.core.tasks makes the rerun safe (claim) and the task page truthful (heartbeat,
settle_stale).
"""

from __future__ import annotations

import logging
import os
from typing import Any

from celery import Celery, Task
from celery.schedules import crontab
from celery.signals import worker_ready
from django.conf import settings

# Read at the first use of `settings`, just below.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

logger = logging.getLogger(__name__)

app = Celery("liaison")
app.conf.update(
    broker_url=os.environ.get("LIAISON_BROKER_URL", "memory://"),
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    # The broker hands an unacknowledged job to another worker after this long (its
    # worker's machine went silent): longer than the longest job, whose hard time limit
    # comes first, so that a job never runs twice at once.
    broker_transport_options={"visibility_timeout": settings.LIAISON_TASK_VISIBILITY_SECONDS},
    task_time_limit=max(60, settings.LIAISON_TASK_VISIBILITY_SECONDS - 600),
    task_serializer="json",
    accept_content=["json"],
    task_default_queue="default",
    broker_connection_retry_on_startup=True,
    # Daily jobs, started by `celery -A liaison.celery_app beat` (one beat per
    # installation); each is a Django task run through core.tasks.start (its TaskRun).
    beat_schedule={
        "vetting-daily": {
            "task": "liaison.start_django_task",
            "schedule": crontab(hour=int(os.environ.get("LIAISON_DAILY_HOUR", "4")), minute=30),
            "args": ["liaison.vetting.tasks.daily_task", "vetting-daily"],
        },
    },
    timezone=os.environ.get("LIAISON_TIME_ZONE", "UTC"),
)


@app.on_after_configure.connect
def _setup_django(**_: Any) -> None:
    import django

    django.setup()


@worker_ready.connect
def _settle_stale_runs(**_: Any) -> None:
    """The runs left "running" by a worker that died are requeued or failed now."""
    from liaison.core.tasks import settle_stale

    try:
        settle_stale()
    except Exception:  # a worker starts even if the database is not there yet
        logger.warning("stale task runs not checked at worker start", exc_info=True)


@app.task(name="liaison.run_django_task", bind=True)
def run_django_task(
    self: Task[Any, Any], module_path: str, args: list[Any], kwargs: dict[str, Any]
) -> None:
    """Run a Django task by its dotted path, as the immediate backend would: once, as
    this worker (core.tasks.claim), tried again later when the database failed it."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils.module_loading import import_string

    from liaison.core import tasks

    # A worker outlives a restore, which may renumber the content types it cached.
    ContentType.objects.clear_cache()
    task = import_string(module_path)
    run_id = args[0] if args and isinstance(args[0], int) else None
    retries = self.request.retries
    with tasks.in_worker(retries):
        try:
            if run_id is not None and not tasks.claim(run_id, retries):
                return
            task.call(*args, **kwargs)
        except tasks.RETRYABLE as exc:
            if not tasks.will_retry_after(exc):
                raise
            delay = tasks.retry_delay(retries)
            if run_id is not None:
                try:
                    tasks.will_retry(run_id, exc, delay)
                except tasks.RETRYABLE:
                    logger.warning("task run #%s: retry not recorded", run_id)
            raise self.retry(exc=exc, countdown=delay) from exc


@app.task(name="liaison.start_django_task")
def start_django_task(module_path: str, kind: str) -> None:
    """Start a Django task by its dotted path with its TaskRun (what beat schedules)."""
    from django.utils.module_loading import import_string

    from liaison.core.tasks import start

    start(import_string(module_path), kind=kind)
