"""The real annotated corpus (bench/data/intake_corpus, issue 15) keeps its contract.

Every pair NAME.txt + NAME.json of dev/ and test/ is checked against
../shared/docs/annotation.md: the annotation is well formed, every gold string occurs in
its text as written (so that a scorer never rewards or punishes a name the text does not
hold), and no address is one kept aside for independent evaluation. The texts are
public pages as found; the tests read them, never the intake.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from liaison.activities.choices import ActivityType

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "bench" / "data" / "intake_corpus"
SPLITS = ("dev", "test")
# Present beside the repository on the project's machines, absent from a newcomer's clone.
INDEPENDENT_CHECK = ROOT.parent / "shared" / "tools" / "independent-check"

TEXT_SUFFIXES = (".txt", ".html")
LANGUAGES = ("fr", "en")
ACTIVITY_TYPES = {t.value for t in ActivityType} | {"agreement"}
STATUSES = {"main", "background", "planned"}
GOLD_LISTS = ("organizations", "persons", "places", "dates", "activities")
TOP_LISTS = ("boilerplate_entities", "implied_donor", "implied_beneficiary")
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NAME = re.compile(r"^(fr|en)-\d{2,3}$")
# Never needed in a French or English name, and a sign of a mojibake copy.
MOJIBAKE = ("Ã©", "Ã¨", "â€™", "\ufffd")

MIN_TEST_DOCUMENTS = 10


def _annotations() -> list[Path]:
    return sorted(p for split in SPLITS for p in (CORPUS / split).glob("*.json"))


def _text_of(annotation: Path) -> Path | None:
    for suffix in TEXT_SUFFIXES:
        path = annotation.with_suffix(suffix)
        if path.exists():
            return path
    return None


def _load(annotation: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(annotation.read_text(encoding="utf-8"))
    return data


ANNOTATIONS = _annotations()
IDS = [f"{p.parent.name}/{p.stem}" for p in ANNOTATIONS]


def _gold_strings(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(what, string) for every string the annotation says the text holds."""
    gold = data["gold"]
    out: list[tuple[str, str]] = []
    for org in gold["organizations"]:
        out.append(("organization", org["name"]))
        if org.get("acronym"):
            out.append(("acronym", org["acronym"]))
        out += [("organization alias", a) for a in org.get("aliases") or []]
    for person in gold["persons"]:
        out.append(("person", person["name"]))
        out += [("person alias", a) for a in person.get("aliases") or []]
        # A rank and a function are written apart in the text ("général; directeur de ...").
        for part in (person.get("title_or_rank") or "").split(";"):
            if part.strip():
                out.append(("title_or_rank", part.strip()))
    for place in gold["places"]:
        out.append(("place", place["name"] if isinstance(place, dict) else place))
    out += [("date", d["text"]) for d in gold["dates"]]
    out += [("programme or exercise", p) for p in gold.get("named_programs_or_exercises") or []]
    out += [("boilerplate entity", b) for b in data.get("boilerplate_entities") or []]
    return out


def test_corpus_is_there() -> None:
    assert ANNOTATIONS, f"no annotated document under {CORPUS}"


def test_files_pair_up() -> None:
    """Each annotation has its text and each text its annotation; names are unique."""
    for split in SPLITS:
        folder = CORPUS / split
        for path in folder.iterdir():
            assert path.suffix in (".json", *TEXT_SUFFIXES) or path.name.startswith("."), (
                f"unexpected file {path}"
            )
            if path.suffix == ".json":
                assert _text_of(path), f"{path.name} has no text beside it"
            else:
                assert path.with_suffix(".json").exists(), f"{path.name} has no annotation"
            assert NAME.match(path.stem), f"{path.name}: expected fr-NN or en-NN"
    stems = Counter(p.stem for p in ANNOTATIONS)
    assert not [s for s, n in stems.items() if n > 1], "a document is in both splits"


def test_test_split_is_large_enough() -> None:
    """The fixed test split holds at least ten documents of each language present."""
    per_language = Counter(p.stem.split("-")[0] for p in ANNOTATIONS if p.parent.name == "test")
    for language in {p.stem.split("-")[0] for p in ANNOTATIONS}:
        assert per_language[language] >= MIN_TEST_DOCUMENTS, language


def test_addresses_are_unique() -> None:
    urls = Counter(_load(p)["source_url"] for p in ANNOTATIONS)
    assert [u for u, n in urls.items() if n > 1] == []


@pytest.mark.parametrize("annotation", ANNOTATIONS, ids=IDS)
def test_annotation_is_well_formed(annotation: Path) -> None:
    data = _load(annotation)
    assert re.match(r"^https?://\S+$", data["source_url"])
    assert data["language"] in LANGUAGES
    assert annotation.stem.startswith(data["language"] + "-")
    assert data["published"] is None or DAY.match(data["published"])
    assert isinstance(data["site"], str)
    assert data["site"]
    assert DAY.match(data["retrieved"])
    for key in TOP_LISTS:
        assert isinstance(data[key], list), key
    gold = data["gold"]
    for key in GOLD_LISTS:
        assert isinstance(gold[key], list), key
    for org in gold["organizations"]:
        assert isinstance(org["name"], str)
        assert org["name"]
        assert isinstance(org.get("acronym") or "", str)
        assert isinstance(org.get("aliases") or [], list)
    for person in gold["persons"]:
        assert isinstance(person["name"], str)
        assert person["name"]
        assert person.get("title_or_rank") is None or isinstance(person["title_or_rank"], str)
    for date in gold["dates"]:
        start, end = date["iso_start"], date.get("iso_end")
        assert start is None or ISO.match(start), date
        assert end is None or (start and ISO.match(end) and end >= start), date
    for activity in gold["activities"]:
        assert activity["type"] in ACTIVITY_TYPES, activity
        assert activity["status"] in STATUSES, activity
        for key in ("start", "end"):
            assert activity.get(key) is None or ISO.match(activity[key]), activity
        assert isinstance(activity.get("donor", []), list)
        assert isinstance(activity.get("beneficiary", []), list)
    # A country that acts is no place of the text: one list or the other, per mention kind.
    assert isinstance(gold.get("countries_as_actors", []), list)


@pytest.mark.parametrize("annotation", ANNOTATIONS, ids=IDS)
def test_gold_strings_occur_in_text(annotation: Path) -> None:
    text_path = _text_of(annotation)
    assert text_path is not None
    text = text_path.read_text(encoding="utf-8")
    data = _load(annotation)
    missing = [(what, s) for what, s in _gold_strings(data) if s not in text]
    assert missing == [], f"{annotation.name}: not in the text"
    assert not [m for m in MOJIBAKE if m in text], f"{text_path.name} looks mis-decoded"


@pytest.mark.parametrize("annotation", ANNOTATIONS, ids=IDS)
def test_boilerplate_names_are_not_gold(annotation: Path) -> None:
    data = _load(annotation)
    gold = data["gold"]
    names = {o["name"] for o in gold["organizations"]} | {p["name"] for p in gold["persons"]}
    assert not names & set(data["boilerplate_entities"])


@pytest.mark.skipif(not INDEPENDENT_CHECK.exists(), reason="../shared is absent (a fresh clone)")
def test_no_address_is_kept_aside() -> None:
    urls = [_load(p)["source_url"] for p in ANNOTATIONS]
    run = subprocess.run(
        [sys.executable, str(INDEPENDENT_CHECK), *urls],
        capture_output=True,
        text=True,
        check=False,
    )
    kept = [line for line in run.stdout.splitlines() if line.startswith("kept aside")]
    assert kept == []
    assert run.returncode == 0, run.stderr
