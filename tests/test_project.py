"""The project as a whole: migrations, deployment checks, the command, reference data,
history and audit fields, and the first pages."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import AbstractUser
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from liaison.core.context import acting_as
from liaison.geo.models import Country, Subdivision
from tests import factories as f

LIAISON = Path(sys.executable).parent / "liaison"


def _production_env(data_dir: Path) -> dict[str, str]:
    """The environment of a production run: production settings, no DEBUG, a real key,
    a private data folder and its SQLite database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DATABASE_URL"} and not key.startswith(("LIAISON_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="liaison.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        LIAISON_DATA_DIR=str(data_dir),
    )
    return env


def _liaison(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LIAISON), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db
def test_no_migration_is_missing() -> None:
    # --check makes makemigrations exit with status 1 when a migration is missing.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_deploy_check_passes_with_production_settings(tmp_path: Path) -> None:
    result = _liaison(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_liaison_command_runs_a_shell(tmp_path: Path) -> None:
    """`liaison` is manage.py. (Migrating a new database is left to the test database
    setup, which runs every migration: doing it again here would double the run time.)"""
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    shell = _liaison(env, "shell", "-v0", "-c", "print(1+1)")
    assert shell.returncode == 0, shell.stdout + shell.stderr
    assert shell.stdout.strip() == "2"
    # Without SECRET_KEY, a key is made once and kept private in the data folder.
    key_file = tmp_path / "secret_key"
    assert len(key_file.read_text().strip()) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db
def test_countries_and_subdivisions_are_loaded() -> None:
    assert Country.objects.count() >= 249
    mali = Country.objects.get(alpha2="ML")
    assert (mali.alpha3, mali.name_en, mali.name_fr) == ("MLI", "Mali", "Mali")
    assert Country.objects.get(alpha2="FR").name_fr == "France"
    # The French catalogue is used, not the English name again.
    assert Country.objects.get(alpha2="DE").name_fr == "Allemagne"
    bamako = Subdivision.objects.get(code="ML-BKO")
    assert bamako.name == "Bamako"
    assert bamako.country == mali
    assert mali.subdivisions.count() >= 9


@pytest.mark.django_db
def test_each_save_is_a_new_version_with_its_history_row() -> None:
    org = f.organization(name_fr="Direction de la justice militaire")
    assert org.version == 1
    org.acronym_fr = "DJM"
    org.save()
    org.refresh_from_db()
    assert org.version == 2
    history = list(org.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert [h.version for h in history] == [1, 2]
    assert [h.acronym_fr for h in history] == ["", "DJM"]


@pytest.mark.django_db
def test_created_and_updated_by_come_from_the_actor() -> None:
    author, editor = f.user(), f.user()
    with acting_as(author):
        org = f.organization()
    with acting_as(editor):
        org.description = "Corrigé"
        org.save()
    org.refresh_from_db()
    assert (org.created_by, org.updated_by) == (author, editor)
    assert [h.history_user for h in org.history.order_by("history_date")] == [author, editor]


@pytest.mark.django_db
def test_nobody_acting_leaves_the_authors_empty() -> None:
    org = f.organization()
    assert (org.created_by, org.updated_by) == (None, None)
    assert org.history.get().history_user is None


@pytest.mark.django_db
def test_healthz_answers_json(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["status"] == "ok"


@pytest.mark.django_db
def test_login_page_answers(client: Client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


@pytest.mark.django_db
def test_home_sends_anonymous_users_to_the_login_page(client: Client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


@pytest.mark.django_db
def test_an_authenticated_user_sees_the_home_page(client: Client) -> None:
    user: AbstractUser = f.user(username="analyste")
    f.membership(user=user, workspace=f.owner_workspace())
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.resolver_match.url_name == "home"
    assert "analyste" in response.content.decode()


def test_serve_says_ready_only_once_it_accepts_connections(tmp_path: Path) -> None:
    """`make run` prints its banner from `liaison serve`: when the line appears, a request
    is answered (the banner used to print before the server started). Run as `make run`
    runs it, under the autoreloader, whose serving thread must speak English too."""
    import signal
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = _production_env(tmp_path) | {"LIAISON_HTTPS": "0", "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(
        [str(LIAISON), "serve", f"127.0.0.1:{port}", "--skip-checks"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # the reloader's child goes with its parent's group
    )
    try:
        assert server.stdout is not None
        seen = []
        for line in server.stdout:
            seen.append(line)
            if "Liaison is ready on" in line or "Liaison est prêt" in line:
                break
        assert f"Liaison is ready on http://127.0.0.1:{port}/" in "".join(seen), seen
        # Accepted at once: the socket is bound and listening when the line is printed.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as answer:
            assert answer.status == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_command_line_speaks_english_unless_told_otherwise(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    english = _liaison(
        env,
        "shell",
        "-v0",
        "-c",
        "from django.utils.translation import gettext as _; print(_('French'))",
    )
    assert english.stdout.strip() == "French", english.stderr
    env["LIAISON_CONSOLE_LANGUAGE"] = "fr"
    french = _liaison(
        env,
        "shell",
        "-v0",
        "-c",
        "from django.utils.translation import gettext as _; print(_('French'))",
    )
    assert french.stdout.strip() == "Français", french.stderr
