"""Jobs for the worker tests (test_celery_worker): a module a Celery worker can import."""

from __future__ import annotations

import time
from pathlib import Path

from django.db import OperationalError, transaction
from django.tasks import task

from liaison.core.models import Workspace
from liaison.core.tasks import tracked


@task
def create_workspaces(run_id: int, prefix: str, n: int) -> None:
    with tracked(run_id) as run, transaction.atomic():
        for i in range(n):
            Workspace.objects.create(slug=f"{prefix}-{i}", name=f"{prefix} {i}")
            run.advance(i + 1, n)
        run.set_result(created=n)


@task
def fail_after_one(run_id: int, prefix: str) -> None:
    with tracked(run_id) as run, transaction.atomic():
        Workspace.objects.create(slug=f"{prefix}-0", name=f"{prefix} 0")
        run.advance(1, 2)
        raise ValueError("row 2: no name")


@task
def slow_workspaces(run_id: int, prefix: str, n: int, pause: float) -> None:
    """Like create_workspaces, slowly: long enough to lose its worker in the middle."""
    with tracked(run_id) as run, transaction.atomic():
        for i in range(n):
            Workspace.objects.create(slug=f"{prefix}-{i}", name=f"{prefix} {i}")
            run.advance(i + 1, n)
            time.sleep(pause)
        run.set_result(created=n)


@task
def database_fails_once(run_id: int, prefix: str, marker: str) -> None:
    """Meets a database error the first time (the marker file is not there yet)."""
    with tracked(run_id) as run, transaction.atomic():
        Workspace.objects.create(slug=f"{prefix}-0", name=f"{prefix} 0")
        if not Path(marker).exists():
            Path(marker).write_text("failed once")
            raise OperationalError("server closed the connection unexpectedly")
        run.set_result(created=1)
