"""A Django tasks backend that hands each job to Celery workers (LIAISON_BROKER_URL).

Start workers with ``celery -A liaison.celery_app worker``; each one runs the job by the
dotted path of its Django task, so jobs are written once for both backends.

The broker is read from the settings when a job is sent (not when liaison.celery_app was
first imported), and OPTIONS may name another broker and a queue prefix: a worker
started with ``-Q <prefix>default`` then takes only the jobs of this installation (two
installations, or a test run, sharing one Redis).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.tasks import Task, TaskResult, TaskResultStatus
from django.tasks.backends.base import BaseTaskBackend
from django.utils.crypto import get_random_string


class CeleryBackend(BaseTaskBackend):
    supports_defer = False
    supports_async_task = False
    supports_get_result = False
    supports_priority = False

    def enqueue(
        self, task: Task[Any, Any], args: list[Any], kwargs: dict[str, Any]
    ) -> TaskResult[Any, Any]:
        from liaison.celery_app import app, run_django_task

        self.validate_task(task)
        result_id = get_random_string(32)
        broker_url = self.options.get("BROKER_URL") or settings.LIAISON_BROKER_URL
        queue = f"{self.options.get('QUEUE_PREFIX', '')}{task.queue_name}"
        with app.connection_for_write(broker_url) as connection:
            app.send_task(
                run_django_task.name,
                args=[task.module_path, list(args), kwargs],
                task_id=result_id,
                queue=queue,
                connection=connection,
            )
        return TaskResult(
            task=task,
            id=result_id,
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
