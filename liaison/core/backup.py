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
archive's, with their primary keys), in one transaction, keeping every primary key
(core.bulk.insert_rows: the rows as they are, history and audit chain included);
PostgreSQL's sequences are then reset. Before the commit it reads everything back and
compares counts and checksums with the manifest: any difference and nothing is kept.

Before it writes anything, a restore checks the archive as a whole (`check_archive`): a
manifest of the expected shape, exactly the tables the schema expects (none missing, none
extra) with their columns, the manifest's overall checksum recomputed from its tables'
and files' checksums, safe file names, and caps on what it unpacks (total and per-member
uncompressed size, compression ratio, rows: `LIAISON_RESTORE_MAX_*` settings), so that a
decompression bomb is refused from the zip's directory before anything is inflated.
Files are checked against their SHA-256 before the database, and written last. Every
refusal is a `BackupError` with a one-line message.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import io
import json
import posixpath
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.files.utils import validate_file_name
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import bulk

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

    def __str__(self) -> str:
        # One line, whatever the message quotes (PostgreSQL's errors hold new lines).
        return " ".join(super().__str__().split())


# What reading a damaged zip member may raise (bad CRC, bad deflate stream, cut short).
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError, NotImplementedError)


@dataclass(frozen=True)
class Limits:
    """The most a restore unpacks (settings `LIAISON_RESTORE_MAX_*`)."""

    total_bytes: int
    member_bytes: int
    ratio: int
    rows: int

    # Members smaller than this are not held to the ratio (tiny or empty tables compress
    # at any ratio and cannot be a bomb).
    RATIO_FROM = 1 << 20

    @classmethod
    def current(cls) -> Limits:
        return cls(
            total_bytes=settings.LIAISON_RESTORE_MAX_BYTES,
            member_bytes=settings.LIAISON_RESTORE_MAX_MEMBER_BYTES,
            ratio=settings.LIAISON_RESTORE_MAX_RATIO,
            rows=settings.LIAISON_RESTORE_MAX_ROWS,
        )


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
        manifest: Any = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError, *DAMAGED) as error:
        raise BackupError(_("This file is not a Liaison backup (no readable manifest).")) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("This file is not a Liaison backup."))
    if manifest.get("version") != VERSION:
        raise BackupError(
            _("This backup's format version %(version)s is not supported.")
            % {"version": manifest.get("version")}
        )
    problem = _manifest_problem(manifest)
    if problem:
        raise BackupError(
            _("This backup's manifest is malformed: %(problem)s.") % {"problem": problem}
        )
    return manifest


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _manifest_problem(manifest: dict[str, Any]) -> str | None:
    """What is wrong with the manifest's shape, if anything (not translated: it names
    the manifest's keys)."""
    tables = manifest.get("tables")
    if not isinstance(tables, list):
        return '"tables" is not a list'
    labels: set[str] = set()
    for number, table in enumerate(tables, start=1):
        if not isinstance(table, dict):
            return f"table {number} is not an object"
        label, rows = table.get("label"), table.get("rows")
        if not isinstance(label, str) or not label:
            return f'table {number} has no "label"'
        if label in labels:
            return f"table {label} is listed twice"
        labels.add(label)
        if not _is_text_list(table.get("columns")):
            return f'table {label}: "columns" is not a list of names'
        if not isinstance(rows, int) or isinstance(rows, bool) or rows < 0:
            return f'table {label}: "rows" is not a count'
        if not isinstance(table.get("checksum"), str):
            return f'table {label}: "checksum" is not a text'
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in files.items()
    ):
        return '"files" is not an object of names and checksums'
    migrations = manifest.get("migrations")
    if not isinstance(migrations, list) or not all(
        _is_text_list(m) and len(m) == 2 for m in migrations
    ):
        return '"migrations" is not a list of [app, name]'
    if not isinstance(manifest.get("checksum"), str):
        return '"checksum" is not a text'
    return None


def _unsafe_name(name: str) -> bool:
    """A name that would leave the storage or the archive's folder."""
    try:
        validate_file_name(name, allow_relative_path=True)
    except SuspiciousOperation:
        return True
    return (
        not name
        or "\0" in name
        or posixpath.normpath(name) != name
        or name.startswith(("/", "\\"))
        or (len(name) > 1 and name[1] == ":")
    )


def check_archive(archive: zipfile.ZipFile, limits: Limits | None = None) -> dict[str, Any]:
    """Everything about an archive that can be checked without a database and without
    inflating it; returns its manifest. Refused: a malformed manifest, tables other than
    those this version's schema expects or columns other than theirs, an overall
    checksum that is not that of the tables' and files' checksums, unsafe or unexpected
    member names, and more than the limits unpack."""
    limits = limits or Limits.current()
    manifest = read_manifest(archive)
    tables: list[dict[str, Any]] = manifest["tables"]
    files: dict[str, str] = manifest["files"]
    expected = {m._meta.label_lower: m for m in backup_models()}
    given = [t["label"] for t in tables]
    extra = [label for label in given if label not in expected]
    if extra:
        raise BackupError(
            _("The backup holds tables this version does not know: %(tables)s.")
            % {"tables": ", ".join(extra[:10])}
        )
    missing = sorted(set(expected) - set(given))
    if missing:
        raise BackupError(
            _("The backup is incomplete: tables missing: %(tables)s.")
            % {"tables": ", ".join(missing[:10])}
        )
    for table in tables:
        columns = {f.attname for f in _fields(expected[table["label"]])}
        if set(table["columns"]) != columns or len(table["columns"]) != len(columns):
            raise BackupError(
                _("The backup's table %(table)s does not have this version's columns.")
                % {"table": table["label"]}
            )
    unsafe = [name for name in files if _unsafe_name(name)]
    if unsafe:
        raise BackupError(
            _("The backup names a file outside the file storage: %(name)s.") % {"name": unsafe[0]}
        )
    announced = content_checksum({t["label"]: t["checksum"] for t in tables}, files)
    if announced != manifest["checksum"]:
        raise BackupError(
            _(
                "The backup's manifest checksum %(given)s is not that of its tables and files "
                "(%(computed)s): the manifest was altered."
            )
            % {"given": manifest["checksum"][:64], "computed": announced}
        )
    rows = sum(t["rows"] for t in tables)
    if rows > limits.rows:
        raise BackupError(
            _("The backup announces %(rows)s rows, more than the %(limit)s a restore takes.")
            % {"rows": rows, "limit": limits.rows}
        )
    _check_members(archive, tables, files, limits)
    return manifest


def _check_members(
    archive: zipfile.ZipFile,
    tables: list[dict[str, Any]],
    files: dict[str, str],
    limits: Limits,
) -> None:
    """The zip's members, from its directory: exactly the manifest, the tables' data and
    the files, each within the limits (zipfile never inflates a member beyond the size
    its directory gives)."""
    wanted = {"manifest.json"}
    wanted.update(f"data/{t['label']}.jsonl" for t in tables)
    wanted.update(f"media/{name}" for name in files)
    total = 0
    seen = set()
    for info in archive.infolist():
        name = info.filename
        if name not in wanted:
            raise BackupError(
                _("The backup holds a member that is not in its manifest: %(name)s.")
                % {"name": name}
            )
        if name in seen:
            raise BackupError(_("The backup holds the member %(name)s twice.") % {"name": name})
        seen.add(name)
        if info.file_size > limits.member_bytes:
            raise BackupError(
                _(
                    "The backup's member %(name)s unpacks to %(size)s bytes, more than the "
                    "%(limit)s bytes a restore takes per member."
                )
                % {"name": name, "size": info.file_size, "limit": limits.member_bytes}
            )
        if info.file_size > Limits.RATIO_FROM and (
            info.file_size > limits.ratio * max(info.compress_size, 1)
        ):
            raise BackupError(
                _(
                    "The backup's member %(name)s is compressed %(ratio)s times, more than "
                    "the %(limit)s a restore takes: a decompression bomb?"
                )
                % {
                    "name": name,
                    "ratio": info.file_size // max(info.compress_size, 1),
                    "limit": limits.ratio,
                }
            )
        total += info.file_size
        if total > limits.total_bytes:
            raise BackupError(
                _("The backup unpacks to more than the %(limit)s bytes a restore takes.")
                % {"limit": limits.total_bytes}
            )
    absent = sorted(wanted - seen)
    if absent:
        raise BackupError(_("The backup has no data for %(table)s.") % {"table": absent[0]})


def _archive_lines(archive: zipfile.ZipFile, label: str, most: int | None = None) -> Iterator[str]:
    """A table's lines; refused past `most` rows, or if the member is damaged."""
    count = 0
    try:
        with archive.open(f"data/{label}.jsonl") as raw:
            for line in io.TextIOWrapper(raw, encoding="utf-8", newline="\n"):
                line = line.rstrip("\n")
                if line:
                    count += 1
                    if most is not None and count > most:
                        raise BackupError(
                            _("Table %(table)s holds more rows than the %(expected)s announced.")
                            % {"table": label, "expected": most}
                        )
                    yield line
    except KeyError as error:
        raise BackupError(_("The backup has no data for %(table)s.") % {"table": label}) from error
    except DAMAGED as error:
        raise BackupError(
            _("The backup is damaged (data of %(table)s): %(error)s")
            % {"table": label, "error": error}
        ) from error


def _file_digest(archive: zipfile.ZipFile, name: str) -> str:
    digest = hashlib.sha256()
    try:
        with archive.open(f"media/{name}") as source:
            for chunk in iter(lambda: source.read(1 << 20), b""):
                digest.update(chunk)
    except KeyError as error:
        raise BackupError(
            _("The backup has no content for the file %(name)s.") % {"name": name}
        ) from error
    except DAMAGED as error:
        raise BackupError(
            _("The backup is damaged (file %(name)s): %(error)s") % {"name": name, "error": error}
        ) from error
    return digest.hexdigest()


def open_archive(path: str | IO[bytes]) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, NotImplementedError, ValueError) as error:
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
        files = {name: _file_digest(archive, name) for name in manifest["files"]}
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
    """The table's rows as the archive holds them, through core.bulk (rows as they are:
    the archive brings the history, the chain and the search entries)."""
    fields_by_attname = {f.attname: f for f in _fields(model)}
    unknown = [c for c in columns if c not in fields_by_attname]
    if unknown:
        raise BackupError(
            _("The backup's table %(table)s has columns this version does not know: %(columns)s.")
            % {"table": model._meta.label_lower, "columns": ", ".join(unknown)}
        )
    fields = [fields_by_attname[c] for c in columns]

    def rows() -> Iterator[list[Any]]:
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
            yield row

    try:
        return bulk.insert_rows(model, fields, rows(), batch_size=BATCH)
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
    """The files into the storage, streamed (their content was checked before); if one
    cannot be written, those written are removed."""
    written: list[str] = []
    try:
        for name in names:
            if default_storage.exists(name):
                default_storage.delete(name)
            with archive.open(f"media/{name}") as source:
                saved = default_storage.save(name, File(source, name=name))
            written.append(saved)
            if saved != name:  # pragma: no cover - the storage renamed it
                raise BackupError(_("The file %(name)s could not keep its name.") % {"name": name})
    except (OSError, SuspiciousOperation, *DAMAGED) as error:
        for name in written:
            default_storage.delete(name)
        raise BackupError(
            _("The file %(name)s could not be restored: %(error)s") % {"name": name, "error": error}
        ) from error
    except BackupError:
        for name in written:
            default_storage.delete(name)
        raise


@dataclass(frozen=True)
class RestoreReport:
    tables: int
    rows: int
    files: int
    checksum: str


def restore_backup(path: str | IO[bytes], progress: Progress = _nothing) -> RestoreReport:
    """Rebuild an archive into this (empty) database; all or nothing. The checksum
    reported is recomputed from what was restored."""
    from django.contrib.contenttypes.models import ContentType

    with open_archive(path) as archive:
        manifest = check_archive(archive)
        known = {m._meta.label_lower: m for m in backup_models()}
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
        files: dict[str, str] = {}
        for name, expected in manifest["files"].items():
            files[name] = _file_digest(archive, name)
            if files[name] != expected:
                raise BackupError(
                    _("The file %(name)s differs from the backup's checksum of it.")
                    % {"name": name}
                )
        rows = 0
        with transaction.atomic():
            _clear_seeded()
            restored = []
            for table in manifest["tables"]:
                model = known[table["label"]]
                lines = _archive_lines(archive, table["label"], most=table["rows"])
                count = _insert(model, table["columns"], lines)
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
            sums, mismatches = _read_back(manifest)
            if mismatches:
                raise BackupError(
                    _("The restored data differ from the backup: %(tables)s.")
                    % {"tables": ", ".join(mismatches[:5])}
                )
            checksum = content_checksum(sums, files)
            if checksum != manifest["checksum"]:  # pragma: no cover - checked before
                raise BackupError(
                    _("The restored data's checksum %(checksum)s is not the backup's.")
                    % {"checksum": checksum}
                )
            _restore_files(archive, manifest["files"])
    return RestoreReport(len(manifest["tables"]), rows, len(files), checksum)


def preflight(path: str | IO[bytes]) -> None:
    """`check_archive` on a file: what can be refused before a database is touched."""
    with open_archive(path) as archive:
        check_archive(archive)


def _read_back(manifest: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """The checksum of each table as the database now holds it, and the tables whose
    rows differ from the manifest's (count or checksum)."""
    by_label = {m._meta.label_lower: m for m in backup_models()}
    sums: dict[str, str] = {}
    different = []
    for table in manifest["tables"]:
        total = TableSum()
        for row in table_rows(by_label[table["label"]]):
            total.add(_line(row))
        sums[table["label"]] = total.checksum
        if total.rows != table["rows"] or total.checksum != table["checksum"]:
            different.append(f"{table['label']} ({total.rows}/{table['rows']})")
    return sums, different
