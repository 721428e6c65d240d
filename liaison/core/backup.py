"""Backup and restore of a whole installation, from one database engine to another.

An archive is a zip file:

- `manifest.json`: format and version, when and from which database engine it was
  written, the migrations applied, and per table its model, columns, row count and
  content checksum; the files with their SHA-256; the archive's content checksum.
- `data/<app_label.model>.jsonl`: one JSON array per row (in the manifest's column
  order), rows ordered by primary key, tables in dependency order (a table comes after
  those it points to).
- `media/<name>`: every file a file field names (sources, agreements' texts...).

Values are normalised so that the same content gives the same bytes whichever database
it came from: datetimes in UTC ISO 8601, dates ISO, decimals with their field's decimal
places, JSON with sorted keys, booleans as JSON booleans. The content checksum is the
SHA-256 of the tables' and files' checksums, in name order: it does not depend on the
engine, the zip's compression or the time of the backup.

A restore writes into an empty database (only what `migrate` itself fills may be there:
content types, permissions, countries, default markings; those are replaced by the
archive's, with their primary keys), in one transaction, keeping every primary key;
PostgreSQL's sequences are then reset. Before the commit it reads everything back and
compares counts and checksums with the manifest: any difference and nothing is kept.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "liaison-backup"
VERSION = 1
BATCH = 1000

# Tables left out: sessions are ephemeral and tied to the server that issued them.
SKIPPED = frozenset({"sessions.session"})

# Tables that `migrate` fills by itself: an empty database may hold them; a restore
# replaces their rows by the archive's.
SEEDED = frozenset(
    {
        "contenttypes.contenttype",
        "auth.permission",
        "geo.country",
        "geo.subdivision",
        "core.marking",
    }
)


class BackupError(Exception):
    """An archive that cannot be read or restored, or a database that cannot take it."""


Progress = Callable[[str], None]


def _nothing(message: str) -> None:
    return None


# --- Which tables, in which order -------------------------------------------------


def backup_models() -> list[type[models.Model]]:
    """Every table Django manages (many-to-many tables included), each after the tables
    its foreign keys point to (links of a table to itself aside)."""
    candidates = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.label_lower not in SKIPPED
    ]
    by_label = {m._meta.label_lower: m for m in sorted(candidates, key=lambda m: m._meta.label)}
    ordered: list[type[models.Model]] = []
    done: set[str] = set()

    def visit(label: str, path: tuple[str, ...]) -> None:
        if label in done or label in path:
            return
        model = by_label[label]
        for f in model._meta.concrete_fields:
            target = getattr(f, "related_model", None)
            if f.is_relation and target is not None and not isinstance(target, str):
                target_label = target._meta.label_lower
                if target_label != label and target_label in by_label:
                    visit(target_label, (*path, label))
        done.add(label)
        ordered.append(model)

    for label in by_label:
        visit(label, ())
    return ordered


def _fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.concrete_fields)


# --- Normalised values ---------------------------------------------------------------


def normalise(f: models.Field[Any, Any], value: Any) -> Any:
    """A value as the archive holds it: the same whatever the database engine."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, dt.UTC)
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        places = getattr(f, "decimal_places", None)
        if places is not None:
            value = value.quantize(decimal.Decimal(1).scaleb(-places))
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(f, models.JSONField):
        # Keys sorted (PostgreSQL's jsonb reorders them), numbers and strings as they are.
        return json.loads(json.dumps(value, sort_keys=True))
    return value


def denormalise(f: models.Field[Any, Any], value: Any) -> Any:
    """The Python value a field takes from an archive's value."""
    if value is None:
        return None
    internal = f.get_internal_type()
    if internal == "DateTimeField":
        return dt.datetime.fromisoformat(value)
    if internal == "DateField":
        return dt.date.fromisoformat(value)
    if internal == "TimeField":
        return dt.time.fromisoformat(value)
    if internal == "DecimalField":
        return decimal.Decimal(value)
    if internal == "BinaryField":
        return bytes.fromhex(value)
    if internal == "UUIDField":
        return uuid.UUID(value)
    return value


def _line(row: list[Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _pk_key(value: Any) -> tuple[int, Any]:
    return (0, value) if isinstance(value, int) else (1, str(value))


def table_rows(model: type[models.Model]) -> Iterator[list[Any]]:
    """The rows of a table, normalised, ordered by primary key."""
    fields = _fields(model)
    names = [f.attname for f in fields]
    pk = model._meta.pk
    assert pk is not None
    queryset = model._base_manager.order_by("pk").values_list(*names)
    if pk.get_internal_type() in {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField"}:
        rows: Iterable[tuple[Any, ...]] = queryset.iterator(chunk_size=BATCH)
    else:  # text keys: the engines' collations differ, Python's order does not
        index = names.index(pk.attname)
        rows = sorted(queryset, key=lambda r: _pk_key(r[index]))
    for row in rows:
        yield [normalise(f, v) for f, v in zip(fields, row, strict=True)]


# --- Checksums -----------------------------------------------------------------------


@dataclass
class TableSum:
    rows: int = 0
    digest: Any = field(default_factory=hashlib.sha256)

    def add(self, line: str) -> None:
        self.rows += 1
        self.digest.update(line.encode())
        self.digest.update(b"\n")

    @property
    def checksum(self) -> str:
        return str(self.digest.hexdigest())


def content_checksum(tables: dict[str, str], files: dict[str, str]) -> str:
    """One checksum from the tables' and the files' checksums, in name order."""
    digest = hashlib.sha256()
    for label in sorted(tables):
        digest.update(f"table {label} {tables[label]}\n".encode())
    for name in sorted(files):
        digest.update(f"file {name} {files[name]}\n".encode())
    return digest.hexdigest()


# --- Backup -------------------------------------------------------------------------


def _file_names() -> list[str]:
    """Every file named by a file field of a current record."""
    names: set[str] = set()
    for model in backup_models():
        for f in _fields(model):
            if isinstance(f, models.FileField):
                values = model._base_manager.exclude(**{f.attname: ""}).exclude(
                    **{f"{f.attname}__isnull": True}
                )
                names.update(values.values_list(f.attname, flat=True))
    return sorted(names)


def _migrations() -> list[list[str]]:
    recorder = MigrationRecorder(connection)
    return sorted([app, name] for app, name in recorder.applied_migrations())


def write_backup(target: str | IO[bytes], progress: Progress = _nothing) -> dict[str, Any]:
    """Write everything into a zip archive; returns its manifest."""
    tables: list[dict[str, Any]] = []
    files: dict[str, str] = {}
    missing: list[str] = []
    outermost = not connection.in_atomic_block
    with (
        transaction.atomic(),
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # one consistent snapshot of every table
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for model in backup_models():
            label = model._meta.label_lower
            total = TableSum()
            with archive.open(f"data/{label}.jsonl", "w") as out:
                buffer = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
                for row in table_rows(model):
                    text = _line(row)
                    total.add(text)
                    buffer.write(text + "\n")
                buffer.flush()
                buffer.detach()
            tables.append(
                {
                    "label": label,
                    "table": model._meta.db_table,
                    "columns": [f.attname for f in _fields(model)],
                    "rows": total.rows,
                    "checksum": total.checksum,
                }
            )
            progress(f"{label}: {total.rows}")
        for name in _file_names():
            if not default_storage.exists(name):
                missing.append(name)
                continue
            digest = hashlib.sha256()
            with (
                default_storage.open(name, "rb") as source,
                archive.open(f"media/{name}", "w") as out,
            ):
                for chunk in iter(lambda: source.read(1 << 20), b""):
                    digest.update(chunk)
                    out.write(chunk)
            files[name] = digest.hexdigest()
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().astimezone(dt.UTC).isoformat(),
            "database": connection.vendor,
            "migrations": _migrations(),
            "tables": tables,
            "files": files,
            "missing_files": missing,
            "checksum": content_checksum({t["label"]: t["checksum"] for t in tables}, files),
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


# --- Reading an archive --------------------------------------------------------------


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError) as error:
        raise BackupError(_("This file is not a Liaison backup (no readable manifest).")) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(_("This file is not a Liaison backup."))
    if manifest.get("version") != VERSION:
        raise BackupError(
            _("This backup's format version %(version)s is not supported.")
            % {"version": manifest.get("version")}
        )
    return manifest


def _archive_lines(archive: zipfile.ZipFile, label: str) -> Iterator[str]:
    try:
        with archive.open(f"data/{label}.jsonl") as raw:
            for line in io.TextIOWrapper(raw, encoding="utf-8", newline="\n"):
                line = line.rstrip("\n")
                if line:
                    yield line
    except KeyError as error:
        raise BackupError(_("The backup has no data for %(table)s.") % {"table": label}) from error


def open_archive(path: str | IO[bytes]) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise BackupError(_("This file is not a Liaison backup (not a zip archive).")) from error


def archive_checksum(path: str | IO[bytes]) -> tuple[str, dict[str, Any]]:
    """The content checksum recomputed from the archive's data and files (not copied
    from its manifest), and the manifest."""
    with open_archive(path) as archive:
        manifest = read_manifest(archive)
        tables: dict[str, str] = {}
        for table in manifest["tables"]:
            total = TableSum()
            for line in _archive_lines(archive, table["label"]):
                total.add(line)
            tables[table["label"]] = total.checksum
        files: dict[str, str] = {}
        for name in manifest["files"]:
            digest = hashlib.sha256()
            with archive.open(f"media/{name}") as source:
                for chunk in iter(lambda: source.read(1 << 20), b""):
                    digest.update(chunk)
            files[name] = digest.hexdigest()
    return content_checksum(tables, files), manifest


def database_checksum() -> str:
    """The content checksum of the database and the files it names, as a backup of it
    would have it."""
    tables = {}
    for model in backup_models():
        total = TableSum()
        for row in table_rows(model):
            total.add(_line(row))
        tables[model._meta.label_lower] = total.checksum
    files = {}
    for name in _file_names():
        if default_storage.exists(name):
            digest = hashlib.sha256()
            with default_storage.open(name, "rb") as source:
                for chunk in iter(lambda: source.read(1 << 20), b""):
                    digest.update(chunk)
            files[name] = digest.hexdigest()
    return content_checksum(tables, files)


# --- Restore ------------------------------------------------------------------------


def occupied_tables() -> list[tuple[str, int]]:
    """The tables that hold rows and make the database not empty (label, rows)."""
    found = []
    for model in backup_models():
        label = model._meta.label_lower
        if label in SEEDED:
            continue
        count = model._base_manager.count()
        if count:
            found.append((label, count))
    return found


def _insert(model: type[models.Model], columns: list[str], lines: Iterable[str]) -> int:
    fields_by_attname = {f.attname: f for f in _fields(model)}
    unknown = [c for c in columns if c not in fields_by_attname]
    if unknown:
        raise BackupError(
            _("The backup's table %(table)s has columns this version does not know: %(columns)s.")
            % {"table": model._meta.label_lower, "columns": ", ".join(unknown)}
        )
    fields = [fields_by_attname[c] for c in columns]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(str(f.column)) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    count = 0
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for number, line in enumerate(lines, start=1):
            try:
                values = json.loads(line)
                row = [
                    f.get_db_prep_save(denormalise(f, v), connection)
                    for f, v in zip(fields, values, strict=True)
                ]
            except (ValueError, TypeError, decimal.InvalidOperation) as error:
                raise BackupError(
                    _("Row %(row)s of table %(table)s cannot be read: %(error)s")
                    % {"row": number, "table": model._meta.label_lower, "error": error}
                ) from error
            batch.append(row)
            count += 1
            if len(batch) >= BATCH:
                _write(cursor, sql, batch, model)
                batch = []
        if batch:
            _write(cursor, sql, batch, model)
    return count


def _write(cursor: Any, sql: str, batch: list[list[Any]], model: type[models.Model]) -> None:
    try:
        cursor.executemany(sql, batch)
    except DatabaseError as error:
        raise BackupError(
            _("Table %(table)s could not be written: %(error)s")
            % {"table": model._meta.label_lower, "error": error}
        ) from error


def _clear_seeded() -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in reversed(backup_models()):
            if model._meta.label_lower in SEEDED:
                cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")


def _reset_sequences(restored: list[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), restored)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _restore_files(archive: zipfile.ZipFile, names: Iterable[str]) -> None:
    for name in names:
        data = archive.read(f"media/{name}")
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:  # pragma: no cover - the storage renamed it
            raise BackupError(_("The file %(name)s could not keep its name.") % {"name": name})


@dataclass(frozen=True)
class RestoreReport:
    tables: int
    rows: int
    files: int
    checksum: str


def restore_backup(path: str | IO[bytes], progress: Progress = _nothing) -> RestoreReport:
    """Rebuild an archive into this (empty) database; all or nothing."""
    from django.contrib.contenttypes.models import ContentType

    with open_archive(path) as archive:
        manifest = read_manifest(archive)
        known = {m._meta.label_lower: m for m in backup_models()}
        unknown_tables = [t["label"] for t in manifest["tables"] if t["label"] not in known]
        if unknown_tables:
            raise BackupError(
                _("The backup holds tables this version does not know: %(tables)s.")
                % {"tables": ", ".join(unknown_tables)}
            )
        applied = {tuple(m) for m in _migrations()}
        newer = [f"{a}.{n}" for a, n in manifest["migrations"] if (a, n) not in applied]
        if newer:
            raise BackupError(
                _("The backup comes from a newer version (migrations unknown here: %(names)s).")
                % {"names": ", ".join(newer[:5])}
            )
        occupied = occupied_tables()
        if occupied:
            raise BackupError(
                _(
                    "The database is not empty (%(tables)s): a backup is restored only into "
                    "an empty database."
                )
                % {"tables": ", ".join(f"{label}: {rows}" for label, rows in occupied[:5])}
            )
        rows = 0
        with transaction.atomic():
            _clear_seeded()
            restored = []
            for table in manifest["tables"]:
                model = known[table["label"]]
                count = _insert(model, table["columns"], _archive_lines(archive, table["label"]))
                if count != table["rows"]:
                    raise BackupError(
                        _("Table %(table)s: %(found)s rows in the data, %(expected)s announced.")
                        % {"table": table["label"], "found": count, "expected": table["rows"]}
                    )
                rows += count
                restored.append(model)
                progress(f"{table['label']}: {count}")
            _reset_sequences(restored)
            try:
                connection.check_constraints()
            except DatabaseError as error:
                raise BackupError(
                    _("The restored data break the database's rules: %(error)s") % {"error": error}
                ) from error
            ContentType.objects.clear_cache()
            _restore_files(archive, manifest["files"])
            mismatches = compare(manifest)
            if mismatches:
                raise BackupError(
                    _("The restored data differ from the backup: %(tables)s.")
                    % {"tables": ", ".join(mismatches[:5])}
                )
    files = len(manifest["files"])
    return RestoreReport(len(manifest["tables"]), rows, files, manifest["checksum"])


def compare(manifest: dict[str, Any]) -> list[str]:
    """The tables whose rows in the database differ from the manifest's (count or
    checksum); the check after a restore."""
    by_label = {m._meta.label_lower: m for m in backup_models()}
    different = []
    for table in manifest["tables"]:
        total = TableSum()
        for row in table_rows(by_label[table["label"]]):
            total.add(_line(row))
        if total.rows != table["rows"] or total.checksum != table["checksum"]:
            different.append(f"{table['label']} ({total.rows}/{table['rows']})")
    return different
