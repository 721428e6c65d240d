"""The one way background work runs: Django's tasks interface, with a TaskRun row per job.

A job is a Django ``@task`` whose first argument is the id of its TaskRun. By default the
immediate backend runs it in the calling process (nothing to install); when
LIAISON_BROKER_URL is set, the Celery backend (liaison.core.celery_backend) sends it to
Celery workers over Redis. Either way the page or command that started it reads the
TaskRun for progress and outcome.

    @task
    def import_rows(run_id: int, path: str) -> None:
        with tracked(run_id) as run:
            for i, row in enumerate(rows):
                ...
                run.advance(i + 1, total)

    run = start(import_rows, kind="import", user=request.user, path=path)
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.tasks import Task
from django.utils import timezone

from liaison.core.models import TaskRun

logger = logging.getLogger(__name__)


def start(
    task: Task[Any, Any],
    *,
    kind: str,
    user: Any = None,
    workspace: Any = None,
    label: str = "",
    total: int | None = None,
    detach: bool = False,
    **kwargs: Any,
) -> TaskRun:
    """Record a TaskRun and enqueue ``task(run.pk, **kwargs)``; kwargs must be JSON-able.

    With Celery the task is enqueued once the surrounding transaction commits, so that a
    worker in another process finds the TaskRun (and whatever the caller saved with it);
    inline, it runs at once and the TaskRun returned already holds its outcome. A job does
    its writes inside its own ``transaction.atomic()``, so that a failure rolls them back
    and leaves the TaskRun to say why.

    ``detach=True`` keeps a long job out of the request even inline: it runs in a thread
    of its own once the transaction commits, and the caller shows the TaskRun's progress.
    LIAISON_TASKS_DETACH = False (the unit tests) runs it at once, as before.
    """
    run = TaskRun.objects.create(
        kind=kind,
        user=user if getattr(user, "is_authenticated", False) else None,
        workspace=workspace,
        label=label[:300],
        total=total,
    )
    if not settings.LIAISON_BROKER_URL and detach and settings.LIAISON_TASKS_DETACH:
        transaction.on_commit(lambda: _in_thread(task, run.pk, kwargs))
        return run
    if not settings.LIAISON_BROKER_URL:
        task.enqueue(run.pk, **kwargs)
        run.refresh_from_db()
        return run
    transaction.on_commit(lambda: task.enqueue(run.pk, **kwargs))
    return run


# A detached job starts this much later: its first steps (loading a language model, say)
# hold the interpreter's lock, and the request that started it answers first.
DETACH_DELAY = 0.3


def _in_thread(task: Task[Any, Any], run_id: int, kwargs: dict[str, Any]) -> None:
    def work() -> None:
        time.sleep(DETACH_DELAY)
        try:
            for attempt in range(3):
                try:
                    task.enqueue(run_id, **kwargs)
                    return
                except OperationalError as exc:
                    # SQLite's shared in-memory database (the tests') refuses at once a
                    # table another thread reads instead of waiting: try again.
                    if "locked" not in str(exc) or attempt == 2:
                        raise
                    time.sleep(0.5)
        except Exception:  # tracked() has marked the run failed; nothing else to tell
            logger.exception("detached task #%s failed", run_id)
        finally:
            connections.close_all()  # this thread's connections, not the request's

    threading.Thread(target=work, name=f"task-{run_id}", daemon=True).start()


class Progress:
    """What a running job reports; writes are throttled to keep big jobs fast."""

    def __init__(self, run: TaskRun) -> None:
        self.run = run
        self._last_write = 0.0

    def advance(self, done: int, total: int | None = None, message: str = "") -> None:
        self.run.done = done
        if total is not None:
            self.run.total = total
        if message:
            self.run.message = message
        now = timezone.now().timestamp()
        if now - self._last_write >= 0.5 or (self.run.total and done >= self.run.total):
            self._last_write = now
            TaskRun.objects.filter(pk=self.run.pk).update(
                done=self.run.done, total=self.run.total, message=self.run.message
            )

    def set_result(self, **result: Any) -> None:
        self.run.result.update(result)


@contextmanager
def tracked(run_id: int) -> Iterator[Progress]:
    """Mark the run running, then done (with its result) or failed (with the error)."""
    run = TaskRun.objects.get(pk=run_id)
    TaskRun.objects.filter(pk=run_id).update(status=TaskRun.Status.RUNNING)
    progress = Progress(run)
    try:
        yield progress
    except Exception as exc:
        logger.exception("task %s #%s failed", run.kind, run_id)
        TaskRun.objects.filter(pk=run_id).update(
            status=TaskRun.Status.FAILED,
            message=str(exc)[:2000] or exc.__class__.__name__,
            result=run.result,
            finished_at=timezone.now(),
        )
        raise
    else:
        TaskRun.objects.filter(pk=run_id).update(
            status=TaskRun.Status.DONE,
            done=run.total if run.total is not None else run.done,
            total=run.total,
            message=run.message,
            result=run.result,
            finished_at=timezone.now(),
        )
