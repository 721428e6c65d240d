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

In a worker (liaison.celery_app) a job survives its worker: the message is acknowledged
only once the job ends, so a job whose worker is lost is handed out again (at most
LIAISON_TASK_ATTEMPTS times); `claim` runs it once (never a finished run, never twice at
once); while it runs a heartbeat says it lives, and `settle_stale` requeues or fails the
runs whose worker went silent. Jobs write in their own transaction, so a rerun starts
clean; what they report goes through a second connection, so that it shows at once.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections, transaction
from django.tasks import Task
from django.utils import formats, timezone

from liaison.core.models import TaskRun

logger = logging.getLogger(__name__)

# The connection for what a running job reports (settings.DATABASES).
PROGRESS_DB = "progress"
# Errors a job may meet while the database restarts or fails over: its transaction was
# rolled back, so running it again later is safe.
RETRYABLE = (OperationalError, InterfaceError)
# Set while a worker runs a job: its name ("host:pid"). Inline jobs run inside the caller's
# request or command, whose end the caller sees: they need no heartbeat.
_worker: ContextVar[str] = ContextVar("liaison_task_worker", default="")
# How many times the job now running in this worker was tried again after an error.
_retries: ContextVar[int] = ContextVar("liaison_task_retries", default=0)


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


def queued() -> bool:
    """Whether jobs go to workers (else they run inline, in the caller's process)."""
    return bool(settings.LIAISON_BROKER_URL)


def _report_db() -> str:
    """Where a job writes its progress and heartbeat.

    In a worker, through a second connection to the same database: on the job's own
    connection the write would stay inside the job's transaction (an import's is the whole
    file), invisible to the task page until the end. Not on SQLite, which has one writer:
    the second connection would wait for the job's lock. Inline, the caller waits for the
    job anyway (and tests run on the test transaction's connection only).
    """
    if (
        _worker.get()
        and PROGRESS_DB in settings.DATABASES
        and connections[DEFAULT_DB_ALIAS].vendor != "sqlite"
    ):
        return PROGRESS_DB
    return DEFAULT_DB_ALIAS


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
        now = timezone.now()
        if now.timestamp() - self._last_write >= 0.5 or (self.run.total and done >= self.run.total):
            self._last_write = now.timestamp()
            fields: dict[str, Any] = {
                "done": self.run.done,
                "total": self.run.total,
                "message": self.run.message,
            }
            if _worker.get():
                fields["heartbeat_at"] = now
            TaskRun.objects.using(_report_db()).filter(pk=self.run.pk).update(**fields)

    def set_result(self, **result: Any) -> None:
        self.run.result.update(result)


class _Heartbeat(threading.Thread):
    """Says the job lives while its code is silent (a long page of a PDF, one big
    document): a thread has connections of its own, outside the job's transaction."""

    def __init__(self, run_id: int) -> None:
        super().__init__(name=f"liaison-heartbeat-{run_id}", daemon=True)
        self.run_id = run_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.LIAISON_TASK_HEARTBEAT_SECONDS):
                try:
                    TaskRun.objects.using(PROGRESS_DB).filter(
                        pk=self.run_id, status=TaskRun.Status.RUNNING
                    ).update(heartbeat_at=timezone.now())
                except Exception:  # the next beat tries again; the job goes on
                    logger.warning("heartbeat of task run #%s not written", self.run_id)
        finally:
            connections.close_all()


def _error(exc: BaseException) -> str:
    return str(exc).strip()[:500] or exc.__class__.__name__


def noticed(result: Any, code: str, **values: Any) -> dict[str, Any]:
    """The fields that give a run the task runner's notice `code` (TaskRun.NOTICES): its
    message in the current language (logs, the command line), and the code with its
    values, which the task page shows in its reader's language (TaskRun.shown_message)."""
    stored = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}
    shown = {
        k: formats.date_format(timezone.localtime(v), "DATETIME_FORMAT")
        if isinstance(v, datetime)
        else v
        for k, v in values.items()
    }
    return {
        "message": str(TaskRun.NOTICES[code] % shown),
        "result": {**_without_notice(result), "notice": {"code": code, "values": stored}},
    }


def _without_notice(result: Any) -> dict[str, Any]:
    return {k: v for k, v in (result or {}).items() if k != "notice"}


@contextmanager
def tracked(run_id: int) -> Iterator[Progress]:
    """Mark the run running, then done (with its result) or failed (with the error)."""
    run = TaskRun.objects.get(pk=run_id)
    if not _worker.get():  # a worker's `claim` marked it already
        TaskRun.objects.filter(pk=run_id).update(status=TaskRun.Status.RUNNING)
    run.status = TaskRun.Status.RUNNING
    progress = Progress(run)
    heartbeat = _Heartbeat(run_id) if _worker.get() else None
    if heartbeat is not None:
        heartbeat.start()
    try:
        yield progress
    except Exception as exc:
        if will_retry_after(exc):
            raise  # not failed: the worker says when it tries again (will_retry)
        logger.exception("task %s #%s failed", run.kind, run_id)
        said = (
            noticed(run.result, "database", error=_error(exc))
            if isinstance(exc, RETRYABLE)
            else {"message": str(exc)[:2000] or exc.__class__.__name__, "result": run.result}
        )
        TaskRun.objects.filter(pk=run_id).update(
            status=TaskRun.Status.FAILED, finished_at=timezone.now(), **said
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
    finally:
        if heartbeat is not None:
            heartbeat.stopped.set()
            heartbeat.join()


# --- in a worker ---------------------------------------------------------------------


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _alive(run: TaskRun, now: datetime) -> bool:
    """Whether another worker is running `run` now (the broker may hand a job out twice:
    its worker's machine went silent past the visibility timeout, or a job ran longer)."""
    if run.heartbeat_at is None or run.heartbeat_at < now - stale_after():
        return False
    host, _sep, pid = run.worker.rpartition(":")
    if run.worker == worker_name() or not pid.isdigit():
        return False
    if host == socket.gethostname():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False  # its process died on this machine: the pool lost it
        except PermissionError:
            pass
    return True


def claim(run_id: int, retries: int = 0) -> bool:
    """Take run `run_id` for this worker; False if it must not run here: finished already
    (a rerun after the end neither duplicates nor undoes), running on a live worker, or
    lost with its worker too often (then it fails, saying so)."""
    now = timezone.now()
    with transaction.atomic():
        run = TaskRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.finished:
            return False
        if run.status == TaskRun.Status.RUNNING and _alive(run, now):
            logger.warning("task run #%s is running on %s: not run twice", run_id, run.worker)
            return False
        attempts = run.attempts + 1
        lost = attempts - 1 - retries  # the earlier attempts that did not end
        if lost >= settings.LIAISON_TASK_ATTEMPTS:
            TaskRun.objects.filter(pk=run_id).update(
                status=TaskRun.Status.FAILED,
                attempts=attempts,
                finished_at=now,
                **noticed(run.result, "attempts", count=lost),
            )
            return False
        TaskRun.objects.filter(pk=run_id).update(
            status=TaskRun.Status.RUNNING,
            attempts=attempts,
            heartbeat_at=now,
            worker=worker_name()[:200],
            result=_without_notice(run.result),
        )
    return True


@contextmanager
def in_worker(retries: int = 0) -> Iterator[None]:
    """Run a job as this worker (its `retries`th try again after an error): heartbeat,
    and progress through the second connection."""
    token, retried = _worker.set(worker_name()), _retries.set(retries)
    try:
        yield
    finally:
        _worker.reset(token)
        _retries.reset(retried)


def will_retry_after(exc: BaseException) -> bool:
    """Whether the job running in this worker is tried again after `exc`: a database
    error (its transaction was rolled back), while tries remain."""
    return (
        bool(_worker.get())
        and isinstance(exc, RETRYABLE)
        and _retries.get() < settings.LIAISON_TASK_RETRIES
    )


def retry_delay(retries: int) -> int:
    """Seconds before the next try: doubling from LIAISON_TASK_RETRY_SECONDS, at most
    ten minutes."""
    return int(min(600, settings.LIAISON_TASK_RETRY_SECONDS * 2**retries))


def will_retry(run_id: int, exc: BaseException, delay: int) -> None:
    run = TaskRun.objects.get(pk=run_id)
    TaskRun.objects.filter(pk=run_id).update(
        status=TaskRun.Status.QUEUED,
        finished_at=None,
        **noticed(run.result, "retry", error=_error(exc), seconds=delay),
    )


# --- runs whose worker went silent ---------------------------------------------------


def stale_after() -> timedelta:
    return timedelta(seconds=settings.LIAISON_TASK_STALE_SECONDS)


def settle_stale(runs: Iterable[int] | None = None) -> int:
    """Requeue or fail the running runs (of `runs`, else all) whose worker sent no sign of
    life for LIAISON_TASK_STALE_SECONDS; how many were changed.

    A run whose job the broker still holds waits for it (it runs again: its worker died
    with it unacknowledged, or before taking it); one the broker no longer holds will
    never end, and fails, saying so. Run at worker start and when a task page is read.
    """
    from liaison.core.celery_backend import held_run_ids

    now = timezone.now()
    found = TaskRun.objects.filter(
        status=TaskRun.Status.RUNNING, heartbeat_at__lt=now - stale_after()
    )
    if runs is not None:
        found = found.filter(pk__in=list(runs))
    stale = [
        (pk, beat, result)
        for pk, beat, result in found.values_list("pk", "heartbeat_at", "result")
        if beat is not None
    ]
    if not stale:
        return 0
    held = held_run_ids() if queued() else (set(), set())
    if held is None:  # the broker does not answer: nothing is known, nothing changes
        return 0
    waiting, taken = held
    visibility = timedelta(seconds=settings.LIAISON_TASK_VISIBILITY_SECONDS)
    changed = 0
    for pk, beat, result in stale:
        same = TaskRun.objects.filter(pk=pk, status=TaskRun.Status.RUNNING, heartbeat_at=beat)
        if pk in waiting:
            changed += same.update(
                status=TaskRun.Status.QUEUED, **noticed(result, "waiting", time=beat)
            )
        elif pk in taken:
            changed += same.update(**noticed(result, "silent", time=beat, back=beat + visibility))
        else:
            changed += same.update(
                status=TaskRun.Status.FAILED,
                finished_at=now,
                **noticed(result, "lost", time=beat),
            )
    return changed
