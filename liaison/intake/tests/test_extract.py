"""extract() end to end, its bad inputs, and the extract and eval commands."""

# ruff: noqa: RUF001

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from liaison.intake.pipeline import IntakeInputError, extract

from .conftest import CORPUS

KEYS = {"source", "language", "organizations", "persons", "places", "dates", "activities"}


def test_second_sample(us_sample: Any) -> None:
    persons = {p.name: p for p in us_sample.persons}
    assert persons["Harouna Haïdara"].title_or_rank == "colonel-major"
    assert persons["Boubacar Maïga"].title_or_rank == "colonel"
    assert persons["Boubacar Maïga"].organization == "Direction de la justice militaire du Mali"
    assert persons["Wallace Bain"].title_or_rank == "Chargé d’Affaires"
    orgs = {o.acronym: o for o in us_sample.organizations if o.acronym}
    assert orgs["DIILS"].name == "Defence Institute of International Legal Studies"
    flagged = [d for d in us_sample.dates if d.flags == ["impossible_range"]]
    assert [d.text for d in flagged] == ["du 19 au 11 février 2025"]
    training = [a for a in us_sample.activities if a.type == "training"]
    assert training[0].start == "2025-02"
    assert "impossible_range" in training[0].date_flags
    assert "Share This Article" not in us_sample.text
    start, end = persons["Harouna Haïdara"].span
    assert us_sample.text[start:end] == "Harouna Haïdara"


def test_json_keys(us_sample: Any) -> None:
    data = us_sample.to_json()
    assert set(data) == KEYS
    assert set(data["persons"][0]) == {"name", "title_or_rank", "organization", "span"}
    assert set(data["dates"][0]) == {"text", "iso_start", "iso_end", "flags"}


def test_html_and_docx(spacy_model: Any) -> None:
    html = (CORPUS / "en-eutm-mali-2022.html").read_bytes()
    x = extract(html, filename="page.html")
    assert x.language == "en"
    assert "Cookies" not in x.text
    assert any(p.name == "Eric Lyon" for p in x.persons)

    import docx

    document = docx.Document()
    document.add_paragraph("Le général Pierre Schill s'est rendu à Ouagadougou le 9 novembre 2021.")
    buffer = io.BytesIO()
    document.save(buffer)
    x = extract(buffer.getvalue(), filename="note.docx")
    assert [p.name for p in x.persons] == ["Pierre Schill"]
    assert x.dates[0].iso_start == "2021-11-09"


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "empty.txt", "is empty"),
        (b"   \n ", "blank.txt", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "image.txt", "not a text file"),
        (None, "scan.pdf", "without text"),
        (
            "Die Bundeswehr bildet seit vielen Jahren malische Soldaten in Koulikoro aus. "
            "Die Ausbildung dauert mehrere Wochen und endet mit einer Übung.",
            "deutsch.txt",
            "only French and English",
        ),
    ],
)
def test_bad_input(content: bytes | str | None, filename: str, message: str) -> None:
    with pytest.raises(IntakeInputError, match=message):
        extract(_blank_pdf() if content is None else content, filename=filename)


def test_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIAISON_INTAKE_MAX_BYTES", "1000")
    with pytest.raises(IntakeInputError, match="too large"):
        extract(b"a" * 1001, filename="big.txt")


def test_extract_command_prints_one_json_object_per_document(spacy_model: Any) -> None:
    out = io.StringIO()
    call_command(
        "intake",
        "extract",
        "--no-db",
        str(CORPUS / "fr-niger-genie-2024.txt"),
        str(CORPUS / "en-diils-benin-2025.txt"),
        stdout=out,
    )
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 2
    for line in lines:
        assert set(json.loads(line)) == KEYS


def test_extract_command_reports_unreadable_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of 1"):
        call_command("intake", "extract", "--no-db", str(empty), stdout=io.StringIO(), stderr=err)
    assert "is empty" in err.getvalue()


def test_eval_command_on_a_tiny_directory(tmp_path: Path, spacy_model: Any) -> None:
    (tmp_path / "doc.txt").write_text(
        "Le colonel Boubacar Maïga a ouvert le séminaire du 19 au 21 février 2025 à Bamako.",
        encoding="utf-8",
    )
    gold = {
        "gold": {
            "organizations": [],
            "persons": [{"name": "Boubacar Maiga", "title_or_rank": "colonel"}],
            "places": [{"name": "Bamako"}],
            "dates": [{"iso_start": "2025-02-19", "iso_end": "2025-02-21"}],
            "activities": [{"type": "training", "start": "2025-02-19"}],
        }
    }
    (tmp_path / "doc.json").write_text(json.dumps(gold), encoding="utf-8")
    out = io.StringIO()
    call_command("intake", "eval", str(tmp_path), stdout=out)
    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert figures["documents"] == 1
    assert figures["persons"]["f1"] == 1.0
    assert figures["ranks"]["f1"] == 1.0
    assert figures["dates"]["f1"] == 1.0
    assert set(figures) >= {"organizations", "places", "activities", "overall"}
    assert "precision" in out.getvalue().splitlines()[1]


def test_messages_are_translated_to_french() -> None:
    from django.utils import translation

    with translation.override("fr"), pytest.raises(IntakeInputError, match="est vide"):
        extract(b"", filename="vide.txt")
