"""Celery application for Liaison's workers: ``celery -A liaison.celery_app worker``.

Used only when LIAISON_BROKER_URL is set (for example redis://127.0.0.1:6379/0); the
default installation runs its jobs inline and needs none of this.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

app = Celery("liaison")
app.conf.update(
    broker_url=os.environ.get("LIAISON_BROKER_URL", "memory://"),
    task_acks_late=True,
    worker_prefetch_multiplier=1,
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


@app.task(name="liaison.run_django_task")
def run_django_task(module_path: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    """Run a Django task by its dotted path, as the immediate backend would."""
    from django.utils.module_loading import import_string

    task = import_string(module_path)
    task.call(*args, **kwargs)


@app.task(name="liaison.start_django_task")
def start_django_task(module_path: str, kind: str) -> None:
    """Start a Django task by its dotted path with its TaskRun (what beat schedules)."""
    from django.utils.module_loading import import_string

    from liaison.core.tasks import start

    start(import_string(module_path), kind=kind)
