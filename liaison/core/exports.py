"""Exports of exactly what a list shows (all pages, the chosen columns): CSV and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from openpyxl import Workbook

FORMATS = {"csv", "xlsx"}


class _Echo:
    def write(self, value: str) -> str:
        return value


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
