"""Reading an import file (CSV or XLSX) row by row, and writing its templates."""

from __future__ import annotations

import csv
import datetime as dt
import io
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
    the header is line 1, so that the numbers match what a spreadsheet shows."""
    if fmt == "csv":
        return _read_csv(Path(path))
    return _read_xlsx(Path(path))


def _decode(path: Path) -> IO[str]:
    raw = path.open("rb")
    head = raw.read(65536)
    raw.seek(0)
    try:
        head.decode("utf-8")
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1252"  # what spreadsheets on French Windows save as "CSV"
    return io.TextIOWrapper(raw, encoding=encoding, newline="")


def _read_csv(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    with _decode(path) as peek:
        sample = peek.read(8192)
    stream = _decode(path)
    first = sample.splitlines()[0] if sample else ""
    delimiter = max(",;\t", key=first.count) if first else ","
    reader = csv.reader(stream, delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    if not any(header):
        stream.close()
        raise FileError(_("The file is empty: the first line must name the columns."))

    def rows() -> Iterator[tuple[int, list[str]]]:
        with stream:
            for number, row in enumerate(reader, start=2):
                cells = [c.strip() for c in row]
                if any(cells):
                    yield number, cells

    return header, rows()


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
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

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, row in enumerate(values, start=2):
                cells = [_text(c) for c in row[: len(header)]]
                if any(cells):
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
