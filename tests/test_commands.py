"""The administration commands used by scripts: workspace, user, token."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from liaison.core.models import Membership, Workspace


def run(*args: str, stdin: str | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> str:
    out = io.StringIO()
    if stdin is not None and monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_workspace_create_and_refuse_duplicate() -> None:
    run("workspace", "create", "Mission de coopération de défense")
    workspace = Workspace.objects.get()
    assert workspace.slug == "mission-de-cooperation-de-defense"
    with pytest.raises(CommandError):
        run("workspace", "create", "Mission de coopération de défense")
    assert Workspace.objects.count() == 1


@pytest.mark.django_db
def test_user_create_with_password_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    run("workspace", "create", "OSC Mali", "--slug", "osc-mali")
    run(
        "user", "create", "analyst", "--workspace", "osc-mali", "--role", "vetting_officer",
        "--password-stdin", stdin="a long enough passphrase\n", monkeypatch=monkeypatch,
    )  # fmt: skip
    user = get_user_model().objects.get(username="analyst")
    assert user.check_password("a long enough passphrase")
    membership = Membership.objects.get(user=user)
    assert (membership.workspace.slug, membership.role) == ("osc-mali", "vetting_officer")


@pytest.mark.django_db
def test_user_create_refuses_weak_password_and_unknown_workspace(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run("workspace", "create", "Mission")
    with pytest.raises(CommandError):
        run(
            "user", "create", "weak", "--workspace", "mission", "--role", "viewer",
            "--password-stdin", stdin="123\n", monkeypatch=monkeypatch,
        )  # fmt: skip
    with pytest.raises(CommandError):
        run("user", "create", "lost", "--workspace", "nowhere", "--role", "viewer")
    assert not get_user_model().objects.filter(username__in=["weak", "lost"]).exists()


@pytest.mark.django_db
def test_user_grant_changes_the_role() -> None:
    run("workspace", "create", "Mission")
    run("user", "create", "officer", "--workspace", "mission", "--role", "viewer")
    run("user", "grant", "officer", "--workspace", "mission", "--role", "editor")
    assert Membership.objects.get(user__username="officer").role == "editor"


@pytest.mark.django_db
def test_token_create_prints_a_working_token() -> None:
    run("workspace", "create", "Mission")
    run("user", "create", "robot", "--workspace", "mission", "--role", "viewer")
    first = run("token", "create", "robot").strip()
    second = run("token", "create", "robot").strip()
    assert len(second) == 40
    assert first != second
    assert Token.objects.get(user__username="robot").key == second
    with pytest.raises(CommandError):
        run("token", "create", "nobody")
