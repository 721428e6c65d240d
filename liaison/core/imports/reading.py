"""Reading an import file (CSV or XLSX) row by row, and writing its templates.

Limits, generous for real use and refused above them with a message (never a crash):
a file of at most MAX_FILE_BYTES, at most MAX_ROWS rows below the header and
MAX_COLUMNS columns, cells of at most MAX_CELL_CHARS characters (what a spreadsheet
cell holds). An XLSX file is a zip archive: before openpyxl reads it, the sizes its
entries declare (which Python's zipfile holds them to) must stay under
MAX_UNPACKED_BYTES in all and under MAX_RATIO times their packed size, and its sheets
are scanned (regular expressions over the unpacked stream, in little memory) for their
rows and cells and any document type (entities), so that
a decompression bomb is refused in a moment instead of holding a worker for minutes.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

from liaison.core.imports.spec import ImportKind

FORMATS = ("csv", "xlsx")
HELP_SHEET = "help"

MAX_FILE_BYTES = 100 * 1024 * 1024  # 100 MiB as uploaded
MAX_ROWS = 100_000  # rows below the header
MAX_COLUMNS = 200  # columns of the header (a kind has fewer than 30)
MAX_CELL_CHARS = 32_767  # what a spreadsheet cell holds
MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # an XLSX file's entries, unpacked, in all
MAX_RATIO = 100  # unpacked / packed size of an XLSX entry over 1 MiB
MAX_SHEET_COLUMNS = 16_384  # cells in one row of an XLSX sheet (a spreadsheet's XFD)
MAX_CELLS = 5_000_000  # cells of all the XLSX sheets, and shared strings
MAX_ROW_BYTES = 16 * 1024 * 1024  # one row of an XLSX sheet, unpacked

# The csv module refuses a field over 128 KiB with a bare error: let it read any field of
# a file we accept, so that an oversized cell is refused by row and column instead.
csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))


class FileError(Exception):
    """The file as a whole cannot be read: nothing is imported."""


def file_format(name: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise FileError(_("Give a .csv or .xlsx file."))
    return suffix


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


def read_rows(path: Path | str, fmt: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header (names as written, lower-cased) and (line number, cells) per non-empty row;
    the header is line 1, so that the numbers match what a spreadsheet shows.

    Raises FileError for a file over the limits (also while the rows are read). A cell
    that is not text (bytes neither UTF-8 nor Windows-1252) holds lone surrogates, a NUL
    stays a NUL: `cell_problem` names what the import refuses in a cell."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise FileError(_("The file cannot be read.")) from error
    if size > MAX_FILE_BYTES:
        raise FileError(_too_big())
    if fmt == "csv":
        return _read_csv(path)
    return _read_xlsx(path)


def _too_big() -> str:
    return _("The file is larger than %(size)s MiB: split it into several files.") % {
        "size": MAX_FILE_BYTES // (1024 * 1024)
    }


def _too_many_rows() -> str:
    return _("The file has more than %(rows)s rows: split it into several files.") % {
        "rows": MAX_ROWS
    }


def cell_problem(text: str) -> str:
    """Why a cell cannot be imported as it is ("" when it can)."""
    if len(text) > MAX_CELL_CHARS:
        return _("longer than %(max)s characters.") % {"max": MAX_CELL_CHARS}
    if any("\udc80" <= c <= "\udcff" for c in text):
        return _(
            "not readable text: the file is neither UTF-8 nor Windows-1252 "
            "(is it really a CSV file?)."
        )
    if "\x00" in text:
        return _("holds a NUL character, which cannot be stored.")
    return ""


def shown(text: str, limit: int = 80) -> str:
    """A cell as a report may show it: undecodable bytes as "\ufffd", cut when long."""
    text = "".join("\ufffd" if "\udc80" <= c <= "\udcff" else c for c in text[: limit + 1])
    return text if len(text) <= limit else text[:limit] + "\u2026"


def _encoding(path: Path) -> str:
    with path.open("rb") as raw:
        head = raw.read(65536)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "Unicode text"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"  # what spreadsheets on French Windows save as "CSV"
    return "utf-8-sig"


def _decode(path: Path, encoding: str) -> IO[str]:
    # Undecodable bytes become lone surrogates, refused cell by cell (cell_problem).
    return io.TextIOWrapper(
        path.open("rb"), encoding=encoding, errors="surrogateescape", newline=""
    )


def _header_problem(header: list[str]) -> None:
    if len(header) > MAX_COLUMNS:
        raise FileError(_("The file has more than %(columns)s columns.") % {"columns": MAX_COLUMNS})
    for index, name in enumerate(header, start=1):
        reason = cell_problem(name)
        if reason:
            raise FileError(
                _("row %(row)s, column %(column)s: %(reason)s")
                % {"row": 1, "column": index, "reason": reason}
            )


def _read_csv(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    encoding = _encoding(path)
    with _decode(path, encoding) as peek:
        sample = peek.read(8192)
    first = sample.splitlines()[0] if sample else ""
    delimiter = max(",;\t", key=first.count) if first else ","
    # A first pass counts the rows (quickly, in little memory): a file over the limit is
    # refused before any row is checked.
    with _decode(path, encoding) as stream:
        count = 0
        number = 1
        try:
            for number, row in enumerate(csv.reader(stream, delimiter=delimiter), start=1):
                if number > 1 and any(c.strip() for c in row):
                    count += 1
                    if count > MAX_ROWS:
                        raise FileError(_too_many_rows())
        except csv.Error as error:
            raise FileError(
                _("row %(row)s: %(reason)s") % {"row": number + 1, "reason": error}
            ) from None
    stream = _decode(path, encoding)
    reader = csv.reader(stream, delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    if not any(header):
        stream.close()
        raise FileError(_("The file is empty: the first line must name the columns."))
    try:
        _header_problem(header)
    except FileError:
        stream.close()
        raise

    def rows() -> Iterator[tuple[int, list[str]]]:
        with stream:
            for number, row in enumerate(reader, start=2):
                cells = [c.strip() for c in row]
                if any(cells):
                    yield number, cells

    return header, rows()


_ROW = re.compile(rb"<(?:\w+:)?row[\s/>]")
_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_SHARED = re.compile(rb"<(?:\w+:)?si[\s/>]")
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_CHUNK = 1024 * 1024


def _check_xlsx(path: Path) -> None:
    """Refuse an XLSX file that would unpack to too much, before openpyxl reads it."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise FileError(_("This is not a readable XLSX file.")) from error
    with archive:
        entries = archive.infolist()
        unpacked = sum(e.file_size for e in entries)
        bomb = unpacked > MAX_UNPACKED_BYTES or any(
            e.file_size > _CHUNK and e.file_size > MAX_RATIO * max(e.compress_size, 1)
            for e in entries
        )
        if bomb:
            raise FileError(
                _(
                    "This XLSX file would unpack to %(size)s MiB from %(packed)s KiB: "
                    "refused (at most %(max)s MiB, %(ratio)s times its packed size)."
                )
                % {
                    "size": unpacked // (1024 * 1024),
                    "packed": path.stat().st_size // 1024,
                    "max": MAX_UNPACKED_BYTES // (1024 * 1024),
                    "ratio": MAX_RATIO,
                }
            )
        cells = 0
        try:
            for entry in entries:
                if entry.filename.endswith((".xml", ".rels")):
                    cells += _scan(archive, entry, cells)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise FileError(_("This is not a readable XLSX file.")) from error


def _scan(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, cells_before: int) -> int:
    """Stream one XML part (regular expressions over its bytes: quick, little memory):
    no document type (entities); in sheets at most MAX_ROWS rows below the header and
    MAX_SHEET_COLUMNS cells in a row; at most MAX_CELLS cells and shared strings in all.
    Returns the cells (or shared strings) of the part."""
    name = entry.filename
    is_sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
    is_strings = name == "xl/sharedStrings.xml"
    cells = rows = 0
    carry = b""
    with archive.open(entry) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            data = carry + chunk
            if _DOCTYPE.search(data):
                raise FileError(_("This XLSX file declares a document type, which is refused."))
            if is_strings:
                cut = max(len(data) - 8, 0) if chunk else len(data)
                cells += len(_SHARED.findall(data, 0, cut))
                carry = data[cut:]
            elif is_sheet:
                starts = [m.start() for m in _ROW.finditer(data)]
                # Complete rows (up to the last row start) are counted; the rest waits.
                end = starts[-1] if chunk and starts else len(data)
                for index, start in enumerate(starts):
                    stop = starts[index + 1] if index + 1 < len(starts) else len(data)
                    if start >= end:
                        break
                    rows += 1
                    in_row = len(_CELL.findall(data, start, stop))
                    cells += in_row
                    if in_row > MAX_SHEET_COLUMNS:
                        raise FileError(
                            _("row %(row)s: more than %(cells)s cells.")
                            % {"row": rows, "cells": MAX_SHEET_COLUMNS}
                        )
                if rows > MAX_ROWS + 1:
                    raise FileError(_too_many_rows())
                carry = data[end:] if chunk else b""
                if len(carry) > MAX_ROW_BYTES:  # a row of a real file is a few MiB at most
                    raise FileError(
                        _("row %(row)s: larger than %(size)s MiB.")
                        % {"row": rows + 1, "size": MAX_ROW_BYTES // (1024 * 1024)}
                    )
            else:
                carry = data[-16:]
            if cells_before + cells > MAX_CELLS:
                raise FileError(
                    _("This XLSX file has more than %(cells)s cells.") % {"cells": MAX_CELLS}
                )
            if not chunk:
                return cells


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    _check_xlsx(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on a bad file
        raise FileError(_("This is not a readable XLSX file.")) from exc
    sheets = [s for s in book.worksheets if s.title.lower() != HELP_SHEET]
    if not sheets:
        raise FileError(_("The file is empty: the first line must name the columns."))
    values = sheets[0].iter_rows(values_only=True)
    header = [_text(h).lower() for h in next(values, ())]
    while header and not header[-1]:
        header.pop()
    if not any(header):
        book.close()
        raise FileError(_("The file is empty: the first line must name the columns."))
    try:
        _header_problem(header)
    except FileError:
        book.close()
        raise

    def rows() -> Iterator[tuple[int, list[str]]]:
        count = 0
        try:
            for number, row in enumerate(values, start=2):
                cells = [_text(c) for c in row[: len(header)]]
                if any(cells):
                    count += 1
                    if count > MAX_ROWS:
                        raise FileError(_too_many_rows())
                    yield number, cells
        finally:
            book.close()

    return header, rows()


def column_help(kind: ImportKind) -> list[dict[str, str]]:
    """Each column with its help in French and in English."""
    found = []
    for column in kind.all_columns:
        texts = {}
        for language in ("fr", "en"):
            with translation.override(language):
                texts[language] = str(column.help)
        found.append(
            {
                "name": column.name,
                "required": "yes" if column.required else "",
                "fr": texts["fr"],
                "en": texts["en"],
                "example": column.example,
            }
        )
    return found


def template_csv(kind: ImportKind) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.name for c in kind.all_columns])
    return ("\ufeff" + buffer.getvalue()).encode()


def template_xlsx(kind: ImportKind) -> bytes:
    """A "data" sheet whose header cells carry the help as comments, and a "help" sheet
    that explains every column in French and English."""
    book = Workbook()
    data = book.active
    assert data is not None
    data.title = kind.slug[:31]
    bold = Font(bold=True)
    helps = column_help(kind)
    for index, info in enumerate(helps, start=1):
        cell = data.cell(row=1, column=index, value=info["name"])
        cell.font = bold
        cell.comment = Comment(f"FR: {info['fr']}\n\nEN: {info['en']}", "Liaison")
        data.column_dimensions[cell.column_letter].width = max(14, len(info["name"]) + 4)
    sheet = book.create_sheet(HELP_SHEET)
    sheet.append(["column", "required / obligatoire", "français", "English", "example"])
    for cell in sheet[1]:
        cell.font = bold
    for info in helps:
        sheet.append([info["name"], info["required"], info["fr"], info["en"], info["example"]])
    for letter, width in zip("ABCDE", (22, 12, 70, 70, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
