"""`liaison screening import` and `liaison screening match`: the command-line contracts."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from liaison.vetting.models import ScreeningEntry, ScreeningHit, ScreeningList
from tests import factories

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
FTM = DATA / "ofac_sdn_mali_subset_20240503.ftm.jsonl"
CSV = DATA / "ofac_sdn_mali_subset_20240503.csv"


def run(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("screening", *args, stdout=out)
    return out.getvalue()


def test_import_prints_the_summary_and_screens() -> None:
    person = factories.person(full_name="Alou Boï Diarra")
    out = run("import", str(FTM), "--list", "ofac-mali")
    assert "21 entities; 21 new, 0 changed, 0 gone, 0 unchanged" in out
    assert "1 hits raised" in out
    assert ScreeningHit.objects.filter(person=person).count() == 1
    out = run("import", str(FTM), "--list", "ofac-mali", "--format", "ftm")
    assert "0 new, 0 changed, 0 gone, 21 unchanged" in out
    assert "0 hits raised" in out


def test_import_ofac_csv_format() -> None:
    out = run("import", str(CSV), "--list", "sdn", "--format", "ofac-csv", "--no-screen")
    assert "21 new" in out
    assert ScreeningList.objects.get(name="sdn").entries.count() == 21


def test_import_of_a_bad_file_says_why_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,country\nX,ml\n")
    with pytest.raises(CommandError, match="header"):
        run("import", str(bad), "--list", "x", "--format", "ofac-csv")
    assert not ScreeningEntry.objects.exists()


def test_match_prints_scored_hits_as_json() -> None:
    run("import", str(FTM), "--list", "ofac-mali", "--no-screen")
    out = run(
        "match", "--name", "Général de brigade Sadio Camara",
        "--birth-date", "1979-03-22", "--country", "ml", "--format", "json",
    )  # fmt: skip
    result = json.loads(out)
    assert result["query"] == {
        "name": "Général de brigade Sadio Camara",
        "birth_date": "1979-03-22",
        "country": ["ml"],
    }
    (hit,) = result["hits"]
    assert hit["caption"] == "CAMARA, Sadio"
    assert hit["score"] == 1.0
    assert "Rank or title “general de brigade” left out." in hit["explanation"]
    assert "Same birth date (1979-03-22)." in hit["explanation"]
    assert "Words in common: “sadio”, “camara”." in hit["explanation"]
    # a contradicting birth date and nationality: no hit
    out = run("match", "--name", "Sadio Camara", "--birth-date", "2001-01-01", "--country", "sn")
    assert json.loads(out)["hits"] == []


def test_match_transliteration() -> None:
    run("import", str(FTM), "--list", "ofac-mali", "--no-screen")
    result = json.loads(run("match", "--name", "Mahamadou Lahbous", "--format", "json"))
    assert [h["caption"] for h in result["hits"]] == ["LAHBOUS, Mohamed"]


def test_match_names_file_gives_one_json_line_per_row(tmp_path: Path) -> None:
    run("import", str(FTM), "--list", "ofac-mali", "--no-screen")
    names = tmp_path / "trainees.csv"
    names.write_text(
        "name,birth_date,country\n"
        "Colonel-Major Ismaël Wagué,1975-01-01,ml\n"
        "Adama Bagayoko,1979-09-14,ml\n"
        "Awa Traoré,,ml\n"
        "Iyad Ag Ghaly,1954,ml\n",
        encoding="utf-8",
    )
    lines = run("match", "--names-file", str(names)).strip().splitlines()
    assert len(lines) == 4
    rows = [json.loads(line) for line in lines]
    assert [r["line"] for r in rows] == [2, 3, 4, 5]
    assert [len(r["hits"]) for r in rows] == [0, 1, 0, 1]
    assert rows[1]["hits"][0]["caption"] == "BAGAYOKO, Adama"
    assert rows[3]["hits"][0]["caption"] == "GHALI, Iyad ag"


def test_match_rejects_a_bad_birth_date() -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("match", "--name", "X Y", "--birth-date", "22/03/1979")
