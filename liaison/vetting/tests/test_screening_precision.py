"""Screening precision (issue 19, item 4): coverage of both names, transliterations of the
Sahel, every rank and title, duplicate listings, common names."""

# Typographic apostrophes are meant: names are written with them.
# ruff: noqa: RUF001

from __future__ import annotations

import pytest
from django.utils import translation

from liaison.vetting.screening import explain
from liaison.vetting.screening.matcher import DEFAULT_THRESHOLD, Index, Query, Record
from liaison.vetting.screening.normalize import name_tokens


def person(rid: str, name: str, *aliases: str, dob: str = "", country: str = "") -> Record:
    return Record(
        rid, "Person", name, [name, *aliases], [dob] if dob else [], [country] if country else []
    )


def hits(records: list[Record], name: str, **kw: object) -> list[tuple[str, float]]:
    found = Index(records).search(Query([name], kind="person", **kw))  # type: ignore[arg-type]
    return [(h.record.id, round(h.score, 3)) for h in found]


def test_a_partial_name_with_a_word_the_list_does_not_have_is_refused() -> None:
    # two words of three: the query's "Hussein" is nowhere in the listed name
    assert hits([person("ali", "'ALI, Ahmad")], "Ali Ahmad Hussein") == []
    assert hits([person("koufa", "KOUFA, Amadou")], "Amadou Diallo Koufa") == []


def test_a_listed_patronymic_left_out_of_the_query_still_matches() -> None:
    found = hits([person("koufa", "KOUFA, Amadou Diallo")], "Amadou Koufa")
    assert [i for i, _ in found] == ["koufa"]
    assert found[0][1] >= DEFAULT_THRESHOLD


def test_aly_is_read_as_ali() -> None:
    assert name_tokens("Aly").tokens == name_tokens("Ali").tokens
    found = hits([person("ali", "'ALI, Ahmad")], "Aly Ahmad")
    assert found == [("ali", 1.0)]


@pytest.mark.parametrize(
    "forms",
    [
        ("Mamadou", "Mahamadou", "Mohamed", "Muhammad"),
        ("Sidi", "Sidy"),
        ("Ousmane", "Usman", "Othman"),
        ("Amadou", "Ahmadou"),
        ("Boubacar", "Abubakar", "Aboubacar"),
        ("Diarra", "Dyarra"),
        ("Keïta", "Keita", "Kei'ta", "Kei’ta"),
        ("Touré", "Toure", "Ture"),
        ("Coulibaly", "Kulibali", "Koulibaly"),
        ("Abdul Hamid", "Abd al Hamid", "Abdel Hamid", "Abdoul-Hamid"),
    ],
)
def test_west_african_and_arabic_transliterations(forms: tuple[str, ...]) -> None:
    assert len({name_tokens(f"{f} Sangare").tokens for f in forms}) == 1, forms


@pytest.mark.parametrize(
    "rank",
    [
        "Colonel-major",
        "Colonel Major",
        "Général de brigade",
        "Médecin-colonel",
        "Médecin colonel-major",
        "Lieutenant-colonel",
        "Capitaine de vaisseau",
        "Lieutenant de vaisseau",
        "Chef d'escadron",
        "Chef d’escadron",
        "Adjudant-chef",
        "Brig. Gen.",
        "Brigadier-General",
        "Lt Col",
        "Lt. Col.",
        "Maj. Gen.",
        "Commissaire divisionnaire de police",
        "Contrôleur général de police",
        "Me",
        "Pr",
    ],
)
def test_every_rank_and_title_is_removed(rank: str) -> None:
    name = name_tokens(f"{rank} Ismaël Wagué")
    assert name.tokens == ("ismail", "wague"), rank
    assert name.stripped


def test_colonel_major_does_not_hide_a_listed_officer() -> None:
    records = [person("wague", "WAGUÉ, Ismaël")]
    assert hits(records, "Colonel-major Ismaël Wagué") == [("wague", 1.0)]


def test_duplicate_listings_of_one_person_make_one_hit() -> None:
    records = [
        person("sdgt-1", "KOUFA, Amadou", dob="1958", country="ml"),
        person("mali-2", "KOUFA, Amadou", dob="1958", country="ml"),
        person("other", "KOUFA, Amadou", dob="1990", country="ml"),  # another man
    ]
    found = Index(records).search(Query(["Amadou Koufa"], kind="person"))
    assert len(found) == 2
    first = next(h for h in found if h.record.id == "sdgt-1")
    assert [r.id for r in first.duplicates] == ["mali-2"]
    assert first.as_dict()["duplicates"] == ["mali-2"]
    part = next(p for p in first.explanation if p["code"] == "duplicates")
    with translation.override("fr"):
        french = explain.render([part])
    with translation.override("en"):
        english = explain.render([part])
    assert "mali-2" in french
    assert "mali-2" in english
    assert french != english


def test_a_name_of_common_words_needs_more_than_the_words() -> None:
    # Mohamed and Ahmed are everywhere in the list: sharing them, with a listed word
    # left over, is not a hit on its own; a birth date in common makes it one.
    common = [person(f"c{i}", f"MOHAMED, Ahmed Zz{i:03d}", dob="1960") for i in range(80)]
    target = person("t", "MOHAMED, Ahmed Salem", dob="1971-02-03")
    assert "t" not in dict(hits([*common, target], "Ahmed Mohamed"))
    assert "t" in dict(hits([*common, target], "Ahmed Mohamed", birth_date="1971-02-03"))
    # a rare word in common is evidence enough
    assert "t" in dict(hits([*common, target], "Salem Mohamed"))


def test_a_one_word_name_with_a_particle_is_two_words() -> None:
    assert hits([person("s", "Abu SULAYMAN")], "Souleymane Dé") == []
