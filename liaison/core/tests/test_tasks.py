"""The task interface: a job runs inline by default, reports progress, and records failure."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.tasks import task

from liaison.core.models import TaskRun, Workspace
from liaison.core.tasks import start, tracked

pytestmark = pytest.mark.django_db


@task
def count_to(run_id: int, n: int) -> None:
    with tracked(run_id) as run, transaction.atomic():
        for i in range(n):
            Workspace.objects.create(slug=f"w{i}", name=f"W{i}")
            run.advance(i + 1, n)
        run.set_result(created=n)


@task
def fail_half_way(run_id: int) -> None:
    with tracked(run_id) as run, transaction.atomic():
        Workspace.objects.create(slug="half", name="Half")
        run.advance(1, 2)
        raise ValueError("row 2: no name")


def test_inline_job_runs_and_reports() -> None:
    run = start(count_to, kind="test", label="Counting", n=3)
    assert run.status == TaskRun.Status.DONE
    assert (run.done, run.total, run.percent) == (3, 3, 100)
    assert run.result == {"created": 3}
    assert Workspace.objects.filter(slug__startswith="w").count() == 3


def test_failed_job_rolls_back_its_writes_and_says_why() -> None:
    run = start(fail_half_way, kind="test")
    assert run.status == TaskRun.Status.FAILED
    assert run.message == "row 2: no name"
    assert not Workspace.objects.filter(slug="half").exists()


def test_progress_page_is_the_starters_own(client: Any, django_user_model: Any) -> None:
    owner = django_user_model.objects.create_user("owner", password="x")
    other = django_user_model.objects.create_user("other", password="x")
    run = start(count_to, kind="test", user=owner, label="Counting", n=1)
    client.force_login(other)
    assert client.get(f"/tasks/{run.pk}/").status_code == 404
    client.force_login(owner)
    page = client.get(f"/tasks/{run.pk}/")
    assert page.status_code == 200
    assert "Counting" in page.content.decode()
