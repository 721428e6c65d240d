"""Helpers for the tests of spreadsheet imports: files written from rows, an import run
in the factories' workspace."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from liaison.core.imports.engine import Report, run_import
from liaison.core.imports.spec import get_kind
from tests import factories as f


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def do_import(kind: str, path: Path, user: Any, commit: bool = True, **kw: Any) -> Report:
    """Import `path` as the kind `kind` (its format from its suffix) for `user`."""
    found = get_kind(kind)
    assert found is not None
    return run_import(
        found,
        path,
        path.suffix.lstrip("."),
        user=user,
        workspace=kw.pop("workspace", f.owner_workspace()),
        commit=commit,
        **kw,
    )
