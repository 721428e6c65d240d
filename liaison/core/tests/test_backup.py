"""Backup and restore (`liaison backup`, `liaison restore`): the demo goes out and comes
back into an empty database with the same content checksum."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import translation
from pytest_django import DjangoDbBlocker

from liaison.core.backup import (
    BackupError,
    archive_checksum,
    backup_models,
    database_checksum,
    restore_backup,
    write_backup,
)
from liaison.core.models import Source, Workspace
from liaison.demo.loader import load_demo
from liaison.partners.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """Messages are matched in English."""
    with translation.override("en"):
        yield


def wipe() -> None:
    """Empty every table, as a database straight after `migrate` and a flush would be."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in reversed(backup_models()):
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")
    ContentType.objects.clear_cache()


@pytest.fixture(scope="module")
def demo_archive(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[tuple[bytes, str]]:
    """The demo (with one source file) backed up: (archive bytes, manifest checksum).
    Everything is rolled back after the module; each test sees the demo loaded."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        source = Source.objects.order_by("pk").first()
        assert source is not None
        source.file.save("sources/2025/note.txt", ContentFile(b"le texte source"), save=True)
        buffer = io.BytesIO()
        manifest = write_backup(buffer)
        yield buffer.getvalue(), manifest["checksum"]
        transaction.set_rollback(True)


def test_the_archive_holds_every_table_and_the_files(demo_archive: tuple[bytes, str]) -> None:
    data, checksum = demo_archive
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = set(archive.namelist())
    labels = {t["label"] for t in manifest["tables"]}
    for label in (
        "auth.user",
        "core.workspace",
        "core.membership",
        "core.marking",
        "core.citation",
        "core.auditlink",
        "partners.historicalorganization",
        "activities.activity_released_to",
    ):
        assert label in labels
    users = next(t for t in manifest["tables"] if t["label"] == "auth.user")
    assert users["rows"] >= 11
    assert any(n.startswith("media/sources/") and "note" in n for n in names)
    # The checksum is recomputed from the content, and matches the manifest's.
    assert archive_checksum(io.BytesIO(data))[0] == checksum
    assert database_checksum() == checksum


def test_restore_into_an_empty_database_gives_the_same_checksum(
    demo_archive: tuple[bytes, str],
) -> None:
    data, checksum = demo_archive
    organizations = Organization.objects.count()
    wipe()
    assert not Workspace.objects.exists()
    report = restore_backup(io.BytesIO(data))
    assert report.checksum == checksum
    assert Organization.objects.count() == organizations
    assert Source.objects.exclude(file="").get().file.read() == b"le texte source"
    again = io.BytesIO()
    assert write_backup(again)["checksum"] == checksum
    # The audit chain survives the journey.
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)


def test_restore_refuses_a_database_that_is_not_empty(demo_archive: tuple[bytes, str]) -> None:
    data, _checksum = demo_archive
    before = Organization.objects.count()
    with pytest.raises(BackupError, match=r"not empty.*core\.workspace"):
        restore_backup(io.BytesIO(data))
    assert Organization.objects.count() == before


def test_a_damaged_archive_restores_nothing(demo_archive: tuple[bytes, str]) -> None:
    data, checksum = demo_archive
    damaged = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(damaged, "w") as target,
    ):
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "data/partners.organization.jsonl":
                content = content.replace("Haïdara".encode(), b"Haidara").replace(
                    b"Mali", b"Maly", 1
                )
            target.writestr(item, content)
    assert archive_checksum(io.BytesIO(damaged.getvalue()))[0] != checksum
    wipe()
    with pytest.raises(BackupError, match=r"partners\.organization"):
        restore_backup(io.BytesIO(damaged.getvalue()))
    assert not Organization.objects.exists()
    assert not Workspace.objects.exists()


def test_the_commands(demo_archive: tuple[bytes, str], tmp_path: Path) -> None:
    _data, checksum = demo_archive
    path = tmp_path / "backup.zip"
    out = io.StringIO()
    call_command("backup", str(path), stdout=out, stderr=io.StringIO())
    assert out.getvalue().strip() == checksum
    out = io.StringIO()
    call_command("backup", str(path), "--checksum", stdout=out)
    assert out.getvalue().strip() == checksum
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    (tmp_path / "other.zip").write_bytes(b"not a zip")
    with pytest.raises(CommandError):
        call_command("backup", str(tmp_path / "other.zip"), "--checksum", stdout=io.StringIO())


@pytest.mark.postgres
def test_postgresql_to_sqlite_and_back_keeps_the_checksum(
    demo_archive: tuple[bytes, str], tmp_path: Path
) -> None:
    """The PostgreSQL backup restored into a new SQLite database (another process)
    backs up with the same checksum."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    data, checksum = demo_archive
    archive = tmp_path / "from-postgres.zip"
    archive.write_bytes(data)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        "LIAISON_DATA_DIR": str(tmp_path / "data"),
        # Files on disk: the test settings keep them in memory, which a process loses.
        "DJANGO_SETTINGS_MODULE": "liaison.settings",
    }
    command = [sys.executable, "-m", "liaison"]
    restored = subprocess.run(
        [*command, "restore", str(archive)], env=env, capture_output=True, text=True, check=False
    )
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.strip() == checksum
    again = subprocess.run(
        [*command, "backup", str(tmp_path / "from-sqlite.zip")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == checksum
