"""The matcher alone: normalisation, ranks, transliteration, initials, evidence, blocking."""

from __future__ import annotations

from pathlib import Path

import pytest

from liaison.vetting.screening import explain
from liaison.vetting.screening.formats import read_ftm, read_ofac_csv, to_record
from liaison.vetting.screening.matcher import DEFAULT_THRESHOLD, Index, Query, Record
from liaison.vetting.screening.normalize import name_text, name_tokens, phonetic

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(to_record(e) for e in read_ofac_csv(DATA / "ofac_sdn_mali_subset_20240503.csv"))


def best(index: Index, name: str, **kw: object) -> tuple[str, float] | None:
    hits = index.search(Query([name], **kw))  # type: ignore[arg-type]
    return (hits[0].record.caption, hits[0].score) if hits else None


def test_folding_removes_accents_case_and_punctuation() -> None:
    assert name_text("  Ismaël WAGUÉ-Diarra ") == "ismael wague diarra"
    assert name_text("Boubèye Maïga") == "boubeye maiga"


@pytest.mark.parametrize(
    ("text", "tokens", "stripped"),
    [
        ("Colonel-Major Ismaël Wagué", ("ismail", "wague"), ("colonel", "major")),
        ("Général de brigade Sadio Camara", ("sadio", "camara"), ("general", "de", "brigade")),
        ("Lt Col Assimi Goïta", ("assimi", "goita"), ("lt", "col")),
        ("Brigadier General John Smith", ("john", "smith"), ("brigadier", "general")),
        ("Dr. El Hadj Oumar Tall", ("umar", "tall"), ("dr", "el", "hadj")),
    ],
)
def test_ranks_and_titles_are_removed(
    text: str, tokens: tuple[str, ...], stripped: tuple[str, ...]
) -> None:
    name = name_tokens(text)
    assert name.tokens == tokens
    assert name.stripped == stripped


def test_a_rank_alone_is_kept_as_the_name() -> None:
    assert name_tokens("Major").tokens == ("major",)


def test_transliteration_variants_share_a_canonical_form() -> None:
    forms = {name_tokens(n).tokens[0] for n in ("Mahamadou", "Mohamed", "Mohammed", "Muhammad")}
    assert forms == {"muhammad"}
    assert name_tokens("Moussa").tokens == name_tokens("Musa").tokens
    # Ould and Wold are one particle, kept apart from the strong tokens
    assert name_tokens("Hamama Wold Khouier").particles == ("ould",)
    assert name_tokens("Hamama Ould Khouier").tokens == ("hamama", "khouier")


def test_sound_keys_group_spellings() -> None:
    assert phonetic("camara") == phonetic("kamara")
    assert phonetic("ouague") == phonetic("wague")
    assert phonetic("diarra") != phonetic("traore")


def test_ranks_do_not_hide_a_listed_officer(index: Index) -> None:
    hit = best(index, "Général de brigade Sadio Camara")
    assert hit is not None
    assert hit[0] == "CAMARA, Sadio"
    assert hit[1] >= 0.95
    ismael = Index([Record("eu-1", "Person", "WAGUÉ, Ismaël", ["WAGUÉ, Ismaël"])])
    hit = best(ismael, "Colonel-Major Ismaël Wagué")
    assert hit == ("WAGUÉ, Ismaël", 1.0)


def test_mahamadou_matches_mohamed(index: Index) -> None:
    hits = index.search(Query(["Mahamadou Lahbous"]))
    assert hits[0].record.caption == "LAHBOUS, Mohamed"
    assert hits[0].score >= 0.95
    assert {"code": "variant", "query": "mahamadou", "entry": "mohamed", "pct": 100} in (
        hits[0].explanation
    )


def test_order_initials_and_typos(index: Index) -> None:
    assert best(index, "Camara Sadio") == ("CAMARA, Sadio", 1.0)
    hit = best(index, "A. B. Diarra")
    assert hit is not None
    assert hit[0] == "DIARRA, Alou Boi"
    assert hit[1] >= DEFAULT_THRESHOLD
    hit = best(index, "Adama Bagayoco")
    assert hit is not None
    assert hit[0] == "BAGAYOKO, Adama"
    hit = best(index, "Iyad Ag Ghaly")
    assert hit is not None
    assert hit[0] == "GHALI, Iyad ag"


def test_look_alikes_are_not_hits(index: Index) -> None:
    assert best(index, "Adama Camara") is None  # one shared word of two
    assert best(index, "Mali") is None  # the country is not Khan, Mali
    assert best(index, "Jean Dupont") is None


def test_birth_date_and_nationality_support_or_contradict(index: Index) -> None:
    same = index.search(Query(["Sadio Camara"], "1979-03-22", ["ml"]))[0]
    assert {"code": "dob_same", "date": "1979-03-22"} in same.explanation
    # the same name, born 20 years later in another country: someone else
    assert index.search(Query(["Sadio Camara"], "1999-05-01", ["sn"])) == []
    # a listed year fits a full date
    kouffa = index.search(Query(["Amadou Kouffa"], "1958-06-01", ["ml"]))[0]
    assert any(p["code"] == "dob_year" for p in kouffa.explanation)


def test_kind_keeps_persons_and_organisations_apart(index: Index) -> None:
    assert best(index, "Private Military Company Wagner", kind="organization") is not None
    assert best(index, "Private Military Company Wagner", kind="person") is None


def test_explanation_is_translated() -> None:
    from django.utils import translation

    parts = [{"code": "variant", "query": "mahamadou", "entry": "mohamed", "pct": 100}]
    with translation.override("en"):
        english = explain.render(parts)
    with translation.override("fr"):
        french = explain.render(parts)
    assert "spelling variant" in english
    assert english != french
    assert "mahamadou" in french


def test_ftm_and_csv_give_the_same_names() -> None:
    ftm = {to_record(e).caption for e in read_ftm(DATA / "ofac_sdn_mali_subset_20240503.ftm.jsonl")}
    csv = {to_record(e).caption for e in read_ofac_csv(DATA / "ofac_sdn_mali_subset_20240503.csv")}
    assert ftm == csv
    assert len(ftm) == 21


def test_a_common_first_name_does_not_pull_the_whole_list() -> None:
    records = [
        Record(f"r{i}", "Person", f"Mohamed X{i}", [f"Mohamed Zz{i:05d}"]) for i in range(3000)
    ]
    records.append(Record("t", "Person", "Mohamed Lahbous", ["Mohamed Lahbous"]))
    index = Index(records, common_cap=500)
    assert len(index._candidates([name_tokens("Mahamadou Lahbous")])) < 50
    assert index.search(Query(["Mahamadou Lahbous"]))[0].record.id == "t"
