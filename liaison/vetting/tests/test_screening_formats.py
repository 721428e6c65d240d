"""The FtM reader reads entities as followthemoney's model does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.utils import translation

from liaison.vetting.screening.formats import ListFormatError, read_ftm

DATA = Path(__file__).parent / "data"


def write(tmp_path: Path, *entities: object) -> Path:
    path = tmp_path / "list.ftm.jsonl"
    path.write_text("\n".join(json.dumps(e) for e in entities) + "\n", encoding="utf-8")
    return path


def test_properties_are_read_by_the_schema(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            "id": "p1",
            "schema": "Person",
            "properties": {"name": ["Iyad Ag Ghali", "Iyad Ag Ghali"], "shoeSize": ["44"]},
        },
        {"id": "s1", "schema": "Sanction", "properties": {"entity": ["p1"], "program": ["SDGT"]}},
        {"id": "a1", "schema": "Address", "properties": {"full": ["Kidal"]}},
    )
    (entity,) = read_ftm(path)
    assert entity == {
        "id": "p1",
        "schema": "Person",
        "properties": {"name": ["Iyad Ag Ghali"], "program": ["SDGT"]},
    }


def test_the_opensanctions_file_reads_as_it_is_written() -> None:
    path = DATA / "ofac_sdn_mali_subset_20240503.ftm.jsonl"
    written = {
        e["id"]: e["properties"]
        for e in map(json.loads, path.read_text(encoding="utf-8").splitlines())
        if e["schema"] != "Sanction"
    }
    read = {e["id"]: e["properties"] for e in read_ftm(path)}
    assert read.keys() == written.keys()
    for entity_id, props in read.items():
        assert {k: v for k, v in props.items() if k != "program"} == written[entity_id]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "not JSON"),
        ('{"schema": "Person"}', "needs an id and a schema"),
        ('{"id": "x", "schema": "Person", "properties": {"name": "A"}}', "lists of values"),
    ],
)
def test_a_bad_line_is_named(tmp_path: Path, line: str, reason: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "ok", "schema": "Person", "properties": {}}\n' + line + "\n")
    with translation.override("en"), pytest.raises(ListFormatError, match=f"line 2: .*{reason}"):
        list(read_ftm(path))
