"""A Django tasks backend that hands each job to Celery workers (LIAISON_BROKER_URL).

Start workers with ``celery -A liaison.celery_app worker``; each one runs the job by the
dotted path of its Django task, so jobs are written once for both backends.

The broker is read from the settings when a job is sent (not when liaison.celery_app was
first imported), and OPTIONS may name another broker and a queue prefix: a worker
started with ``-Q <prefix>default`` then takes only the jobs of this installation (two
installations, or a test run, sharing one Redis).
"""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

from django.conf import settings
from django.tasks import Task, TaskResult, TaskResultStatus, task_backends
from django.tasks.backends.base import BaseTaskBackend
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)
# Where kombu's Redis transport keeps what it handed out and was not acknowledged yet,
# and the suffixes of its priority lists (kombu.transport.redis).
UNACKED_KEY = "unacked"
PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")


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


def _run_id(message: dict[str, Any]) -> int | None:
    """The TaskRun id of a message sent by `enqueue` (its Django task's first argument)."""
    try:
        if message["headers"]["task"] != "liaison.run_django_task":
            return None
        body = message["body"]
        if message.get("properties", {}).get("body_encoding") == "base64":
            body = base64.b64decode(body)
        args = json.loads(body)[0]
        run_id = args[1][0]
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    return run_id if isinstance(run_id, int) else None


def held_run_ids() -> tuple[set[int], set[int]] | None:
    """The TaskRuns whose job the broker still holds: (waiting in the queue, handed out
    but not acknowledged); None if the broker cannot tell (not Redis, or unreachable).

    Read straight from Redis, as kombu keeps them: a waiting job is a list item of its
    queue, a job handed out is in the `unacked` hash until its worker acknowledges it.
    """
    backend = task_backends["default"]
    broker_url = backend.options.get("BROKER_URL") or settings.LIAISON_BROKER_URL
    if not broker_url.startswith(("redis://", "rediss://")):
        return None
    import redis

    queue = f"{backend.options.get('QUEUE_PREFIX', '')}default"
    try:
        client = redis.Redis.from_url(broker_url, socket_timeout=5)
        waiting = [
            item for suffix in PRIORITY_SUFFIXES for item in client.lrange(queue + suffix, 0, -1)
        ]
        # One hash for every queue of this Redis: only this installation's queue counts.
        taken = [
            message
            for message, _exchange, routing_key in map(json.loads, client.hvals(UNACKED_KEY))
            if routing_key == queue
        ]
    except (redis.RedisError, ValueError, TypeError):
        logger.warning("the broker could not say which jobs it holds", exc_info=True)
        return None
    return (
        {i for i in map(_run_id, (json.loads(m) for m in waiting)) if i is not None},
        {i for i in map(_run_id, taken) if i is not None},
    )
