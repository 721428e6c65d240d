"""A Django tasks backend that hands each job to Celery workers (LIAISON_BROKER_URL).

Start workers with ``celery -A liaison.celery_app worker``; each one runs the job by the
dotted path of its Django task, so jobs are written once for both backends.
"""

from __future__ import annotations

from typing import Any

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
        app.send_task(
            run_django_task.name,
            args=[task.module_path, list(args), kwargs],
            task_id=result_id,
            queue=task.queue_name,
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
