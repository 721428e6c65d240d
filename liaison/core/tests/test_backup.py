"""Backup and restore (`liaison backup`, `liaison restore`): the demo goes out and comes
back into an empty database with the same content checksum."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import translation
from pytest_django import DjangoDbBlocker

from liaison.core.backup import (
    BackupError,
    TableSum,
    archive_checksum,
    backup_models,
    content_checksum,
    database_checksum,
    restore_backup,
    write_backup,
)
from liaison.core.models import AuditLink, Source, Workspace
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


# --- Attacks on restore (issue 17): each refused in one line, nothing written ----------


def rebuild(
    data: bytes,
    manifest_change: Callable[[dict[str, Any]], None] | None = None,
    members: Callable[[dict[str, bytes]], None] | None = None,
    resum: bool = False,
) -> bytes:
    """The archive rewritten: its manifest and members changed; with `resum`, the
    manifest's overall checksum recomputed as a careful forger would."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        content = {item.filename: source.read(item) for item in source.infolist()}
    manifest = json.loads(content.pop("manifest.json"))
    if manifest_change:
        manifest_change(manifest)
    if resum:
        manifest["checksum"] = content_checksum(
            {t["label"]: t["checksum"] for t in manifest["tables"]}, manifest["files"]
        )
    if members:
        members(content)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, value in content.items():
            target.writestr(name, value)
        target.writestr("manifest.json", json.dumps(manifest))
    return out.getvalue()


def refused(archive: bytes, tmp_path: Path) -> str:
    """`liaison restore` of the archive into the emptied database: refused with a
    one-line message, and nothing written (no row, no file). Returns the message."""
    wipe()
    stored = source_file(archive)
    if default_storage.exists(stored):
        default_storage.delete(stored)
    path = tmp_path / "attack.zip"
    path.write_bytes(archive)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as refusal:
        call_command("restore", str(path), stdout=out, stderr=err)
    message = str(refusal.value)
    assert message
    assert "\n" not in message.strip()
    assert "Traceback" not in message
    assert out.getvalue() == ""
    assert not Workspace.objects.exists()
    assert not Organization.objects.exists()
    assert not AuditLink.objects.exists()
    assert not default_storage.exists(stored)
    return message


def source_file(archive: bytes) -> str:
    """The name of the demo archive's one file (the storage chose it)."""
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        names = [n for n in opened.namelist() if n.startswith("media/") and "note" in n]
    assert len(names) == 1
    return names[0].removeprefix("media/")


def drop_table(label: str) -> Callable[[dict[str, Any]], None]:
    def change(manifest: dict[str, Any]) -> None:
        manifest["tables"] = [t for t in manifest["tables"] if t["label"] != label]

    return change


def test_restore_refuses_an_archive_with_a_table_removed(
    demo_archive: tuple[bytes, str], tmp_path: Path
) -> None:
    """The table's data and its manifest entry removed, the overall checksum recomputed:
    the schema expects the table, so the archive is refused."""
    data, _checksum = demo_archive

    def without(members: dict[str, bytes]) -> None:
        del members["data/core.auditlink.jsonl"]

    archive = rebuild(data, drop_table("core.auditlink"), without, resum=True)
    message = refused(archive, tmp_path)
    assert "core.auditlink" in message
    assert "missing" in message


def test_restore_refuses_an_archive_with_an_extra_table(
    demo_archive: tuple[bytes, str], tmp_path: Path
) -> None:
    data, _checksum = demo_archive

    def extra(manifest: dict[str, Any]) -> None:
        manifest["tables"].append(
            {
                "label": "core.smuggled",
                "table": "x",
                "columns": ["id"],
                "rows": 0,
                "checksum": TableSum().checksum,
            }
        )

    def member(members: dict[str, bytes]) -> None:
        members["data/core.smuggled.jsonl"] = b""

    assert "core.smuggled" in refused(rebuild(data, extra, member, resum=True), tmp_path)


def test_restore_checks_the_manifest_checksum(
    demo_archive: tuple[bytes, str], tmp_path: Path
) -> None:
    data, _checksum = demo_archive

    def edit(manifest: dict[str, Any]) -> None:
        manifest["checksum"] = "f" * 64

    message = refused(rebuild(data, edit), tmp_path)
    assert "checksum" in message


def test_restore_of_flipped_bytes_is_refused_in_one_line(
    demo_archive: tuple[bytes, str], tmp_path: Path
) -> None:
    data, _checksum = demo_archive
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        item = archive.getinfo("data/partners.organization.jsonl")
    # The member's compressed bytes start after its local header (30 bytes, its name
    # and its extra field).
    start = item.header_offset + 30 + len(item.filename.encode()) + len(item.extra)
    damaged = bytearray(data)
    for offset in range(start + 20, start + 60):
        damaged[offset] ^= 0xFF
    refused(bytes(damaged), tmp_path)


@pytest.mark.parametrize("name", ["../escaped.txt", "/tmp/absolute.txt", "sources/../../up.txt"])
def test_restore_refuses_file_names_outside_the_storage(
    demo_archive: tuple[bytes, str], tmp_path: Path, name: str
) -> None:
    data, _checksum = demo_archive
    digest = hashlib.sha256(b"payload").hexdigest()

    def add_file(manifest: dict[str, Any]) -> None:
        manifest["files"][name] = digest

    def add_member(members: dict[str, bytes]) -> None:
        members[f"media/{name}"] = b"payload"

    message = refused(rebuild(data, add_file, add_member, resum=True), tmp_path)
    assert name in message


@pytest.mark.parametrize(
    "change",
    [
        {"tables": "x"},
        {"tables": ["x"]},
        {"tables": [{"label": 3}]},
        {"files": "x"},
        {"files": {"a.txt": 5}},
        {"migrations": "x"},
        {"checksum": None},
    ],
    ids=[
        "tables-text",
        "table-text",
        "label-number",
        "files-text",
        "file-sum",
        "migrations",
        "checksum",
    ],
)
def test_restore_refuses_a_malformed_manifest_in_one_line(
    demo_archive: tuple[bytes, str], tmp_path: Path, change: dict[str, Any]
) -> None:
    data, _checksum = demo_archive
    refused(rebuild(data, lambda manifest: manifest.update(change)), tmp_path)


def test_restore_refuses_a_manifest_that_is_not_an_object(
    demo_archive: tuple[bytes, str], tmp_path: Path
) -> None:
    data, _checksum = demo_archive
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename != "manifest.json":
                target.writestr(item, source.read(item))
        target.writestr("manifest.json", "[1, 2]")
    refused(out.getvalue(), tmp_path)


def test_restore_caps_the_total_size(
    demo_archive: tuple[bytes, str], tmp_path: Path, settings: Any
) -> None:
    data, _checksum = demo_archive
    settings.LIAISON_RESTORE_MAX_BYTES = 100_000
    assert "MB" in refused(data, tmp_path) or "bytes" in refused(data, tmp_path)


def test_restore_caps_a_member_size(
    demo_archive: tuple[bytes, str], tmp_path: Path, settings: Any
) -> None:
    data, _checksum = demo_archive
    settings.LIAISON_RESTORE_MAX_MEMBER_BYTES = 50_000
    assert "data/" in refused(data, tmp_path)


def test_restore_caps_the_compression_ratio(
    demo_archive: tuple[bytes, str], tmp_path: Path
) -> None:
    """A decompression bomb: a file of 50 MB of zeros (a few kilobytes compressed)."""
    data, _checksum = demo_archive
    bomb = b"\0" * (50 << 20)
    digest = hashlib.sha256(bomb).hexdigest()

    def add_file(manifest: dict[str, Any]) -> None:
        manifest["files"]["sources/bomb.bin"] = digest

    def add_member(members: dict[str, bytes]) -> None:
        members["media/sources/bomb.bin"] = bomb

    message = refused(rebuild(data, add_file, add_member, resum=True), tmp_path)
    assert "media/sources/bomb.bin" in message
    assert not default_storage.exists("sources/bomb.bin")


def test_restore_caps_the_rows(
    demo_archive: tuple[bytes, str], tmp_path: Path, settings: Any
) -> None:
    data, _checksum = demo_archive
    settings.LIAISON_RESTORE_MAX_ROWS = 100
    assert "rows" in refused(data, tmp_path)


def test_restore_refuses_a_file_whose_content_differs(
    demo_archive: tuple[bytes, str], tmp_path: Path
) -> None:
    data, _checksum = demo_archive

    name = source_file(data)

    def swap(members: dict[str, bytes]) -> None:
        members[f"media/{name}"] = b"another text"

    message = refused(rebuild(data, members=swap), tmp_path)
    assert name in message
    assert "differs" in message
