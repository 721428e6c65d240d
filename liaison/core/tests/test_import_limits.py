"""Imports refuse what they cannot take with a message naming row, column and reason,
never a traceback (issue 17, items 9 and 10): linked children checked by the vetting
gate, files that are not text, oversized cells, NUL characters, decompression bombs and
files over the documented limits. The dry run refuses what the commit would refuse."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from liaison.activities.models import Activity, ActivityParticipation
from liaison.core.choices import Role
from liaison.core.imports import reading
from liaison.core.imports.engine import CREATED, REFUSED
from liaison.core.tests.importing import do_import, write_csv
from liaison.core.tests.pages import client_for, member
from liaison.partners.models import Person
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_and_data_dir(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.DATA_DIR = tmp_path
    with translation.override("en"):
        yield


@pytest.fixture
def editor() -> Any:
    return member(Role.EDITOR)


def command(path: Path, user: Any, *extra: str, kind: str = "persons") -> tuple[int, str]:
    """`liaison import`: its exit status and what it printed (never a traceback)."""
    out = io.StringIO()
    try:
        call_command(
            "import", kind, str(path), "--user", user.username,
            "--workspace", f.FACTORY_WORKSPACE, *extra, stdout=out,
        )  # fmt: skip
    except SystemExit as exit_info:
        return int(exit_info.code or 0), out.getvalue()
    return 0, out.getvalue()


# -- the vetting gate on an activity's participating organisations ------------------------
def test_an_activity_with_a_beneficiary_organisation_imports(tmp_path: Path, editor: Any) -> None:
    fama = f.organization(name_fr="Forces armées maliennes", acronym_fr="FAMa", kind="unit")
    header = ["external_id", "title", "organisations"]
    path = write_csv(tmp_path / "a.csv", header, [["A-1", "Appui", "beneficiary:FAMa"]])
    dry = do_import("activities", path, editor, commit=False)
    assert [r.action for r in dry.rows] == [CREATED]
    report = do_import("activities", path, editor)
    assert report.committed
    participation = ActivityParticipation.objects.get()
    assert (participation.organization, participation.role) == (fama, "beneficiary")


def test_delivered_equipment_to_an_uncleared_unit_is_refused_by_row_and_column(
    tmp_path: Path, editor: Any
) -> None:
    f.organization(name_fr="Forces armées maliennes", acronym_fr="FAMa", kind="unit")
    header = ["external_id", "title", "activity_type", "status", "actual_end", "organisations"]
    row = ["A-2", "Livraison", "equipment", "closed", "2025-03-01", "beneficiary:FAMa"]
    path = write_csv(tmp_path / "a.csv", header, [row])
    for commit in (False, True):
        report = do_import("activities", path, editor, commit=commit)
        (refused,) = report.rows
        assert refused.action == REFUSED
        assert refused.row == 2
        assert refused.problems[0].column == "organisations"
        assert "vetting approval" in refused.problems[0].reason
    assert not Activity.objects.exists()


# -- files that are not what they say -----------------------------------------------------
def test_a_binary_file_named_csv_is_refused_with_a_message(tmp_path: Path, editor: Any) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(b"external_id,full_name\nP-1,Awa\nP-2,\x81\x8d\xff\xfe\x00\x90\x9d\n")
    for commit in (False, True):
        report = do_import("persons", path, editor, commit=commit)
        assert not report.ok
        (refused,) = [r for r in report.rows if r.action == REFUSED]
        assert (refused.row, refused.problems[0].column) == (3, "full_name")
        assert "not readable text" in refused.problems[0].reason
    assert not Person.objects.exists()
    status, out = command(path, editor, "--dry-run")
    assert status == 1
    assert "row 3: refused" in out
    # Garbage from the first line on: the header itself is named.
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(256)) * 64)
    report = do_import("persons", binary, editor, commit=False)
    assert report.file_problems
    assert "row 1" in report.file_problems[0]
    assert command(binary, editor)[0] == 1


def test_a_cell_over_the_limit_names_its_row_and_column(tmp_path: Path, editor: Any) -> None:
    big = "x" * (128 * 1024 + 1)
    path = write_csv(
        tmp_path / "p.csv",
        ["external_id", "full_name", "description"],
        [["P-1", "Awa", ""], ["P-2", "Bo", big]],
    )
    for commit in (False, True):
        report = do_import("persons", path, editor, commit=commit)
        refused = [r for r in report.rows if r.action == REFUSED]
        assert [(r.row, r.problems[0].column) for r in refused] == [(3, "description")]
        assert "characters" in refused[0].problems[0].reason
        assert len(refused[0].problems[0].value) < 200  # the message does not repeat it
    assert not Person.objects.exists()


def test_a_nul_character_is_refused_by_the_dry_run_and_the_commit(
    tmp_path: Path, editor: Any
) -> None:
    path = write_csv(tmp_path / "p.csv", ["external_id", "full_name"], [["P-1", "Awa\x00Traoré"]])
    dry = do_import("persons", path, editor, commit=False)
    assert [r.action for r in dry.rows] == [REFUSED]
    assert dry.rows[0].problems[0].column == "full_name"
    assert "NUL" in dry.rows[0].problems[0].reason
    report = do_import("persons", path, editor)
    assert not report.committed
    assert [r.action for r in report.rows] == [REFUSED]
    assert not Person.objects.exists()
    # In the external identifier too (the key looked up before anything else).
    path = write_csv(tmp_path / "q.csv", ["external_id", "full_name"], [["P-\x001", "Awa"]])
    assert do_import("persons", path, editor).rows[0].problems[0].column == "external_id"


# -- decompression bombs and limits ---------------------------------------------------------
def _bomb(path: Path, mebibytes: int, *, row_cells: int = 0) -> Path:
    """A valid workbook whose sheet XML unpacks to `mebibytes` MiB from a small file."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["external_id", "full_name"])
    book.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet_name = "xl/worksheets/sheet1.xml"
    xml = parts.pop(sheet_name).decode()
    head, tail = xml.split("</sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
        with out.open(sheet_name, "w", force_zip64=True) as stream:
            stream.write(head.encode())
            chunk = b'<c t="inlineStr"><is><t>x</t></is></c>' * 1000
            if row_cells:
                stream.write(b'<row r="2">')
                for _ in range(row_cells // 1000):
                    stream.write(chunk)
                stream.write(b"</row>")
            else:
                row = b'<row><c t="inlineStr"><is><t>P</t></is></c></row>' * 1000
                for _ in range(mebibytes * 1024 * 1024 // len(row)):
                    stream.write(row)
            stream.write(b"</sheetData>" + tail.encode())
    return path


def test_an_xlsx_decompression_bomb_is_refused_quickly_in_little_memory(
    tmp_path: Path, editor: Any
) -> None:
    path = _bomb(tmp_path / "bomb.xlsx", 64)
    assert path.stat().st_size < 1024 * 1024
    tracemalloc.start()
    started = time.monotonic()
    report = do_import("persons", path, editor, commit=False)
    elapsed = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert report.file_problems
    assert not report.rows
    assert "unpack" in report.file_problems[0]
    assert elapsed < 5
    assert peak < 50 * 1024 * 1024
    status, out = command(path, editor)
    assert status == 1
    assert "unpack" in out


def test_an_xlsx_row_of_too_many_cells_is_refused(
    tmp_path: Path, editor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Past the ratio check (a bomb of random-looking XML packs less well), the scan of the
    # sheet refuses the row before openpyxl builds it.
    monkeypatch.setattr(reading, "MAX_RATIO", 100_000)
    path = _bomb(tmp_path / "wide.xlsx", 0, row_cells=40_000)
    started = time.monotonic()
    report = do_import("persons", path, editor, commit=False)
    assert time.monotonic() - started < 5
    assert report.file_problems
    assert "row 2" in report.file_problems[0]


def test_more_rows_than_the_limit_are_refused_before_any_is_read(
    tmp_path: Path, editor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [[f"P-{i}", f"Personne {i}"] for i in range(reading.MAX_ROWS + 1)]
    path = write_csv(tmp_path / "p.csv", ["external_id", "full_name"], rows)
    started = time.monotonic()
    report = do_import("persons", path, editor, commit=False)
    assert time.monotonic() - started < 10
    assert not report.rows
    assert f"{reading.MAX_ROWS:,}".replace(",", "\u202f") in report.file_problems[0] or str(
        reading.MAX_ROWS
    ) in report.file_problems[0].replace(",", "").replace("\u202f", "").replace(" ", "")
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [["external_id", "full_name"], *rows[:4]]:
        sheet.append(row)
    book.save(tmp_path / "p.xlsx")
    report = do_import("persons", tmp_path / "p.xlsx", editor, commit=False)
    assert not report.rows
    assert report.file_problems


def test_the_upload_pages_show_the_message(tmp_path: Path, editor: Any) -> None:
    client = client_for(editor)
    client.cookies["django_language"] = "en"
    upload = reverse("core:import_upload", args=["persons"])
    bomb = _bomb(tmp_path / "bomb.xlsx", 64)
    with bomb.open("rb") as handle:
        response = client.post(
            upload, {"file": handle, "workspace": f.owner_workspace().pk}, follow=True
        )
    assert response.status_code == 200
    text = response.content.decode()
    assert "would unpack to" in text
    assert "import-confirm" not in text
