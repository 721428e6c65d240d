"""Background jobs through a real Celery worker over a real Redis (LIAISON_BROKER_URL).

The test starts `celery -A liaison.celery_app worker` itself, on the test database (same
settings and database as this process, committed data: transactional tests) and on a
queue of its own, so that other workers on the same Redis never take its jobs. Skipped,
with the reason, when Redis is not reachable or the test database is SQLite in memory
(which no other process can open): `.ci/run` starts Redis and runs it on PostgreSQL.

The worker has a prefork pool of one process, which the tests kill in the middle of a
job (as the kernel does to a process out of memory): the job must run again, once, and
its page end "Done"; killed as many times as LIAISON_TASK_ATTEMPTS, the page ends
"Failed", saying why.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files import File
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import translation

from liaison.core.choices import Role
from liaison.core.imports import jobs
from liaison.core.models import TaskRun, Workspace
from liaison.core.tasks import start
from liaison.core.tests import worker_jobs
from liaison.core.tests.importing import write_csv
from liaison.core.tests.pages import client_for, member
from liaison.partners.models import Organization
from tests import factories as f

BROKER_URL = os.environ.get("LIAISON_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
WAIT_SECONDS = 120
# The worker's limits, low so that the tests are quick: a job lost twice fails.
ATTEMPTS = 2


@dataclass
class Worker:
    prefix: str  # of the queue it listens to
    pid: int  # its main process; the pool's process is its child
    data_dir: Path


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
def worker(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Worker]:
    """A Celery worker on the test database, with a pool of one process."""
    if not redis_reachable():
        pytest.skip(f"Redis is not reachable at {BROKER_URL}: start redis-server to test workers")
    with django_db_blocker.unblock():
        url = database_url()
    if url is None:
        pytest.skip("the SQLite test database is in memory, which a worker process cannot open")
    prefix = f"liaison-test-{uuid.uuid4().hex[:12]}-"
    data_dir = tmp_path_factory.mktemp("worker-data")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "liaison.settings_test",
        "DATABASE_URL": url,
        "LIAISON_BROKER_URL": BROKER_URL,
        "LIAISON_DATA_DIR": str(data_dir),
        "LIAISON_TASK_ATTEMPTS": str(ATTEMPTS),
        "LIAISON_TASK_RETRY_SECONDS": "1",
        "LIAISON_TASK_HEARTBEAT_SECONDS": "1",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "liaison.celery_app",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
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
        yield Worker(prefix, process.pid, data_dir)
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
def test_job_enqueued_here_runs_in_the_worker(worker: Worker) -> None:
    with celery_settings(worker.prefix):
        run = start(worker_jobs.create_workspaces, kind="test", prefix="celery", n=3)
    # Sent to Redis, not run in this process: the run is still queued here.
    assert run.status == TaskRun.Status.QUEUED
    run = finished(run)
    assert run.status == TaskRun.Status.DONE, run.message
    assert (run.done, run.total) == (3, 3)
    assert run.result == {"created": 3}
    assert Workspace.objects.filter(slug__startswith="celery-").count() == 3


@pytest.mark.django_db(transaction=True)
def test_failing_job_shows_failed_and_leaves_nothing(worker: Worker) -> None:
    with celery_settings(worker.prefix):
        run = start(worker_jobs.fail_after_one, kind="test", prefix="broken")
    run = finished(run)
    assert run.status == TaskRun.Status.FAILED
    assert run.message == "row 2: no name"
    assert run.finished_at is not None
    assert not Workspace.objects.filter(slug__startswith="broken-").exists()


def pool_process(run: TaskRun, worker: Worker, attempt: int) -> int:
    """The pid of the pool process running `run` (its `attempt`th try), once it has
    written part of its work (seen from here: its progress is outside its transaction)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status == TaskRun.Status.RUNNING and run.attempts == attempt and run.done >= 2:
            pid = int(run.worker.rpartition(":")[2])
            parent = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
            assert int(parent) == worker.pid, "the job runs in a child of the worker"
            return pid
        assert not run.finished, run.message
        time.sleep(0.05)
    raise AssertionError(f"task run {run.pk} was not seen running its attempt {attempt}")


def task_page(run: TaskRun) -> str:
    assert run.user is not None
    with translation.override("en"):
        response = client_for(run.user).get(f"/tasks/{run.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def start_slow_job(worker: Worker, prefix: str) -> TaskRun:
    """Eight workspaces, one every 0.1 s, in one transaction, for a user who can read
    the task page."""
    with celery_settings(worker.prefix):
        return start(
            worker_jobs.slow_workspaces, kind="test", user=f.user(), prefix=prefix, n=8, pause=0.1
        )


@pytest.mark.django_db(transaction=True)
def test_job_whose_worker_is_killed_runs_again_once_and_succeeds(worker: Worker) -> None:
    run = start_slow_job(worker, "lost")
    os.kill(pool_process(run, worker, attempt=1), signal.SIGKILL)
    run = finished(run)
    assert run.status == TaskRun.Status.DONE, run.message
    assert run.attempts == 2  # the lost one and the one that ended, nothing more
    assert run.result == {"created": 8}
    # The lost attempt's rows were rolled back; the rerun wrote each once.
    assert Workspace.objects.filter(slug__startswith="lost-").count() == 8
    assert "Done" in task_page(run)


@pytest.mark.django_db(transaction=True)
def test_job_killed_past_its_attempts_ends_failed_and_says_why(worker: Worker) -> None:
    run = start_slow_job(worker, "doomed")
    for attempt in range(1, ATTEMPTS + 1):
        os.kill(pool_process(run, worker, attempt), signal.SIGKILL)
    run = finished(run)
    assert run.status == TaskRun.Status.FAILED
    assert run.result["notice"] == {"code": "attempts", "values": {"count": ATTEMPTS}}
    assert run.finished_at is not None
    assert not Workspace.objects.filter(slug__startswith="doomed-").exists()
    page = task_page(run)
    assert "Failed" in page
    assert f"The job stopped {ATTEMPTS} times without finishing" in page


@pytest.mark.django_db(transaction=True)
def test_database_error_is_retried_then_succeeds(worker: Worker, tmp_path: Path) -> None:
    with celery_settings(worker.prefix):
        run = start(
            worker_jobs.database_fails_once,
            kind="test",
            prefix="retried",
            marker=str(tmp_path / "failed-once"),
        )
    run = finished(run)
    assert run.status == TaskRun.Status.DONE, run.message
    assert run.result == {"created": 1}
    assert Workspace.objects.filter(slug__startswith="retried-").count() == 1


def upload(path: Path, user: Any) -> str:
    with path.open("rb") as handle:
        return jobs.save_upload(
            File(handle, name=path.name), "organisations", user, f.owner_workspace()
        )


@pytest.mark.django_db(transaction=True)
def test_import_progress_moves_while_it_writes_and_the_command_queues(
    worker: Worker, settings: Any
) -> None:
    settings.DATA_DIR = worker.data_dir  # where the worker finds the upload
    rows = 2000
    user = member(Role.EDITOR)
    path = write_csv(
        worker.data_dir / "orgs.csv",
        ["external_id", "name_fr"],
        [[f"ORG-{i}", f"Unité {i}"] for i in range(rows)],
    )
    with celery_settings(worker.prefix):
        run = start(
            jobs.import_file,
            kind="import",
            user=user,
            total=rows,
            token=upload(path, user),
            commit=True,
        )
    seen: set[int] = set()
    deadline = time.monotonic() + WAIT_SECONDS
    while not run.finished and time.monotonic() < deadline:
        run.refresh_from_db()  # this test's own connection: only what was committed
        if run.status == TaskRun.Status.RUNNING and run.percent is not None:
            seen.add(run.percent)
            # Read while the import's transaction is open: none of its rows shows yet.
            if 0 < run.percent < 100:
                assert not Organization.objects.filter(external_id="ORG-0").exists()
        time.sleep(0.02)
    run = finished(run)
    assert run.status == TaskRun.Status.DONE, run.message
    assert run.result["counts"]["created"] == rows
    assert Organization.objects.count() == rows
    assert any(0 < percent < 100 for percent in seen), seen

    # The command line queues too, and says so (one transactional test: each costs a flush).
    path = write_csv(worker.data_dir / "few.csv", ["external_id", "name_fr"], [["ORG-Q", "Q"]])
    out, err = io.StringIO(), io.StringIO()
    with celery_settings(worker.prefix), translation.override("en"):
        call_command(
            "import", "organisations", str(path), "--user", user.username, stdout=out, stderr=err
        )
    run = TaskRun.objects.filter(kind="import", user=user).latest("pk")
    assert f"Queued for a worker as task {run.pk} (/tasks/{run.pk}/)." in out.getvalue()
    assert "row 2: created ORG-Q" in out.getvalue()
    assert "Imported." in out.getvalue()
    assert Organization.objects.filter(external_id="ORG-Q").count() == 1
    # --no-wait: it says where to follow the job, and leaves it to the worker.
    out = io.StringIO()
    with celery_settings(worker.prefix), translation.override("en"):
        call_command(
            "import", "organisations", str(path), "--user", user.username, "--no-wait", stdout=out
        )
    run = TaskRun.objects.filter(kind="import", user=user).latest("pk")
    assert out.getvalue() == f"Queued for a worker as task {run.pk} (/tasks/{run.pk}/).\n"
    assert finished(run).result["counts"]["unchanged"] == 1
