"""Rules drawn from the real corpus's development split (issue 15, item 3), one short
example per error class, written for these tests (none is copied from the corpus)."""

# ruff: noqa: RUF001

from __future__ import annotations

from typing import Any

import pytest

from liaison.intake.pipeline import extract, tidy
from liaison.intake.pipeline.clean import clean_text

# Boilerplate: credits, sources, distribution lines, bylines, widgets, signatures.


def test_credit_source_and_distribution_lines_are_dropped() -> None:
    page = (
        "Remise de matériel à Kayes\n"
        "Le Japon a remis dix ambulances à l’armée malienne.\n"
        "Crédit photo : Agence Sahel Images\n"
        "Source: Sahel Wire\n"
        "Distribué par Wire Group pour Ambassade du Japon au Mali.\n"
        "View Gallery\n"
        "Press Release\n"
    )
    cleaned = clean_text(page)
    assert "Sahel Images" not in cleaned.text
    assert "Sahel Wire" not in cleaned.text
    assert "Wire Group" not in cleaned.text
    assert "Gallery" not in cleaned.text
    assert "Press Release" not in cleaned.text
    assert "dix ambulances" in cleaned.text


def test_photo_credit_inside_a_caption_is_cut_out() -> None:
    line = "Officers salute in Bamako, March 3. (Joint Task Force photo by Cpl. Jane Roe)"
    cleaned = clean_text(f"Title\n{line}\nThe course ended on time.")
    assert "Jane Roe" not in cleaned.text
    assert "Officers salute in Bamako, March 3." in cleaned.text


def test_long_byline_with_rank_and_unit_is_metadata() -> None:
    cleaned = clean_text(
        "Course opens\nBy Master Sgt. John Doe, 9th Brigade Public Affairs\n"
        "The course opened in Kati."
    )
    assert "John Doe" not in cleaned.text
    assert cleaned.metadata["byline"].startswith("Master Sgt. John Doe")
    # A sentence that starts with "By" is text.
    kept = clean_text("Title\nBy 2026, the school will train 400 cadets.\nEnd of story.")
    assert "By 2026" in kept.text


def test_staff_byline_and_closing_signature_are_dropped() -> None:
    cleaned = clean_text(
        "PERSONNEL DE SAHEL NEWS\nLa marine a reçu deux vedettes.\n"
        "Elles patrouilleront sur le fleuve.\nRadio Kanaga"
    )
    assert "SAHEL NEWS" not in cleaned.text
    assert "Radio Kanaga" not in cleaned.text
    assert cleaned.metadata["signature"] == "Radio Kanaga"
    assert "deux vedettes" in cleaned.text


# Programmes, exercises, equipment and the press are not organisations.


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Le programme JCET forme des officiers.", "JCET"),
        ("The Sand Viper exercise began in Mopti.", "Sand Viper"),
        ("Le paquet ABC comprend six volets.", "ABC"),
        ("Elle relève du programme d’appui aux écoles régionales (PAER).", "PAER"),
        ("The Coastal Security Partnership helps the navy.", "Coastal Security Partnership"),
    ],
)
def test_programmes_and_exercises_are_recognised(text: str, name: str) -> None:
    start = text.index(name)
    assert tidy.is_programme(text, start, start + len(name), name)


def test_organisations_are_not_programmes() -> None:
    text = "Les initiatives OTAN de formation continuent avec l’École de guerre."
    start = text.index("OTAN")
    assert not tidy.is_programme(text, start, start + 4, "OTAN")
    start = text.index("École de guerre")
    assert not tidy.is_programme(text, start, len(text) - 1, "École de guerre")


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Des drones REAPER ont été livrés.", "REAPER", True),
        ("Le quotidien Sahel Matin rapporte la remise.", "Sahel Matin", True),
        ("Le colonel a déclaré à SNN que la formation était utile.", "SNN", True),
        ("L’Agence de presse du Niger rapporte la remise.", "Agence de presse du Niger", True),
        ("La remise a eu lieu à l’état-major des FAMa.", "FAMa", False),
    ],
)
def test_equipment_and_press_are_recognised(text: str, name: str, expected: bool) -> None:
    assert tidy.is_thing_or_media(text, text.index(name), name) is expected


def test_programme_acronym_is_no_organisation_anywhere_in_the_text(spacy_model: Any) -> None:
    text = (
        "Dakar, le 3 mars 2025. Le programme JCET a réuni la Marine nationale sénégalaise "
        "et des instructeurs. Le JCET se poursuivra en avril 2025."
    )
    x = extract(text, filename="jcet.txt")
    names = {o.name for o in x.organizations} | {o.acronym for o in x.organizations}
    assert "JCET" not in names
    assert any("Marine nationale" in n for n in names)


# Persons: honorifics and ranks out of the name, no sentence words, no fragments.


def _person(text: str, name_span: str) -> tuple[str, str] | None:
    from liaison.intake.pipeline.entities import SPACY, Mention

    start = text.index(name_span)
    m = Mention("PER", start, start + len(name_span), name_span, SPACY)
    out = tidy.tidy_person(text, m)
    if out is None:
        return None
    return out.text, out.rule.rank if out.rule is not None else ""


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ("Mr Paul Okafor", ("Paul Okafor", "")),
        ("S.E.M. Issa Diallo", ("Issa Diallo", "")),
        ("Naval Commander Ann Reid", ("Ann Reid", "Naval Commander")),
        ("Major Lea Brun’s", ("Lea Brun", "Major")),
        ("said Okafor", ("Okafor", "")),
        ("inspects troops with his counterpart Paul Okafor", ("Paul Okafor", "")),
        ("Mohamed Ould Cheikh", ("Mohamed Ould Cheikh", "")),
    ],
)
def test_person_names_lose_honorifics_and_ranks(span: str, expected: tuple[str, str]) -> None:
    assert _person(f"Hier, {span} est arrivé.", span) == expected


@pytest.mark.parametrize(
    "span",
    [
        "Amadou inspects troops with his counterpart",
        "Senegalese Brig",
        "Security Cooperation",
        "Sahel Counter Terrorism Initiative",
    ],
)
def test_non_names_are_no_persons(span: str) -> None:
    assert _person(f"Yesterday {span} arrived.", span) is None


# Places: named sites whole, no sentence words, no demonyms or months.


def test_named_military_sites_are_places_whole() -> None:
    text = (
        "Les avions sont sur la base aérienne de Dori; le stage a lieu au camp "
        "d’entraînement de Kati. Troops landed at Air Base 301 and Mopti Camp, not at "
        "Mali’s air base."
    )
    names = [n for _s, _e, n in tidy.facility_places(text)]
    assert names == [
        "base aérienne de Dori",
        "camp d’entraînement de Kati",
        "Air Base 301",
        "Mopti Camp",
    ]


@pytest.mark.parametrize(
    ("span", "language", "expected"),
    [
        ("Kati in Koulikoro region on Monday", "en", "Kati"),
        ("Afrique de l’Ouest", "fr", "Afrique de l’Ouest"),
        ("Malian", "en", None),
        ("Camerounais", "fr", None),
        ("Feb", "en", None),
        ("République de", "fr", None),
    ],
)
def test_place_spans_are_names(span: str, language: str, expected: str | None) -> None:
    from liaison.intake.pipeline.entities import SPACY, Mention

    text = f"Vu {span}."
    m = Mention("LOC", 3, 3 + len(span), span, SPACY)
    out = tidy.tidy_place(text, m, language)
    assert (out.text if out is not None else None) == expected


def test_rule_person_with_demonym_like_names_is_kept() -> None:
    from liaison.intake.pipeline import rules
    from liaison.intake.pipeline.entities import RULE_PERSON, Mention

    text = "U.S. Chargé d'Affaires Brian Logan spoke."
    start = text.index("Brian Logan")
    hit = rules.RuleHit("PER", start, start + 11, "Brian Logan", title="Chargé d'Affaires")
    m = Mention("PER", start, start + 11, "Brian Logan", RULE_PERSON, rule=hit)
    assert tidy.tidy_person(text, m) is m


@pytest.mark.parametrize("word", ["Force", "Mission", "Union", "Présidence"])
def test_lone_generic_word_is_no_organisation(word: str) -> None:
    from liaison.intake.pipeline.entities import SPACY, Mention

    text = f"La {word} a parlé."
    m = Mention("ORG", 3, 3 + len(word), word, SPACY)
    assert tidy.tidy_organization(text, m, "fr") is None
