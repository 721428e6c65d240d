"""What keeps a background job's run truthful when its worker is lost, without a worker:
`claim` (a job runs once, never after it ended, at most LIAISON_TASK_ATTEMPTS times),
`settle_stale` (a silent run is requeued or failed, saying why, when its page is read),
what the broker is asked, and the command line saying where an import runs. The same
with a real worker that gets killed: test_celery_worker."""

from __future__ import annotations

import io
import json
import os
import subprocess
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, OperationalError
from django.tasks import task
from django.test import override_settings
from django.utils import timezone, translation

from liaison.core import celery_backend, tasks
from liaison.core.choices import Role
from liaison.core.imports.engine import Report
from liaison.core.models import TaskRun
from liaison.core.tasks import tracked
from liaison.core.tests.importing import do_import, write_csv
from liaison.core.tests.pages import client_for, member
from liaison.intake import services
from liaison.intake.models import DocumentStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

BROKER_URL = os.environ.get("LIAISON_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def running(ago: int, worker: str = "elsewhere:1", attempts: int = 1, **fields: Any) -> TaskRun:
    """A run a worker took, whose last sign of life was `ago` seconds ago."""
    return TaskRun.objects.create(
        kind="import",
        status=TaskRun.Status.RUNNING,
        heartbeat_at=timezone.now() - timedelta(seconds=ago),
        worker=worker,
        attempts=attempts,
        **fields,
    )


def dead_pid() -> int:
    """The pid of a process of this machine that has ended."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


# --- claim -------------------------------------------------------------------------------


def test_claim_takes_a_queued_run_once() -> None:
    run = TaskRun.objects.create(kind="import")
    assert tasks.claim(run.pk)
    run.refresh_from_db()
    assert (run.status, run.attempts, run.worker) == (
        TaskRun.Status.RUNNING,
        1,
        tasks.worker_name(),
    )
    assert run.heartbeat_at is not None


@pytest.mark.parametrize("status", [TaskRun.Status.DONE, TaskRun.Status.FAILED])
def test_claim_never_runs_a_finished_run_again(status: str) -> None:
    run = TaskRun.objects.create(kind="import", status=status, attempts=1, message="as it was")
    assert not tasks.claim(run.pk)
    run.refresh_from_db()
    assert (run.status, run.attempts, run.message) == (status, 1, "as it was")


def test_claim_leaves_a_run_that_a_live_worker_runs() -> None:
    run = running(ago=5, worker="another-machine:4242")
    assert not tasks.claim(run.pk)
    run.refresh_from_db()
    assert run.attempts == 1


def test_claim_takes_over_a_run_whose_process_died_here_or_fell_silent() -> None:
    import socket

    lost_here = running(ago=5, worker=f"{socket.gethostname()}:{dead_pid()}")
    silent = running(ago=3600, worker="another-machine:4242")
    for run in (lost_here, silent):
        assert tasks.claim(run.pk)
        run.refresh_from_db()
        assert (run.attempts, run.worker) == (2, tasks.worker_name())


@override_settings(LIAISON_TASK_ATTEMPTS=3)
def test_claim_fails_a_run_lost_too_often_saying_why() -> None:
    lost_thrice = running(ago=3600, attempts=3)
    # Tries after a database error (retries) are not lost attempts.
    retried = running(ago=3600, attempts=3)
    assert tasks.claim(retried.pk, retries=1)
    assert not tasks.claim(lost_thrice.pk)
    lost_thrice.refresh_from_db()
    assert lost_thrice.status == TaskRun.Status.FAILED
    assert lost_thrice.message.startswith("The job stopped 3 times without finishing")
    assert lost_thrice.finished_at is not None


def test_retry_delay_doubles_up_to_ten_minutes(settings: Any) -> None:
    settings.LIAISON_TASK_RETRY_SECONDS = 10
    assert [tasks.retry_delay(n) for n in range(8)] == [10, 20, 40, 80, 160, 320, 600, 600]


def test_will_retry_shows_the_reason_and_the_wait() -> None:
    from django.db import OperationalError

    run = running(ago=0)
    tasks.will_retry(run.pk, OperationalError("connection refused"), 20)
    run.refresh_from_db()
    assert run.status == TaskRun.Status.QUEUED
    assert run.message == (
        "The database could not be reached (connection refused). The job will try again in 20 s."
    )
    assert run.result["notice"] == {
        "code": "retry",
        "values": {"error": "connection refused", "seconds": 20},
    }


@task
def database_down(run_id: int) -> None:
    with tracked(run_id):
        raise OperationalError("the database system is starting up")


def test_a_database_error_fails_a_job_only_once_no_try_remains(settings: Any) -> None:
    settings.LIAISON_TASK_RETRIES = 1
    run = TaskRun.objects.create(kind="test")
    with tasks.in_worker(retries=0), pytest.raises(OperationalError):
        database_down.call(run.pk)
    run.refresh_from_db()
    assert run.status == TaskRun.Status.QUEUED  # the worker queues it again (will_retry)
    with tasks.in_worker(retries=1), pytest.raises(OperationalError):
        database_down.call(run.pk)
    run.refresh_from_db()
    assert run.status == TaskRun.Status.FAILED
    assert run.message == "The database could not be reached (the database system is starting up)."
    assert run.result["notice"]["code"] == "database"


# --- runs whose worker fell silent ---------------------------------------------------


def test_task_page_fails_a_silent_run_the_broker_no_longer_holds(settings: Any) -> None:
    settings.LIAISON_TASK_STALE_SECONDS = 120
    user: Any = f.user()
    silent = running(ago=600, user=user)
    alive = running(ago=5, user=user)
    inline = TaskRun.objects.create(kind="import", status=TaskRun.Status.RUNNING, user=user)
    page = client_for(user).get(f"/tasks/{silent.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    silent.refresh_from_db()
    assert silent.status == TaskRun.Status.FAILED
    assert silent.finished_at is not None
    assert silent.message.startswith("Its worker stopped at about ")
    assert "will not run again" in silent.message
    assert silent.message in page.content.decode()
    assert "Failed" in page.content.decode()
    # A run with a recent sign of life, and one running inline (no heartbeat), go on.
    for run in (alive, inline):
        client_for(user).get(f"/tasks/{run.pk}/")
        run.refresh_from_db()
        assert run.status == TaskRun.Status.RUNNING
        assert run.message == ""


def test_a_worker_starting_settles_the_runs_a_dead_worker_left() -> None:
    from celery.signals import worker_ready

    import liaison.celery_app  # noqa: F401 (what connects the worker's handler)

    silent = running(ago=3600)
    worker_ready.send(sender=None)  # as `celery worker` does once it is ready
    silent.refresh_from_db()
    assert silent.status == TaskRun.Status.FAILED
    assert silent.result["notice"]["code"] == "lost"


def test_each_reader_reads_the_notice_in_their_language() -> None:
    user = f.user()
    silent = running(ago=3600, user=user)
    assert tasks.settle_stale() == 1  # as a worker starting would, in English
    silent.refresh_from_db()
    assert silent.message.startswith("Its worker stopped at about ")
    with translation.override("fr"):
        page = client_for(user).get(f"/tasks/{silent.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Le processus qui l&#x27;exécutait s&#x27;est arrêté vers " in page.content.decode()
    assert "Its worker stopped" not in page.content.decode()


@pytest.mark.parametrize(
    ("held", "status", "start"),
    [
        ("waiting", TaskRun.Status.QUEUED, "Its worker stopped at about "),
        ("taken", TaskRun.Status.RUNNING, "No sign of life from its worker since "),
    ],
)
def test_a_silent_run_whose_job_the_broker_holds_waits_for_it(
    monkeypatch: pytest.MonkeyPatch, settings: Any, held: str, status: str, start: str
) -> None:
    settings.LIAISON_BROKER_URL = "redis://broker.invalid:6379/0"
    run = running(ago=3600)
    holding = {"waiting": ({run.pk}, set()), "taken": (set(), {run.pk})}[held]
    monkeypatch.setattr(celery_backend, "held_run_ids", lambda: holding)
    assert tasks.settle_stale() == 1
    run.refresh_from_db()
    assert run.status == status
    assert run.finished_at is None
    assert run.message.startswith(start)


def test_nothing_changes_when_the_broker_cannot_tell(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.LIAISON_BROKER_URL = "redis://broker.invalid:6379/0"
    run = running(ago=3600)
    monkeypatch.setattr(celery_backend, "held_run_ids", lambda: None)
    assert tasks.settle_stale() == 0
    run.refresh_from_db()
    assert run.status == TaskRun.Status.RUNNING


def redis_client() -> Any:
    import redis

    client = redis.Redis.from_url(BROKER_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not reachable at {BROKER_URL}: start redis-server")
    return client


def test_the_broker_tells_which_runs_it_holds() -> None:
    """Read from Redis as kombu writes it: a message sent by the backend waits in its
    queue; one handed out sits in the `unacked` hash with its queue's name."""
    from liaison.core.tests import worker_jobs

    client = redis_client()
    prefix = f"liaison-test-{uuid.uuid4().hex[:12]}-"
    queue = f"{prefix}default"
    backend = {"BACKEND": "liaison.core.celery_backend.CeleryBackend"}
    tasks_setting = {"default": {**backend, "OPTIONS": {"QUEUE_PREFIX": prefix}}}
    tags = [f"test-{uuid.uuid4().hex}", f"test-{uuid.uuid4().hex}"]
    try:
        with override_settings(LIAISON_BROKER_URL=BROKER_URL, TASKS=tasks_setting):
            worker_jobs.create_workspaces.enqueue(41, prefix="x", n=1)
            waiting_message = json.loads(client.lindex(queue, 0))
            # As a worker takes it: out of the list, into the hash (with its queue).
            client.delete(queue)
            client.hset(
                celery_backend.UNACKED_KEY, tags[0], json.dumps([waiting_message, "", queue])
            )
            other = json.loads(json.dumps(waiting_message))
            client.hset(
                celery_backend.UNACKED_KEY, tags[1], json.dumps([other, "", "another-default"])
            )
            worker_jobs.create_workspaces.enqueue(42, prefix="y", n=1)
            assert celery_backend.held_run_ids() == ({42}, {41})
    finally:
        client.delete(queue)
        client.hdel(celery_backend.UNACKED_KEY, *tags)


def test_the_broker_unreachable_tells_nothing(settings: Any) -> None:
    settings.LIAISON_BROKER_URL = "redis://127.0.0.1:1/0"
    assert celery_backend.held_run_ids() is None


# --- progress and reruns -----------------------------------------------------------------


def test_progress_goes_through_the_second_connection_in_a_worker_only() -> None:
    from django.db import connection

    assert tasks._report_db() == DEFAULT_DB_ALIAS
    with tasks.in_worker():
        # SQLite has one writer: the second connection would wait for the job's lock.
        expected = DEFAULT_DB_ALIAS if connection.vendor == "sqlite" else tasks.PROGRESS_DB
        assert tasks._report_db() == expected
    assert tasks._report_db() == DEFAULT_DB_ALIAS


def test_intake_read_again_reads_only_what_it_had_not_read() -> None:
    user = member(Role.EDITOR)
    queued = services.queue_documents(
        [services.Upload("note.txt", "Le colonel Jean Dupont a visité Bamako.".encode())],
        user=user,
        workspace=f.owner_workspace(),
    )
    document = queued.documents[0]
    document.refresh_from_db()
    assert document.status in (DocumentStatus.READY, DocumentStatus.REVIEWED)
    proposals = document.proposals.count()
    processed_at = document.processed_at
    assert services.read_documents([document.pk], user=user) == (1, 0)
    document.refresh_from_db()
    assert document.proposals.count() == proposals
    assert document.processed_at == processed_at


# --- the command line ----------------------------------------------------------------


def test_import_command_says_it_runs_here_without_workers(tmp_path: Path, settings: Any) -> None:
    settings.LIAISON_BROKER_URL = ""
    user = member(Role.EDITOR)
    path = write_csv(tmp_path / "o.csv", ["external_id", "name_fr"], [["O-1", "Unité"]])
    out = io.StringIO()
    call_command("import", "organisations", str(path), "--user", user.username, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Runs here (no worker is configured)."
    assert "row 2: created O-1" in lines
    assert not TaskRun.objects.exists()


def test_a_report_read_back_says_the_same(tmp_path: Path) -> None:
    user = member(Role.EDITOR)
    path = write_csv(
        tmp_path / "o.csv", ["external_id", "name_fr"], [["O-1", "Unité"], ["O-2", ""]]
    )
    report = do_import("organisations", path, user)
    assert not report.ok
    again = Report.from_dict(json.loads(json.dumps(report.as_dict())))
    assert list(again.lines()) == list(report.lines())
    assert again.counts == report.counts
