"""Every list page exports the same cells as CSV and XLSX: the list's labels in the
user's language, ISO dates, plain text, only the records the user sees."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from openpyxl import load_workbook

from liaison.core.choices import Role
from liaison.core.generic import url_name
from liaison.core.querysets import visible
from liaison.core.registry import record_models
from tests import factories

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?)?([/T].*)?$")


def _lists() -> list[tuple[Any, str]]:
    found = []
    for model in record_models():
        try:
            found.append((model, reverse(url_name(model, "list"))))
        except NoReverseMatch:
            continue
    return found


def _csv(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def _xlsx(response: Any) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_list_exports_the_same_cells_in_both_formats(language: str) -> None:
    user: Any = factories.user()
    # The vetting officer role sees vetting files as well as every other record.
    factories.membership(
        user=user, workspace=factories.owner_workspace(), role=Role.VETTING_OFFICER
    )
    other = factories.workspace()
    lists = _lists()
    assert len(lists) >= 10
    for model, _url in lists:
        factories.FOR_MODEL[model]()
        factories.FOR_MODEL[model](owner=other)
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    client.cookies["django_language"] = language
    for model, url in lists:
        # Every column the list offers.
        columns = [name for name, _label in client.get(url).context["choosable_columns"]]
        csv_rows = _csv(client.get(url, {"export": "csv", "columns": columns}))
        xlsx_rows = _xlsx(client.get(url, {"export": "xlsx", "columns": columns}))
        assert csv_rows == xlsx_rows, url
        header, body = csv_rows[0], csv_rows[1:]
        assert len(body) == visible(model, user).count(), url
        table = client.get(url, {"columns": columns}).context["table"]
        # The bulk actions' checkbox column (where the user may act) is not exported.
        shown = [c for c in table.columns if c.name != "select"]
        with translation.override(language):
            assert header == [str(c.header) for c in shown], url
        for row in body:
            for label, cell in zip(header, row, strict=True):
                assert "<" not in cell, (url, label, cell)
                assert cell != "—", (url, label)
        date_columns = [
            i
            for i, c in enumerate(shown)
            if type(c.column).__name__ in ("DateColumn", "DateTimeColumn") or c.name == "when"
        ]
        for row in body:
            for i in date_columns:
                assert ISO_DATE.match(row[i]), (url, header[i], row[i])
