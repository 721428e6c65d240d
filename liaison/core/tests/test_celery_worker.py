"""Background jobs through a real Celery worker over a real Redis (LIAISON_BROKER_URL).

The test starts `celery -A liaison.celery_app worker` itself, on the test database (same
settings and database as this process, committed data: transactional tests) and on a
queue of its own, so that other workers on the same Redis never take its jobs. Skipped,
with the reason, when Redis is not reachable or the test database is SQLite in memory
(which no other process can open): `.ci/run` starts Redis and runs it on PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import override_settings

from liaison.core.models import TaskRun, Workspace
from liaison.core.tasks import start
from liaison.core.tests import worker_jobs

BROKER_URL = os.environ.get("LIAISON_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
WAIT_SECONDS = 120


def redis_reachable() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(BROKER_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def database_url() -> str | None:
    """The test database as a DATABASE_URL another process can open, if there is one."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(s["USER"] or "")
        if s.get("PASSWORD"):
            auth += ":" + quote(s["PASSWORD"])
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():  # type: ignore[attr-defined]
        return f"sqlite:///{s['NAME']}"
    return None


@pytest.fixture(scope="module")
def worker(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """A Celery worker on the test database; yields the queue prefix it listens to."""
    if not redis_reachable():
        pytest.skip(f"Redis is not reachable at {BROKER_URL}: start redis-server to test workers")
    with django_db_blocker.unblock():
        url = database_url()
    if url is None:
        pytest.skip("the SQLite test database is in memory, which a worker process cannot open")
    prefix = f"liaison-test-{uuid.uuid4().hex[:12]}-"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "liaison.settings_test",
        "DATABASE_URL": url,
        "LIAISON_BROKER_URL": BROKER_URL,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "liaison.celery_app",
            "worker",
            "--pool=solo",
            "-Q",
            f"{prefix}default",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "warning",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield prefix
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        sys.stderr.write(output.decode(errors="replace")[-4000:])
        import redis

        redis.Redis.from_url(BROKER_URL).delete(f"{prefix}default")


def celery_settings(prefix: str) -> Any:
    return override_settings(
        LIAISON_BROKER_URL=BROKER_URL,
        TASKS={
            "default": {
                "BACKEND": "liaison.core.celery_backend.CeleryBackend",
                "OPTIONS": {"QUEUE_PREFIX": prefix},
            }
        },
    )


def finished(run: TaskRun) -> TaskRun:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in (TaskRun.Status.DONE, TaskRun.Status.FAILED):
            return run
        time.sleep(0.2)
    raise AssertionError(f"the worker did not finish task run {run.pk} in {WAIT_SECONDS} s")


@pytest.mark.django_db(transaction=True)
def test_job_enqueued_here_runs_in_the_worker(worker: str) -> None:
    with celery_settings(worker):
        run = start(worker_jobs.create_workspaces, kind="test", prefix="celery", n=3)
    # Sent to Redis, not run in this process: the run is still queued here.
    assert run.status == TaskRun.Status.QUEUED
    run = finished(run)
    assert run.status == TaskRun.Status.DONE, run.message
    assert (run.done, run.total) == (3, 3)
    assert run.result == {"created": 3}
    assert Workspace.objects.filter(slug__startswith="celery-").count() == 3


@pytest.mark.django_db(transaction=True)
def test_failing_job_shows_failed_and_leaves_nothing(worker: str) -> None:
    with celery_settings(worker):
        run = start(worker_jobs.fail_after_one, kind="test", prefix="broken")
    run = finished(run)
    assert run.status == TaskRun.Status.FAILED
    assert run.message == "row 2: no name"
    assert run.finished_at is not None
    assert not Workspace.objects.filter(slug__startswith="broken-").exists()
