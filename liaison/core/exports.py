"""Exports of exactly what a list shows (all pages, the chosen columns): CSV and XLSX.

Both formats hold the same cells: the list's column labels in the user's language as
the header, dates in ISO 8601 (datetimes in UTC), yes/no in the user's language, an
empty cell where the page shows a dash, plain text where the page shows links.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from collections.abc import Iterable, Iterator
from typing import Any

import django_tables2 as tables
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from openpyxl import Workbook

FORMATS = {"csv", "xlsx"}


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
    else:
        value = row.get_cell_value(column.name)
    value = iso(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    value = force_str(value, strings_only=True)
    if isinstance(value, str):
        if "<" in value:
            value = html.unescape(strip_tags(value))
        if value == column.column.default:
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


def export_rows(rows: Iterable[list[Any]], stem: str, fmt: str) -> HttpResponseBase:
    """`rows` starts with the header row; CSV streams, XLSX is written row by row."""
    if fmt == "csv":
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse(
            ("\ufeff" if i == 0 else "") + writer.writerow(["" if v is None else v for v in row])
            for i, row in enumerate(rows)
        )
        response["Content-Type"] = "text/csv; charset=utf-8"
        response["Content-Disposition"] = f'attachment; filename="{_filename(stem, "csv")}"'
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(stem[:31])
    for row in rows:
        sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    book = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    book["Content-Disposition"] = f'attachment; filename="{_filename(stem, "xlsx")}"'
    return book


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, int | float | str):
        return value
    return str(value)
