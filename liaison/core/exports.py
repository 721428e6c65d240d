"""Exports of exactly what a list shows (all pages, the chosen columns): CSV and XLSX.

Both formats hold the same cells: the list's column labels in the user's language as
the header, dates in ISO 8601 (datetimes in UTC), yes/no in the user's language, an
empty cell where the page shows a dash, plain text where the page shows links. Text is
exported exactly as stored (never unescaped nor stripped of what looks like markup).

No cell is ever a formula (CSV injection, OWASP): XLSX writes every text as a string
cell (data type "s"); CSV puts an apostrophe before a text that starts with `=`, `+`,
`-`, `@`, a tab or a carriage return, which spreadsheets show as text. Numbers stay
numbers (a negative number is a number, not a formula).
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote

import django_tables2 as tables
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMATS = {"csv", "xlsx"}
# What makes a spreadsheet read a CSV cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def iso(value: Any) -> Any:
    """Dates as ISO 8601 (datetimes in UTC); other values unchanged."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC)
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _cell_value(row: Any, column: Any) -> Any:
    if isinstance(column.column, tables.DateColumn | tables.DateTimeColumn | tables.BooleanColumn):
        value = column.accessor.resolve(row.record, quiet=True)
    elif isinstance(column.column, tables.ManyToManyColumn):
        # Its render() is HTML (escaped names, links): the export joins the names as stored.
        related = column.accessor.resolve(row.record, quiet=True)
        items = column.column.filter(related) if related is not None else []
        value = column.column.separator.join(column.column.transform(i) for i in items)
    else:
        value = row.get_cell_value(column.name)
    value = iso(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    value = force_str(value, strings_only=True)
    if isinstance(value, str) and value == column.column.default:
        return ""
    return value


def table_values(table: Any) -> Iterator[list[Any]]:
    """The header (the list's labels) and the rows of a table, as the export shows them."""
    columns = [c for c in table.columns.iterall() if not c.column.exclude_from_export]
    yield [force_str(c.header, strings_only=True) for c in columns]
    for row in table.rows:
        yield [_cell_value(row, c) for c in columns]


def _filename(stem: str, extension: str) -> str:
    return f"{stem}-{timezone.now():%Y%m%d-%H%M}.{extension}"


def attachment(filename: str) -> str:
    """A Content-Disposition header every browser reads (RFC 6266 and 5987): an ASCII
    `filename=` (accents dropped) and, when the name is not ASCII, `filename*=UTF-8''...`
    with the name as it is ("actions de coopération-....xlsx")."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    fallback = "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in fallback)
    header = content_disposition_header(True, fallback) or "attachment"
    if filename != fallback:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: an apostrophe before a text that would
    start a formula; numbers and other values unchanged."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_rows(rows: Iterable[list[Any]], stem: str, fmt: str) -> HttpResponseBase:
    """`rows` starts with the header row; CSV streams, XLSX is written row by row."""
    if fmt == "csv":
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse(
            ("\ufeff" if i == 0 else "") + writer.writerow([csv_cell(v) for v in row])
            for i, row in enumerate(rows)
        )
        response["Content-Type"] = "text/csv; charset=utf-8"
        response["Content-Disposition"] = attachment(_filename(stem, "csv"))
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(stem))
    for row in rows:
        sheet.append([_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    book = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    book["Content-Disposition"] = attachment(_filename(stem, "xlsx"))
    return book


def _sheet_title(stem: str) -> str:
    # Sheet names may not hold []:*?/\ and are at most 31 characters.
    return "".join("_" if c in "[]:*?/\\" else c for c in stem)[:31] or "export"


def _cell(sheet: Any, value: Any) -> Any:
    """Numbers as numbers; every other value as a string cell, never a formula."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float | decimal.Decimal):
        return value
    cell = WriteOnlyCell(sheet, value=str(value))
    cell.data_type = "s"  # openpyxl makes a text starting with "=" a formula
    return cell
